// Shared helpers for the lure generators: name pools, escaping, small formatting routines and
// guards that keep persona or host strings out of a body when they would give the game away.
import { createHash } from 'node:crypto';
import { between, pick, token, type Rng } from '../rng/stream.js';
import type { CanaryContext } from './types.js';

export const DAY = 86_400;

/** Words that must never reach a planted byte. */
export const FORBIDDEN = /decnet|canary/i;

export const FIRST_NAMES = [
  'Aaron', 'Abigail', 'Adrian', 'Aisha', 'Alan', 'Alicia', 'Amir', 'Ana', 'Andre', 'Beatriz',
  'Ben', 'Bianca', 'Brandon', 'Camila', 'Carl', 'Chen', 'Chloe', 'Claire', 'Colin', 'Dana',
  'Daniel', 'Deepa', 'Diego', 'Elena', 'Emeka', 'Erik', 'Fatima', 'Felix', 'Fiona', 'Gareth',
  'Grace', 'Hannah', 'Hector', 'Ines', 'Ivan', 'Jamal', 'Jana', 'Jeremy', 'Joanna', 'Jorge',
  'Julia', 'Kai', 'Karen', 'Kenji', 'Laura', 'Leon', 'Lucia', 'Malik', 'Marco', 'Maria',
  'Martin', 'Maya', 'Mei', 'Nadia', 'Nathan', 'Nina', 'Oliver', 'Olga', 'Omar', 'Paula',
  'Pedro', 'Priya', 'Rafael', 'Rebecca', 'Rohan', 'Ruth', 'Samir', 'Sandra', 'Sean', 'Sofia',
  'Stefan', 'Tamara', 'Theo', 'Tomas', 'Uma', 'Victor', 'Wendy', 'Yusuf', 'Zoe', 'Zora',
] as const;

export const LAST_NAMES = [
  'Abbott', 'Adeyemi', 'Alvarez', 'Andersson', 'Baker', 'Barros', 'Becker', 'Bennett', 'Brooks',
  'Castillo', 'Chandra', 'Clarke', 'Costa', 'Dalton', 'Dubois', 'Eriksen', 'Fischer', 'Fleming',
  'Garcia', 'Gomez', 'Greene', 'Hansen', 'Hayes', 'Hoffmann', 'Hughes', 'Ibrahim', 'Ito', 'Jansen',
  'Kaur', 'Keller', 'Kowalski', 'Larsen', 'Lopez', 'Lund', 'Mahmoud', 'Marsh', 'Mendes', 'Moreau',
  'Murphy', 'Nakamura', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Pereira', 'Petrov', 'Quinn', 'Ramos',
  'Reyes', 'Richter', 'Rossi', 'Santos', 'Schmidt', 'Shah', 'Silva', 'Sorensen', 'Tanaka', 'Torres',
  'Turner', 'Varga', 'Vogel', 'Walsh', 'Weber', 'Whitfield', 'Wong', 'Yamada', 'Young', 'Zhang',
] as const;

export const COMPANIES = [
  'Northgate Logistics', 'Bluefield Dental', 'Harbor & Pine Legal', 'Kestrel Analytics',
  'Summit Ridge Hotels', 'Orchard Lane Foods', 'Ironbridge Manufacturing', 'Clearwater Utilities',
  'Meridian Travel', 'Copperleaf Retail', 'Granite Peak Insurance', 'Silverline Freight',
  'Oakmont Health', 'Brightwave Media', 'Tidewater Marine', 'Redstone Property Group',
  'Lakeshore Credit Union', 'Fairhaven Schools', 'Aster Biolabs', 'Westgate Motors',
] as const;

export const CITIES = [
  'Austin', 'Leeds', 'Lyon', 'Porto', 'Denver', 'Rotterdam', 'Krakow', 'Toronto', 'Dublin',
  'Seattle', 'Valencia', 'Gothenburg', 'Brno', 'Adelaide', 'Cork', 'Tampa', 'Graz', 'Malmo',
] as const;

export const DEPARTMENTS = [
  'Finance', 'Operations', 'IT', 'Sales', 'Human Resources', 'Legal', 'Procurement',
  'Customer Support', 'Engineering', 'Facilities', 'Marketing', 'Security',
] as const;

export const INTERNAL_DOMAINS = ['corp.local', 'int.lan', 'office.internal', 'hq.lan', 'ad.local'] as const;

/** A company's web domain as such firms register them: `northwind.com`, `kestrelanalytics.co.uk`. */
export function companyDomain(company: string, rng: Rng): string {
  const words = company.toLowerCase().replace(/[^a-z ]+/g, ' ').split(' ').filter(Boolean);
  const stem = rng() < 0.5 ? words[0]! : words.join('').slice(0, 16);
  return stem + pick(rng, ['.com', '.com', '.net', '.co.uk', '.io', '.eu']);
}

export function personName(rng: Rng): string {
  return `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`;
}

export function emailFor(name: string, domain: string): string {
  const parts = name.toLowerCase().replace(/[^a-z ]/g, '').split(' ').filter(Boolean);
  if (parts.length === 0) return `office@${domain}`;
  const local = parts.length === 1 ? parts[0]! : `${parts[0]}.${parts[parts.length - 1]}`;
  return `${local}@${domain}`;
}

/** A string from the inputs, or the fallback when it is empty or would reveal the honeypot. */
export function safeText(s: string | undefined, fallback: string): string {
  if (!s || FORBIDDEN.test(s) || /[\u2013\u2014\u0000-\u001f]/.test(s)) return fallback;
  return s;
}

export function ownerName(ctx: CanaryContext): string {
  return safeText(ctx.owner.name, 'Administrator');
}

export function ownerLogin(ctx: CanaryContext): string {
  return safeText(ctx.owner.login, 'user');
}

export function hostName(ctx: CanaryContext): string {
  return safeText(ctx.hostname, 'srv01');
}

/** The owner's mail domain if the persona has one, else a plausible internal domain. */
export function mailDomain(ctx: CanaryContext, rng: Rng): string {
  const m = /@([a-z0-9.-]+\.[a-z]{2,})$/i.exec(ctx.owner.email ?? '');
  const fallback = ctx.org?.domain ?? companyDomain(pick(rng, COMPANIES), rng);
  return m ? safeText(m[1]!.toLowerCase(), fallback) : fallback;
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** `Network-Inventory-2026-01-05.docx` becomes `Network Inventory`. */
export function titleFromPath(path: string, fallback: string): string {
  const stem = basename(path).replace(/\.[A-Za-z0-9]+$/, '');
  const words = stem
    .replace(/\d{4}-\d{2}-\d{2}/g, ' ')
    .split(/[-_ .]+/)
    .filter((w) => w.length > 0 && !/^\d+$/.test(w));
  if (words.length === 0) return fallback;
  const title = words.map((w) => (/^[a-z]/.test(w) ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
  return safeText(title, fallback);
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export const htmlEscape = xmlEscape;

export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of data) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2026-01-05 09:30:00` in UTC. */
export function sqlDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** `5 January 2026` in UTC. */
export function longDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `Q1 2026` for the quarter holding ms (UTC). */
/** The last quarter that had closed by ms (a report written in July covers April to June). */
export function closedQuarter(ms: number): string {
  const d = new Date(ms);
  const q = Math.floor(d.getUTCMonth() / 3);
  return q === 0 ? `Q4 ${d.getUTCFullYear() - 1}` : `Q${q} ${d.getUTCFullYear()}`;
}

export function utcYear(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** Money with thousands separators and two decimals: `12,480.50`. */
export function money(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = pad(cents % 100);
  return `${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export const ALNUM_MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A password-like string people actually pick: word, digits, symbol. */
export function humanPassword(rng: Rng): string {
  const word = pick(rng, ['Harbor', 'Falcon', 'Maple', 'Winter', 'Copper', 'Orbit', 'Juniper', 'Sunset', 'Granite', 'Velvet', 'Atlas', 'Pepper']);
  return `${word}${between(rng, 10, 99)}${pick(rng, ['!', '#', '$', '@', '?', '%'])}${token(rng, 2, ALNUM_MIXED)}`;
}

/** Random string, redrawn until it is free of forbidden words (a deterministic redraw). */
export function cleanToken(rng: Rng, length: number, alphabet: string): string {
  for (;;) {
    const t = token(rng, length, alphabet);
    if (!FORBIDDEN.test(t)) return t;
  }
}

/** Candidate names: each pool entry with and without the date, shuffled by the stream. */
export function docCandidates(rng: Rng, dir: string, pool: readonly string[], ext: string, date: string, n = 5): string[] {
  const order = pool.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out: string[] = [];
  for (const stem of order.slice(0, n)) {
    // A dated name carries a day well before the event, so it never postdates the file's
    // backdated mtime (documents are at most a couple of weeks old).
    out.push(rng() < 0.5 ? `${dir}/${stem}-${shiftDate(date, -between(rng, 14, 45))}.${ext}` : `${dir}/${stem}.${ext}`);
  }
  // Fallbacks when every drawn name is taken: the same stems with a version suffix.
  for (const stem of order.slice(0, 2)) out.push(`${dir}/${stem}-v2.${ext}`);
  return out;
}

/** `YYYY-MM-DD` moved by whole days (UTC); an unparsable input comes back unchanged. */
export function shiftDate(date: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * How old the documents in a home are: log-uniform from a day to SPREAD_MAX_DAYS (many recent
 * files, fewer old ones), the same spread for a home's ordinary documents (the pre-history) and
 * its lure documents, so neither stands out by age.
 */
export const SPREAD_MAX_DAYS = 200;
export function spreadAgeSeconds(rng: Rng): number {
  return Math.round(Math.exp(rng() * Math.log(SPREAD_MAX_DAYS)) * DAY);
}

export function ageDays(rng: Rng, lo: number, hi: number): number {
  return Math.round((lo + rng() * (hi - lo)) * DAY);
}


export { isoSeconds as isoSecondsUtc } from '../util/time.js';
