// Office-document content shared by the HTML, DOCX and PDF lures: a handful of report kinds
// (inventory, budget, vendors, access review, invoices, audit findings, runbook, onboarding,
// headcount), each with its own file-name stems, prose and a table filled from the stream.
import { between, pick, sample, token, type Rng } from '../rng/stream.js';
import {
  basename, CITIES, COMPANIES, DEPARTMENTS, INTERNAL_DOMAINS, emailFor, longDate, money, personName, closedQuarter, titleFromPath, utcYear,
} from './common.js';
import { type LocaleFacts, formatPhone, localeFacts } from '../world/locale.js';
import type { CanaryContext } from './types.js';

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
const FINDINGS = [
  'Shared local administrator password on workstations',
  'Backups not tested for restore in the last 12 months',
  'Former employees still active in the VPN group',
  'Firewall rules without an owner or a ticket reference',
  'Database server reachable from the guest wireless network',
  'Service accounts with passwords that never expire',
  'Missing security patches on the file server',
  'No multi-factor login for the remote desktop gateway',
  'Log retention shorter than the 90 day policy',
  'Printer management pages using default credentials',
  'Unencrypted laptop found in the storage room',
  'Admin accounts used for daily email and browsing',
] as const;
const DR_STEPS = [
  'Confirm the outage with the on-call engineer and open a major incident ticket',
  'Notify the incident lead and the service desk manager',
  'Fail the primary database over to the standby in the second site',
  'Repoint the internal DNS records to the standby addresses',
  'Restore the file shares from the latest nightly snapshot',
  'Bring up the application servers in the recovery cluster',
  'Run the smoke tests from the checklist and record the results',
  'Reopen remote access and confirm VPN logins work',
  'Send the status update to department heads',
  'Schedule the fail back window and the post incident review',
] as const;
const ONBOARD_TASKS = [
  ['Create directory account', 'Active Directory'],
  ['Add to department mailing list', 'Email'],
  ['Issue laptop and enroll in device management', 'Endpoint management'],
  ['Set up VPN profile and token', 'VPN'],
  ['Grant read access to team shares', 'File shares'],
  ['Book security awareness training', 'Learning portal'],
  ['Create ticketing system login', 'Ticketing'],
  ['Order badge and parking permit', 'Facilities'],
  ['Add to payroll and benefits', 'Payroll'],
  ['Walk through the expense policy', 'Finance'],
] as const;
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

const TEMPLATES: readonly Template[] = [
  {
    kind: 'inventory',
    stems: ['network-inventory', 'server-inventory', 'asset-register', 'host-list'],
    title: (e) => pick(e.rng, ['Network Inventory', 'Server Inventory', 'Infrastructure Asset Register']),
    intro: (e) => [
      `This list covers the servers and network appliances managed by the ${pick(e.rng, ['IT', 'infrastructure', 'operations'])} team at ${e.company}. It was refreshed after the ${pick(e.rng, ['rack move', 'hypervisor upgrade', 'annual audit', 'firewall replacement'])} and replaces the previous spreadsheet.`,
      `Owners listed below are the first contact for changes. Anything not on this list should be reported to the service desk before it is connected to the ${e.domain} network.`,
    ],
    tableHeading: 'Hosts',
    table: (e) => {
      const n = between(e.rng, 8, 18);
      const rows: string[][] = [];
      const names = sample(e.rng, ['fs', 'dc', 'prn', 'vpn', 'db', 'web', 'bak', 'jump', 'mon', 'mx', 'ci', 'hv', 'app', 'log', 'nas', 'proxy', 'wiki', 'git'], n);
      for (const name of names) {
        rows.push([`${name}${String(between(e.rng, 1, 9)).padStart(2, '0')}.${e.domain}`, ip(e.rng), pick(e.rng, ROLES), pick(e.rng, OS), personName(e.rng)]);
      }
      return { headers: ['Host', 'Address', 'Role', 'OS', 'Owner'], rows };
    },
    closing: (e) => [`Credentials for the management interfaces are kept in the team password vault. Ask ${e.author} for access if you are new to the on-call rotation.`],
  },
  {
    kind: 'budget',
    stems: ['budget-review', 'quarterly-report', 'cost-summary', 'spend-forecast'],
    title: (e) => `${pick(e.rng, ['Budget Review', 'Quarterly Report', 'Cost Summary', 'Spend Forecast'])} ${e.quarter}`,
    intro: (e) => [
      `Spending for ${e.quarter} closed ${pick(e.rng, ['slightly under', 'close to', 'above'])} plan. The table compares approved budget with actual spend per department; figures are in ${e.locale.currency} and exclude payroll.`,
      `Main drivers this quarter were ${pick(e.rng, ['cloud hosting', 'licence renewals', 'contractor fees', 'travel', 'hardware refresh'])} and ${pick(e.rng, ['office moves', 'marketing events', 'support contracts', 'training', 'recruiting fees'])}. Department heads should send comments before the next finance meeting.`,
    ],
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
    closing: (e) => [`Prepared by ${e.author}. Please do not forward outside the management team.`],
  },
  {
    kind: 'vendors',
    stems: ['vendor-contacts', 'supplier-list', 'contract-renewals'],
    title: (e) => pick(e.rng, ['Vendor Contacts', 'Supplier List', 'Contract Renewals']),
    intro: (e) => [
      `Current suppliers for ${e.company} with the named contact for each account. Renewal dates come from the signed contracts held by ${pick(e.rng, ['Procurement', 'Finance', 'Legal'])}.`,
      `Contact details change often; if a number bounces, update this document rather than keeping a private copy.`,
    ],
    tableHeading: 'Vendors',
    table: (e) => {
      const rows = sample(e.rng, VENDORS, between(e.rng, 6, 11)).map((v) => {
        const who = personName(e.rng);
        const domain = v.toLowerCase().replace(/[^a-z]+/g, '').slice(0, 14) + '.com';
        return [v, who, phone(e), emailFor(who, domain), shortDate(e.rng, e.year + between(e.rng, 0, 1))];
      });
      return { headers: ['Vendor', 'Contact', 'Phone', 'Email', 'Renewal'], rows };
    },
    closing: () => ['Payment terms are net 30 unless the contract says otherwise.'],
  },
  {
    kind: 'access',
    stems: ['access-matrix', 'access-review', 'user-permissions'],
    title: (e) => `${pick(e.rng, ['Access Matrix', 'Access Review', 'User Permissions'])} ${e.year}`,
    intro: (e) => [
      `Each line records who may approve access to a system and which directory group grants it. Reviews are due every ${pick(e.rng, ['quarter', 'six months'])}; overdue lines are flagged for follow up.`,
      `Requests go through the service desk. Approvers must confirm in writing; a chat message is not enough.`,
    ],
    tableHeading: 'Systems and approvers',
    table: (e) => {
      const rows = sample(e.rng, SYSTEMS, between(e.rng, 6, 12)).map((s) => [
        s,
        `GRP-${s.toUpperCase().replace(/[^A-Z]+/g, '-').replace(/-+$/, '')}-${pick(e.rng, ['RW', 'RO', 'ADM'])}`,
        personName(e.rng),
        shortDate(e.rng, e.year),
        pick(e.rng, ['Done', 'Done', 'Pending', 'Overdue']),
      ]);
      return { headers: ['System', 'Group', 'Approver', 'Last review', 'Status'], rows };
    },
    closing: (e) => [`Questions to ${e.author}.`],
  },
  {
    kind: 'invoices',
    stems: ['invoice-summary', 'open-invoices', 'receivables'],
    title: (e) => `${pick(e.rng, ['Invoice Summary', 'Open Invoices', 'Receivables Overview'])} ${e.quarter}`,
    intro: (e) => [
      `Invoices issued by ${e.company} that were open at the end of the period. Amounts include tax. Items older than 60 days have been passed to collections for a reminder.`,
    ],
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
    closing: () => ['Bank details for payment are on the invoice; they have not changed this year.'],
  },
  {
    kind: 'audit',
    stems: ['audit-findings', 'security-review', 'pentest-summary'],
    title: (e) => pick(e.rng, ['Audit Findings', 'Security Review Findings', 'Internal Audit Summary']),
    intro: (e) => [
      `Summary of the findings from the ${pick(e.rng, ['internal audit', 'external assessment', 'annual security review'])} of ${e.company}. Severity follows the usual four levels; owners agreed the due dates in the closing meeting.`,
      `Evidence for each item is in the audit folder. Do not copy it to personal drives.`,
    ],
    tableHeading: 'Findings',
    table: (e) => {
      const rows = sample(e.rng, FINDINGS, between(e.rng, 5, 10)).map((f, i) => [`F-${String(i + 1).padStart(2, '0')}`, f, pick(e.rng, ['Critical', 'High', 'High', 'Medium', 'Medium', 'Low']), personName(e.rng), shortDate(e.rng, e.year)]);
      return { headers: ['Ref', 'Finding', 'Severity', 'Owner', 'Due'], rows };
    },
    closing: (e) => [`Status updates go to ${e.author} every two weeks until every item is closed.`],
  },
  {
    kind: 'runbook',
    stems: ['dr-runbook', 'failover-procedure', 'incident-playbook'],
    title: (e) => pick(e.rng, ['Disaster Recovery Runbook', 'Failover Procedure', 'Incident Playbook']),
    intro: (e) => [
      `Use this procedure when the primary site in ${pick(e.rng, CITIES)} is unavailable for more than ${pick(e.rng, [30, 45, 60, 120])} minutes. The target is to restore core services within ${pick(e.rng, [4, 6, 8])} hours.`,
      `Work through the steps in order and write the time each one finished in the incident ticket.`,
    ],
    tableHeading: 'Steps',
    table: (e) => {
      const steps = DR_STEPS.slice(0, between(e.rng, 7, DR_STEPS.length));
      const rows = steps.map((s, i) => [String(i + 1), s, pick(e.rng, ['On-call engineer', 'Incident lead', 'DBA', 'Network team', 'Service desk']), String(pick(e.rng, [5, 10, 15, 20, 30, 45]))]);
      return { headers: ['Step', 'Action', 'Owner', 'Minutes'], rows };
    },
    closing: (e) => [`Emergency bridge: ${phone(e)}. Out of hours escalation: ${personName(e.rng)}, ${phone(e)}.`],
  },
  {
    kind: 'onboarding',
    stems: ['onboarding-guide', 'new-starter-checklist', 'it-onboarding'],
    title: (e) => pick(e.rng, ['Onboarding Guide', 'New Starter Checklist', 'IT Onboarding']),
    intro: (e) => [
      `Welcome to ${e.company}. This checklist is worked through by the hiring manager and IT during the first week. Temporary passwords are handed over in person and must be changed at first login.`,
    ],
    tableHeading: 'First week',
    table: (e) => {
      const rows = sample(e.rng, ONBOARD_TASKS, between(e.rng, 6, ONBOARD_TASKS.length)).map(([task, sys]) => [task, sys, personName(e.rng), pick(e.rng, ['Day 1', 'Day 1', 'Day 2', 'Day 3', 'Week 1'])]);
      return { headers: ['Task', 'System', 'Contact', 'When'], rows };
    },
    closing: (e) => [`The Wi-Fi for guests is separate from the staff network. Ask reception for the guest code; the staff network uses your directory login. Help desk: helpdesk@${e.mailDomain}.`],
  },
  {
    kind: 'headcount',
    stems: ['headcount-plan', 'salary-bands', 'hiring-plan'],
    title: (e) => `${pick(e.rng, ['Headcount Plan', 'Salary Bands', 'Hiring Plan'])} ${e.year}`,
    intro: (e) => [
      `Confidential. Planned roles and salary bands for ${e.year}, as agreed with ${pick(e.rng, ['the leadership team', 'Finance', 'the board'])}. Figures are annual base salary in ${e.locale.currency} before benefits.`,
    ],
    tableHeading: 'Roles',
    table: (e) => {
      const rows = sample(e.rng, JOB_TITLES, between(e.rng, 6, 11)).map((t) => {
        const lo = between(e.rng, 42, 120) * 1000;
        const hi = lo + between(e.rng, 8, 40) * 1000;
        return [t, pick(e.rng, DEPARTMENTS), `${pick(e.rng, ['B', 'C', 'D'])}${between(e.rng, 1, 4)}`, `${money(lo * 100).slice(0, -3)} to ${money(hi * 100).slice(0, -3)}`, String(between(e.rng, 0, 4))];
      });
      return { headers: ['Role', 'Department', 'Band', 'Range', 'Open'], rows };
    },
    closing: (e) => [`Do not share outside HR and department heads. Owner: ${e.author}.`],
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
    subtitle: `${env.company} | ${pick(rng, DEPARTMENTS)}`,
    intro: template.intro(env),
    tableHeading: template.tableHeading,
    table: template.table(env),
    closingHeading: pick(rng, ['Notes', 'Next steps', 'Contacts', 'Remarks']),
    closing: template.closing(env),
    classification: pick(rng, ['Internal', 'Confidential', 'Internal use only', 'Restricted']),
  };
}

/** Reference numbers for documents: `DOC-` plus a short token. */
export function docRef(rng: Rng): string {
  return `${pick(rng, ['DOC', 'REF', 'RPT'])}-${token(rng, 5, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`;
}
