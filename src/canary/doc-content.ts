// Office-document content shared by the HTML, DOCX and PDF lures: a handful of report kinds
// (inventory, budget, vendors, access review, invoices, audit findings, runbook, onboarding,
// headcount), each with its own file-name stems, prose and a table filled from the stream.
import { between, pick, sample, token, type Rng } from '../rng/stream.js';
import {
  basename, CITIES, COMPANIES, DEPARTMENTS, INTERNAL_DOMAINS, emailFor, longDate, money, personName, closedQuarter, titleFromPath, utcYear,
} from './common.js';
import { type LocaleFacts, formatPhone, localeFacts } from '../world/locale.js';
import type { CanaryContext } from './types.js';
import { closingHeading, docItem, docParagraph } from './doc-prose.js';
import type { Organisation } from '../world/organisation.js';
import { fmix } from '../rng/stream.js';

export interface DocTable {
  headers: string[];
  rows: string[][];
}

export interface DocModel {
  kind: string;
  title: string;
  company: string;
  author: string;
  dateText: string;
  subtitle: string;
  intro: string[];
  tableHeading: string;
  table: DocTable;
  closingHeading: string;
  closing: string[];
  classification: string;
}

interface Env {
  rng: Rng;
  /** The organisation's country's facts (currency, phone numbering); US without an organisation. */
  locale: LocaleFacts;
  company: string;
  author: string;
  year: number;
  quarter: string;
  domain: string;
  mailDomain: string;
  /** The dialect key of the deployment's document prose (see doc-prose.ts). */
  key: string;
  org?: Organisation;
}

interface Template {
  kind: string;
  /** File-name stems (lowercase, hyphenated); formats restyle them. */
  stems: readonly string[];
  title(env: Env): string;
  intro(env: Env): string[];
  tableHeading: string;
  table(env: Env): DocTable;
  closing(env: Env): string[];
}

const OS = ['Ubuntu 22.04', 'Ubuntu 24.04', 'Debian 12', 'RHEL 9', 'Windows Server 2019', 'Windows Server 2022', 'Rocky Linux 9'] as const;
const ROLES = ['file server', 'domain controller', 'print server', 'VPN gateway', 'database', 'web frontend', 'backup target', 'jump host', 'monitoring', 'mail relay', 'build runner', 'hypervisor'] as const;
const VENDORS = ['Apex Office Supply', 'Brightline Telecom', 'CloudNest Hosting', 'DataVault Storage', 'Evergreen Facilities', 'FastTrack Couriers', 'Glenfield Software', 'Helix Printing', 'Inkwell Payroll', 'Juniper Cleaning Co', 'Keystone Security Services', 'Lumen Electric'] as const;
const SYSTEMS = ['ERP', 'CRM', 'Payroll', 'VPN', 'File shares', 'Email', 'HR portal', 'Ticketing', 'Backup console', 'Firewall admin', 'Source control', 'Data warehouse'] as const;
/** Table items are grammar rules (doc-prose.ts): `finding_<i>`, `dr_<i>`, `on_<i>`. */
const FINDINGS = 12;
const DR_STEPS = 10;
const ONBOARD_SYSTEMS = ['Active Directory', 'Email', 'Endpoint management', 'VPN', 'File shares', 'Learning portal', 'Ticketing', 'Facilities', 'Payroll', 'Finance'] as const;
const JOB_TITLES = ['Accountant', 'Account Manager', 'Data Analyst', 'Help Desk Technician', 'Network Engineer', 'Office Manager', 'Project Manager', 'Sales Representative', 'Software Developer', 'Systems Administrator', 'Payroll Specialist', 'Recruiter'] as const;

function phone(e: Env): string {
  return formatPhone(e.locale, () => between(e.rng, 0, 9));
}

function ip(rng: Rng): string {
  return `10.${between(rng, 0, 40)}.${between(rng, 0, 20)}.${between(rng, 2, 250)}`;
}

function shortDate(rng: Rng, year: number): string {
  return `${year}-${String(between(rng, 1, 12)).padStart(2, '0')}-${String(between(rng, 1, 28)).padStart(2, '0')}`;
}

/** A kind's opening paragraphs in the deployment's phrasing (an empty second one is left out). */
function opening(e: Env, kind: string, vars: Record<string, string> = {}): string[] {
  const v = { ...base(e), ...vars };
  return [docParagraph(e.key, kind, 'intro', e.rng, v), docParagraph(e.key, kind, 'intro2', e.rng, v)].filter((x) => x !== '');
}

function closingOf(e: Env, kind: string, vars: Record<string, string> = {}): string[] {
  return [docParagraph(e.key, kind, 'close', e.rng, { ...base(e), ...vars })];
}

function indices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Someone of the organisation (a made-up name without one). */
function colleague(e: Env): string {
  const people = e.org?.colleagues ?? [];
  return people.length > 0 ? pick(e.rng, people).name : personName(e.rng);
}

function base(e: Env): Record<string, string> {
  return { company: e.company, author: e.author, domain: e.domain, quarter: e.quarter, year: String(e.year), currency: e.locale.currency, mail: e.mailDomain };
}

/** The departments that would own a kind of document (a host list is not Marketing's). */
const OWNING_DEPARTMENTS: Record<string, readonly string[]> = {
  inventory: ['IT', 'Infrastructure', 'Operations'],
  budget: ['Finance'],
  vendors: ['Procurement', 'Finance'],
  access: ['IT', 'Security'],
  invoices: ['Finance', 'Accounts'],
  audit: ['Security', 'Compliance', 'Internal Audit'],
  runbook: ['IT', 'Operations', 'Infrastructure'],
  onboarding: ['HR', 'IT'],
  headcount: ['HR', 'Finance'],
};

/** What an organisation's host does, as an inventory's Role column says it. */
const ROLE_LABEL: Record<string, string> = {
  git: 'source control', wiki: 'wiki', ci: 'build runner', monitoring: 'monitoring', mail: 'mail relay', vpn: 'VPN gateway', nas: 'file server',
  backup: 'backup target', directory: 'domain controller', bastion: 'jump host', database: 'database', tickets: 'ticketing', registry: 'artifact registry', logs: 'log collector',
};
const LINUX = ['Debian 12', 'Debian 11', 'Ubuntu 22.04', 'Ubuntu 24.04', 'RHEL 9', 'Rocky Linux 9'] as const;
const WINDOWS = ['Windows Server 2019', 'Windows Server 2022'] as const;

/**
 * The organisation's own hosts, as every inventory of it lists them: each host's OS and owner
 * follow from its name, so two documents of one deployment agree on them.
 */
function orgInventory(org: Organisation): DocTable {
  const people = org.colleagues;
  const rows = [...org.hosts]
    .sort((a, b) => (a.fqdn < b.fqdn ? -1 : a.fqdn > b.fqdn ? 1 : 0))
    .map((h) => {
      let x = 0;
      for (let i = 0; i < h.fqdn.length; i++) x = fmix(x ^ h.fqdn.charCodeAt(i));
      const os = h.role === 'directory' ? WINDOWS[x % WINDOWS.length]! : LINUX[x % LINUX.length]!;
      const owner = people.length > 0 ? people[fmix(x ^ 0x51ed27) % people.length]!.name : '';
      return [h.fqdn, h.address, ROLE_LABEL[h.role] ?? h.role, os, owner];
    });
  return { headers: ['Host', 'Address', 'Role', 'OS', 'Owner'], rows };
}

const TEMPLATES: readonly Template[] = [
  {
    kind: 'inventory',
    stems: ['network-inventory', 'server-inventory', 'asset-register', 'host-list'],
    title: (e) => pick(e.rng, ['Network Inventory', 'Server Inventory', 'Infrastructure Asset Register']),
    intro: (e) => opening(e, 'inventory'),
    tableHeading: 'Hosts',
    table: (e) => {
      if ((e.org?.hosts?.length ?? 0) > 0) return orgInventory(e.org!);
      const n = between(e.rng, 8, 18);
      const rows: string[][] = [];
      const names = sample(e.rng, ['fs', 'dc', 'prn', 'vpn', 'db', 'web', 'bak', 'jump', 'mon', 'mx', 'ci', 'hv', 'app', 'log', 'nas', 'proxy', 'wiki', 'git'], n);
      for (const name of names) {
        rows.push([`${name}${String(between(e.rng, 1, 9)).padStart(2, '0')}.${e.domain}`, ip(e.rng), pick(e.rng, ROLES), pick(e.rng, OS), personName(e.rng)]);
      }
      return { headers: ['Host', 'Address', 'Role', 'OS', 'Owner'], rows };
    },
    closing: (e) => closingOf(e, 'inventory'),
  },
  {
    kind: 'budget',
    stems: ['budget-review', 'quarterly-report', 'cost-summary', 'spend-forecast'],
    title: (e) => `${pick(e.rng, ['Budget Review', 'Quarterly Report', 'Cost Summary', 'Spend Forecast'])} ${e.quarter}`,
    intro: (e) => opening(e, 'budget'),
    tableHeading: 'Budget against actual',
    table: (e) => {
      const rows = sample(e.rng, DEPARTMENTS, between(e.rng, 6, 10)).map((d) => {
        const budget = between(e.rng, 20_000, 450_000) * 100;
        const actual = Math.round(budget * (0.8 + e.rng() * 0.35));
        const diff = actual - budget;
        return [d, money(budget), money(actual), `${diff < 0 ? '-' : '+'}${money(Math.abs(diff))}`];
      });
      return { headers: ['Department', 'Budget', 'Actual', 'Variance'], rows };
    },
    closing: (e) => closingOf(e, 'budget'),
  },
  {
    kind: 'vendors',
    stems: ['vendor-contacts', 'supplier-list', 'contract-renewals'],
    title: (e) => pick(e.rng, ['Vendor Contacts', 'Supplier List', 'Contract Renewals']),
    intro: (e) => opening(e, 'vendors'),
    tableHeading: 'Vendors',
    table: (e) => {
      const rows = sample(e.rng, VENDORS, between(e.rng, 6, 11)).map((v) => {
        const who = personName(e.rng);
        const domain = v.toLowerCase().replace(/[^a-z]+/g, '').slice(0, 14) + '.com';
        return [v, who, phone(e), emailFor(who, domain), shortDate(e.rng, e.year + between(e.rng, 0, 1))];
      });
      return { headers: ['Vendor', 'Contact', 'Phone', 'Email', 'Renewal'], rows };
    },
    closing: (e) => closingOf(e, 'vendors'),
  },
  {
    kind: 'access',
    stems: ['access-matrix', 'access-review', 'user-permissions'],
    title: (e) => `${pick(e.rng, ['Access Matrix', 'Access Review', 'User Permissions'])} ${e.year}`,
    intro: (e) => opening(e, 'access'),
    tableHeading: 'Systems and approvers',
    table: (e) => {
      const rows = sample(e.rng, SYSTEMS, between(e.rng, 6, 12)).map((s) => [
        s,
        `GRP-${s.toUpperCase().replace(/[^A-Z]+/g, '-').replace(/-+$/, '')}-${pick(e.rng, ['RW', 'RO', 'ADM'])}`,
        colleague(e),
        shortDate(e.rng, e.year),
        pick(e.rng, ['Done', 'Done', 'Pending', 'Overdue']),
      ]);
      return { headers: ['System', 'Group', 'Approver', 'Last review', 'Status'], rows };
    },
    closing: (e) => closingOf(e, 'access'),
  },
  {
    kind: 'invoices',
    stems: ['invoice-summary', 'open-invoices', 'receivables'],
    title: (e) => `${pick(e.rng, ['Invoice Summary', 'Open Invoices', 'Receivables Overview'])} ${e.quarter}`,
    intro: (e) => opening(e, 'invoices'),
    tableHeading: 'Open items',
    table: (e) => {
      const n = between(e.rng, 8, 16);
      const base = between(e.rng, 1200, 8800);
      const rows: string[][] = [];
      for (let i = 0; i < n; i++) {
        rows.push([`INV-${e.year}-${base + i * between(e.rng, 1, 7)}`, pick(e.rng, COMPANIES), money(between(e.rng, 2_500, 950_000)), shortDate(e.rng, e.year), pick(e.rng, ['Open', 'Open', 'Overdue', 'Partly paid', 'Disputed'])]);
      }
      return { headers: ['Invoice', 'Customer', 'Amount', 'Due', 'Status'], rows };
    },
    closing: (e) => closingOf(e, 'invoices'),
  },
  {
    kind: 'audit',
    stems: ['audit-findings', 'security-review', 'pentest-summary'],
    title: (e) => pick(e.rng, ['Audit Findings', 'Security Review Findings', 'Internal Audit Summary']),
    intro: (e) => opening(e, 'audit'),
    tableHeading: 'Findings',
    table: (e) => {
      const rows = sample(e.rng, indices(FINDINGS), between(e.rng, 5, 10)).map((f, i) => [`F-${String(i + 1).padStart(2, '0')}`, docItem(e.key, `finding_${f}`, e.rng), pick(e.rng, ['Critical', 'High', 'High', 'Medium', 'Medium', 'Low']), colleague(e), shortDate(e.rng, e.year)]);
      return { headers: ['Ref', 'Finding', 'Severity', 'Owner', 'Due'], rows };
    },
    closing: (e) => closingOf(e, 'audit'),
  },
  {
    kind: 'runbook',
    stems: ['dr-runbook', 'failover-procedure', 'incident-playbook'],
    title: (e) => pick(e.rng, ['Disaster Recovery Runbook', 'Failover Procedure', 'Incident Playbook']),
    intro: (e) => opening(e, 'runbook', { city: pick(e.rng, CITIES), minutes: String(pick(e.rng, [30, 45, 60, 120])), hours: String(pick(e.rng, [4, 6, 8])) }),
    tableHeading: 'Steps',
    table: (e) => {
      const steps = indices(between(e.rng, 7, DR_STEPS)).map((i) => docItem(e.key, `dr_${i}`, e.rng));
      const rows = steps.map((s, i) => [String(i + 1), s, pick(e.rng, ['On-call engineer', 'Incident lead', 'DBA', 'Network team', 'Service desk']), String(pick(e.rng, [5, 10, 15, 20, 30, 45]))]);
      return { headers: ['Step', 'Action', 'Owner', 'Minutes'], rows };
    },
    closing: (e) => closingOf(e, 'runbook', { phone: phone(e), escalation: colleague(e), phone2: phone(e) }),
  },
  {
    kind: 'onboarding',
    stems: ['onboarding-guide', 'new-starter-checklist', 'it-onboarding'],
    title: (e) => pick(e.rng, ['Onboarding Guide', 'New Starter Checklist', 'IT Onboarding']),
    intro: (e) => opening(e, 'onboarding'),
    tableHeading: 'First week',
    table: (e) => {
      const rows = sample(e.rng, indices(ONBOARD_SYSTEMS.length), between(e.rng, 6, ONBOARD_SYSTEMS.length)).map((i) => [docItem(e.key, `on_${i}`, e.rng), ONBOARD_SYSTEMS[i]!, colleague(e), pick(e.rng, ['Day 1', 'Day 1', 'Day 2', 'Day 3', 'Week 1'])]);
      return { headers: ['Task', 'System', 'Contact', 'When'], rows };
    },
    closing: (e) => closingOf(e, 'onboarding'),
  },
  {
    kind: 'headcount',
    stems: ['headcount-plan', 'salary-bands', 'hiring-plan'],
    title: (e) => `${pick(e.rng, ['Headcount Plan', 'Salary Bands', 'Hiring Plan'])} ${e.year}`,
    intro: (e) => opening(e, 'headcount'),
    tableHeading: 'Roles',
    table: (e) => {
      const rows = sample(e.rng, JOB_TITLES, between(e.rng, 6, 11)).map((t) => {
        const lo = between(e.rng, 42, 120) * 1000;
        const hi = lo + between(e.rng, 8, 40) * 1000;
        return [t, pick(e.rng, DEPARTMENTS), `${pick(e.rng, ['B', 'C', 'D'])}${between(e.rng, 1, 4)}`, `${money(lo * 100).slice(0, -3)} to ${money(hi * 100).slice(0, -3)}`, String(between(e.rng, 0, 4))];
      });
      return { headers: ['Role', 'Department', 'Band', 'Range', 'Open'], rows };
    },
    closing: (e) => closingOf(e, 'headcount'),
  },
];

/** All stems, for placement pools. */
export const DOC_STEMS: readonly string[] = TEMPLATES.flatMap((t) => t.stems);

function templateForPath(path: string): Template | undefined {
  const stem = basename(path).toLowerCase().replace(/\.[a-z0-9]+$/, '').replace(/_/g, '-');
  return TEMPLATES.find((t) => t.stems.some((s) => stem.startsWith(s)));
}

export function buildDocument(ctx: CanaryContext, authorName: string, mailDomain: string): DocModel {
  const rng = ctx.rng;
  const template = templateForPath(ctx.path) ?? pick(rng, TEMPLATES);
  // The deployment's organisation names the company and its internal domain when there is one
  // (the draws stay, so the rest of the document does not shift with it).
  const drawnCompany = pick(rng, COMPANIES);
  const env: Env = {
    rng,
    locale: localeFacts(ctx.org?.country ?? 'US'),
    company: ctx.org?.name ?? drawnCompany,
    author: authorName,
    year: utcYear(ctx.mtimeMs),
    quarter: closedQuarter(ctx.mtimeMs),
    domain: ((d: string) => ctx.org?.internalDomain ?? d)(pick(rng, INTERNAL_DOMAINS)),
    mailDomain,
    key: ctx.org?.key ?? drawnCompany,
    org: ctx.org,
  };
  const drawnTitle = template.title(env);
  // The document is titled after its file name (minus any date), keeping the period the
  // template would add (`Q4 2025`, `2025`); a name we cannot read falls back to the drawn title.
  const period = / (Q\d \d{4}|\d{4})$/.exec(drawnTitle)?.[0] ?? '';
  const fromPath = titleFromPath(ctx.path, '');
  const title = fromPath ? fromPath.replace(/\bIt\b/, 'IT').replace(/\bDr\b/, 'DR') + period : drawnTitle;
  return {
    kind: template.kind,
    title,
    company: env.company,
    author: authorName,
    dateText: longDate(ctx.mtimeMs),
    subtitle: `${env.company} | ${pick(rng, OWNING_DEPARTMENTS[template.kind] ?? DEPARTMENTS)}`,
    intro: template.intro(env),
    tableHeading: template.tableHeading,
    table: template.table(env),
    closingHeading: closingHeading(env.key, rng),
    closing: template.closing(env),
    classification: pick(rng, ['Internal', 'Confidential', 'Internal use only', 'Restricted']),
  };
}

/** Reference numbers for documents: `DOC-` plus a short token. */
export function docRef(rng: Rng): string {
  return `${pick(rng, ['DOC', 'REF', 'RPT'])}-${token(rng, 5, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`;
}
