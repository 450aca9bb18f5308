// The organisation a deployment belongs to (issue 13 item 1): company name, mail domain, office
// networks, teams, projects, internal hosts, the tools it uses and the people who work there
// (the fleet's personas first, then seeded colleagues). Derived once per plan, pure and
// immutable, from the seed, the persona pool and the fleet file's `organisation` block; every
// field the block sets wins.
//
// Its streams are labelled by the deployment key (seed, persona pool, organisation block), not
// by the deckies: adding a decky leaves the organisation, and so every text drawing on it,
// unchanged, while two fleets with other people or another block get another company.
import anyAscii from 'any-ascii';
import type { OrganisationInput, Persona, PlanInputs } from '../inputs/types.js';
import { type Rng, between, int, pick, sample, stream } from '../rng/stream.js';
import { sha256Hex } from '../util/hash.js';
import { type LocaleFacts, countryOfLocale, countryOfZone, localeFacts } from './locale.js';
import { COINED_HEADS, COINED_TAILS, CODENAMES, FIRST_NAMES, HOST_FUNCTIONS, LAST_NAMES, NAME_POOLS_BY_COUNTRY, NAME_WORDS, PROJECT_FUNCTIONS, TEAM_NAMES, TOOLS, TRADES, TRADE_SUFFIXES, VENDOR_TRADES } from './names.js';
import { isReservedHost, isSampleCompany } from './placeholders.js';

export type ToolKind = keyof typeof TOOLS;
export type ProjectLanguage = 'python' | 'node' | 'go' | 'php' | 'shell';

export interface Colleague {
  name: string;
  first: string;
  last: string;
  email: string;
  /** The persona's login, or the login such a colleague would have. */
  login: string;
  role: string;
  team: string;
  /** True for the fleet's own personas (they come first). */
  persona: boolean;
  country: string;
}

export interface Project {
  /** Short name people use and folders carry, `[a-z0-9-]`. */
  name: string;
  team: string;
  /** Repository path on the organisation's forge, e.g. `platform/kestrel`. */
  repo: string;
  language: ProjectLanguage;
}

export interface InternalHost {
  /** Short host name, e.g. `git` or `mon02`. */
  name: string;
  fqdn: string;
  /** What it does: git, wiki, ci, monitoring, mail, vpn, nas, backup, directory, ... */
  role: string;
  /** An address inside one of the office ranges. */
  address: string;
}

export interface Organisation {
  /** 16 hex digits naming the deployment (seed, people, block): salts every text stream. */
  key: string;
  /** Full name with legal form, e.g. `Harwell Freight Ltd`. */
  name: string;
  /** What staff call it, e.g. `Harwell`. */
  shortName: string;
  trade: string;
  /** Business nouns of its trade (shipments, patient records, ...). */
  tradeNouns: readonly string[];
  /** Public mail domain: every colleague's address is on it. */
  domain: string;
  /** DNS suffix of internal hosts, e.g. `corp.harwellfreight.co.uk` or `hq.harwell.lan`. */
  internalDomain: string;
  country: string;
  locale: LocaleFacts;
  /** Office networks in CIDR notation. */
  officeRanges: readonly string[];
  teams: readonly string[];
  projects: readonly Project[];
  hosts: readonly InternalHost[];
  tools: Readonly<Record<ToolKind, string>>;
  colleagues: readonly Colleague[];
  /** Suppliers that appear on invoices and in mail. */
  vendors: readonly string[];
}

/** The deployment key: what the organisation and text streams are labelled by. */
export function deploymentKey(seed: string, inputs: Pick<PlanInputs, 'personas' | 'organisation'>): string {
  const people = inputs.personas.map((p) => [p.name, p.email, p.role, p.locale]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return sha256Hex(JSON.stringify([seed, people, inputs.organisation])).slice(0, 16);
}

/** ASCII, lower case, only [a-z0-9]: what a name becomes in a login or a mail local part. */
export function asciiWord(s: string): string {
  return anyAscii(s).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function slugOf(s: string): string {
  return anyAscii(s).toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function splitName(name: string): { first: string; last: string } {
  const parts = name.trim().split(/\s+/);
  return { first: parts[0] ?? name, last: parts.length > 1 ? parts[parts.length - 1]! : '' };
}

/** first.last@domain, transliterated (`Łukasz Wiśniewski` gives lukasz.wisniewski). */
export function addressFor(name: string, domain: string, style = 0): string {
  const { first, last } = splitName(name);
  const f = asciiWord(first) || 'office';
  const l = asciiWord(last);
  if (l === '') return `${f}@${domain}`;
  switch (style % 3) {
    case 0: return `${f}.${l}@${domain}`;
    case 1: return `${f[0]}${l}@${domain}`;
    default: return `${f}.${l[0]}@${domain}`;
  }
}

function domainOf(email: string): string | null {
  const m = /@([a-z0-9.-]+\.[a-z]{2,})$/i.exec(email);
  return m ? m[1]!.toLowerCase() : null;
}

/** The country of a persona: its locale's region, else its time zone's, else the fallback. */
export function personaCountry(p: Pick<Persona, 'locale' | 'timezone'>, fallback: string): string {
  return (p.locale ? countryOfLocale(p.locale) : null) ?? countryOfZone(p.timezone) ?? fallback;
}

/** Most common country among the personas (ties: alphabetical), GB when none is known. */
function majorityCountry(personas: readonly Persona[]): string {
  const n = new Map<string, number>();
  for (const p of personas) {
    const c = (p.locale ? countryOfLocale(p.locale) : null) ?? countryOfZone(p.timezone);
    if (c) n.set(c, (n.get(c) ?? 0) + 1);
  }
  let best = 'GB';
  let bestN = 0;
  for (const [c, k] of [...n].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (k > bestN) [best, bestN] = [c, k];
  return best;
}

function companyName(rng: Rng): { base: string; trade: (typeof TRADES)[number] } {
  const trade = pick(rng, TRADES);
  for (;;) {
    let base: string;
    switch (int(rng, 4)) {
      case 0: base = `${pick(rng, COINED_HEADS)}${pick(rng, COINED_TAILS)}`; break;
      case 1: base = `${pick(rng, NAME_WORDS)} & ${pick(rng, NAME_WORDS)}`; break;
      default: base = pick(rng, NAME_WORDS);
    }
    if (!isSampleCompany(base)) return { base, trade };
  }
}

function octet(rng: Rng, lo: number, hi: number): number {
  return between(rng, lo, hi);
}

function officeRanges(rng: Rng): string[] {
  const n = between(rng, 1, 3);
  const out: string[] = [];
  const a = octet(rng, 16, 250);
  switch (int(rng, 3)) {
    case 0: for (let i = 0; i < n; i++) out.push(`10.${a}.${octet(rng, 0, 15) * 16}.0/20`); break;
    case 1: for (let i = 0; i < n; i++) out.push(`172.${octet(rng, 16, 31)}.${octet(rng, 0, 63) * 4}.0/22`); break;
    default: for (let i = 0; i < n; i++) out.push(`192.168.${octet(rng, 2, 250)}.0/24`);
  }
  return [...new Set(out)];
}

/** An address inside a CIDR range (host part away from .0, .1 and broadcast). */
export function addressIn(range: string, rng: Rng): string {
  const [net, bits] = range.split('/');
  const p = net!.split('.').map(Number);
  const size = 2 ** (32 - Number(bits));
  const base = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
  const v = (base + 10 + int(rng, Math.max(1, size - 20))) >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

const LANGUAGES: readonly ProjectLanguage[] = ['python', 'node', 'go', 'php', 'shell'];
const ROLES_FOR_EXTRAS = ['developer', 'sysadmin', 'sre', 'dba', 'manager', 'analyst', 'support', 'security', 'developer', 'developer'];

function personName(rng: Rng, country: string): { name: string; country: string } {
  const local = NAME_POOLS_BY_COUNTRY[country] ?? ['en'];
  // Most colleagues are local; some come from anywhere.
  const pools = Object.keys(FIRST_NAMES);
  const pool = rng() < 0.75 ? pick(rng, local) : pick(rng, pools);
  return { name: `${pick(rng, FIRST_NAMES[pool]!)} ${pick(rng, LAST_NAMES[pool]!)}`, country };
}

/**
 * Build the organisation of a deployment. Pure: the same seed and inputs give the same object.
 * Persona emails that are set keep their domain (the majority domain becomes the organisation's
 * unless the block sets one); personas without one get an address on the organisation's domain.
 */
export function buildOrganisation(seed: string, inputs: Pick<PlanInputs, 'personas' | 'organisation'>): Organisation {
  const key = deploymentKey(seed, inputs);
  const r = (purpose: string) => stream('org', key, purpose);
  const given = inputs.organisation;
  const country = given.country ?? majorityCountry(inputs.personas);
  const locale = localeFacts(country);

  const nr = r('name');
  const { base, trade } = companyName(nr);
  const legal = pick(nr, locale.legalForms);
  const suffix = pick(nr, TRADE_SUFFIXES);
  const shortName = given.name ? given.name.replace(/\s+(?:Ltd\.?|Limited|plc|LLP|Inc\.?|LLC|Corp\.?|GmbH.*|AG|S\.A\.|SAS|SARL|B\.V\.|AB|Oy|Pty Ltd|Pvt Ltd|Sp\. z o\.o\.)$/i, '') : base;
  const name = given.name ?? `${base} ${trade.word}${suffix ? ' ' + suffix : ''} ${legal}`;

  const dr = r('domain');
  const personaDomains = new Map<string, number>();
  for (const p of inputs.personas) {
    const d = domainOf(p.email);
    if (d) personaDomains.set(d, (personaDomains.get(d) ?? 0) + 1);
  }
  let majority: string | null = null;
  let majorityN = 0;
  for (const [d, k] of [...personaDomains].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (k > majorityN) [majority, majorityN] = [d, k];
  const slug = slugOf(shortName).replace(/-and-/g, '-') || 'office';
  const made = `${rng01(dr) < 0.5 ? slug.replace(/-/g, '') : slug}${rng01(dr) < 0.3 ? '-' + slugOf(trade.word) : ''}.${rng01(dr) < 0.7 ? locale.tld : 'com'}`;
  const domain = given.domain ?? majority ?? (isReservedHost(made) ? `${slug}-mail.${locale.tld}` : made);
  const shortSlug = slug.split('-')[0]!;
  const internalDomain = given.internalDomain ?? pick(dr, [`corp.${domain}`, `int.${domain}`, `${shortSlug}.lan`, `hq.${shortSlug}.lan`, `office.${domain}`, `ad.${domain}`]);

  const ranges = given.officeRanges ?? officeRanges(r('network'));

  const tr = r('teams');
  const teams = given.teams ?? sample(tr, TEAM_NAMES, between(tr, 3, 6));

  const pr = r('projects');
  const projectNames = given.projects ?? [...new Set([...sample(pr, CODENAMES, between(pr, 2, 4)), ...sample(pr, PROJECT_FUNCTIONS, between(pr, 3, 6))])];
  const projects: Project[] = projectNames.map((n) => {
    const team = pick(pr, teams);
    return { name: slugOf(n) || 'project', team, repo: `${slugOf(team)}/${slugOf(n)}`, language: pick(pr, LANGUAGES) };
  });

  const hr = r('hosts');
  const hosts: InternalHost[] = [];
  if (given.hosts) {
    for (const h of given.hosts) hosts.push({ name: h.name, fqdn: h.name.includes('.') ? h.name : `${h.name}.${internalDomain}`, role: h.role ?? 'server', address: h.address ?? addressIn(pick(hr, ranges), hr) });
  } else {
    const numbered = rng01(hr) < 0.4;
    for (const f of sample(hr, HOST_FUNCTIONS, between(hr, 7, 11))) {
      let n = pick(hr, f.names);
      if (numbered) n += `${between(hr, 0, 1) ? '0' : ''}${between(hr, 1, 3)}`;
      let address = addressIn(pick(hr, ranges), hr);
      while (hosts.some((h) => h.address === address)) address = addressIn(pick(hr, ranges), hr);
      hosts.push({ name: n, fqdn: `${n}.${internalDomain}`, role: f.role, address });
    }
  }

  const tlr = r('tools');
  const tools = {} as Record<ToolKind, string>;
  for (const k of Object.keys(TOOLS) as ToolKind[]) tools[k] = given.tools?.[k] ?? pick(tlr, TOOLS[k]);

  const cr = r('colleagues');
  const style = int(cr, 3);
  const colleagues: Colleague[] = [];
  const taken = new Set<string>();
  for (const p of inputs.personas) {
    const { first, last } = splitName(p.name);
    const email = p.email || addressFor(p.name, domain, style);
    colleagues.push({ name: p.name, first, last, email, login: p.login, role: p.role, team: pick(cr, teams), persona: true, country: personaCountry(p, country) });
    taken.add(p.name);
  }
  const extras: Array<{ name: string; email?: string | null; role?: string | null; team?: string | null }> = given.colleagues ?? [];
  const seeded = given.colleagues ? [] : Array.from({ length: between(cr, 6, 12) }, () => personName(cr, country).name);
  const all: Array<{ name: string; email?: string | null; role?: string | null; team?: string | null }> = [...extras, ...seeded.map((name) => ({ name }))];
  for (const e of all) {
    if (taken.has(e.name)) continue;
    taken.add(e.name);
    const { first, last } = splitName(e.name);
    colleagues.push({ name: e.name, first, last, email: e.email ?? addressFor(e.name, domain, style), login: asciiWord(e.name).slice(0, 32) || 'staff', role: e.role ?? pick(cr, ROLES_FOR_EXTRAS), team: e.team ?? pick(cr, teams), persona: false, country });
  }

  const vr = r('vendors');
  const vendors = Array.from({ length: 5 }, () => `${pick(vr, NAME_WORDS)} ${pick(vr, VENDOR_TRADES)} ${pick(vr, locale.legalForms)}`).filter((v, i, a) => a.indexOf(v) === i && !isSampleCompany(v));

  return Object.freeze({ key, name, shortName, trade: trade.word, tradeNouns: trade.nouns, domain, internalDomain, country, locale, officeRanges: ranges, teams, projects, hosts, tools, colleagues, vendors });
}


function rng01(rng: Rng): number {
  return rng();
}

/** The organisation's host for a role (git, wiki, ci, ...), or null when it has none. */
export function hostFor(org: Organisation, role: string): InternalHost | null {
  return org.hosts.find((h) => h.role === role) ?? null;
}

/** A colleague's record by name. */
export function colleagueNamed(org: Organisation, name: string): Colleague | null {
  return org.colleagues.find((c) => c.name === name) ?? null;
}

/** A stream for one purpose inside the deployment (seeded apart from the engine's own streams). */
export function orgStream(org: Organisation, ...labels: Array<string | number>): Rng {
  return stream('org', org.key, ...labels);
}
