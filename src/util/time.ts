// UTC formatting done by hand: never locale strings.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

// "00".."99": two-digit fields without a branch or number formatting per call.
const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

function pad2(n: number): string {
  return n >= 0 && n < 100 ? PAD2[n]! : n < 10 ? '0' + n : String(n);
}

/** `2026-01-05T09:30:00Z` (whole seconds). */
export function isoSeconds(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
}

/**
 * isoSeconds with the date part cached: a decky's clock stays within one day for many ticks.
 * One instance per caller; results are identical to isoSeconds.
 */
export class IsoClock {
  private dayStart = NaN;
  private prefix = '';

  format(ms: number): string {
    let off = ms - this.dayStart;
    if (!(off >= 0 && off < 86_400_000)) {
      this.dayStart = Math.floor(ms / 86_400_000) * 86_400_000;
      this.prefix = isoSeconds(this.dayStart).slice(0, 11);
      off = ms - this.dayStart;
    }
    const sec = Math.floor(off / 1000);
    const h = Math.floor(sec / 3600);
    const m = Math.floor(sec / 60) % 60;
    const s = sec % 60;
    // "HH:MM:SSZ" in one String.fromCharCode call (48 is '0', 58 ':', 90 'Z').
    return this.prefix + String.fromCharCode(48 + Math.floor(h / 10), 48 + (h % 10), 58, 48 + Math.floor(m / 10), 48 + (m % 10), 58, 48 + Math.floor(s / 10), 48 + (s % 10), 90);
  }
}

/** `2026-01-05` in UTC. */
export function utcDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

// The "Mon DD " part of the last day stamped: log lines come in runs on the same day.
let stampDay = NaN;
let stampPrefix = '';

/** Syslog stamp `Jan  5 09:30:00` (day space-padded), UTC. */
export function syslogStamp(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== stampDay) {
    const d = new Date(day * 86_400_000);
    const dd = d.getUTCDate();
    stampPrefix = `${MONTHS[d.getUTCMonth()]} ${dd < 10 ? ' ' + dd : dd} `;
    stampDay = day;
  }
  const sec = Math.floor((ms - day * 86_400_000) / 1000);
  return stampPrefix + PAD2[Math.floor(sec / 3600)]! + ':' + PAD2[Math.floor(sec / 60) % 60]! + ':' + PAD2[sec % 60]!;
}

export const SYSLOG_STAMP = /^([A-Z][a-z]{2}) ([ 1-3]\d) (\d\d):(\d\d):(\d\d) /;

/** Parse a syslog stamp at the start of a line, taking the year of `refMs` (or the one before if
 * that would put the stamp more than a day after refMs, as a log read around New Year). */
export function parseSyslogStamp(line: string, refMs: number): number | null {
  const m = SYSLOG_STAMP.exec(line);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1] as (typeof MONTHS)[number]);
  if (month < 0) return null;
  const year = new Date(refMs).getUTCFullYear();
  let t = Date.UTC(year, month, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  if (t > refMs + 86_400_000) t = Date.UTC(year - 1, month, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return t;
}

const PY_STAMP = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:,\d{3})? /;
const DPKG_STAMP = /^(?:Log started|Log ended|Start-Date|End-Date): (\d{4})-(\d\d)-(\d\d)  (\d\d):(\d\d):(\d\d)$/;
const NGINX_ERROR_STAMP = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[/;
const NGINX_ACCESS_STAMP = /^\S+ - \S+ \[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\] /;

/**
 * A log line's instant (whole seconds) in any form the machine's logs use: syslog's, Python
 * logging's (`2026-01-05 06:31:54,123 `, unattended-upgrades), dpkg's (`2026-01-05 06:31:54 `),
 * or the markers of dpkg's output and apt's history (`Log started: 2026-01-05  06:31:54`,
 * `Start-Date: ...`), nginx's error log (`2026/01/05 06:31:54 [error] ...`) or access log
 * (`10.1.2.3 - - [05/Jan/2026:06:31:54 +0000] ...`). Null for a line without one.
 */
export function parseLogStamp(line: string, refMs: number): number | null {
  // Syslog's form first: nearly every line checked is one (it starts with a month, the others a digit or a word).
  const s = parseSyslogStamp(line, refMs);
  if (s !== null) return s;
  const a = NGINX_ACCESS_STAMP.exec(line);
  if (a !== null) {
    const month = MONTHS.indexOf(a[2] as (typeof MONTHS)[number]);
    return month < 0 ? null : Date.UTC(Number(a[3]), month, Number(a[1]), Number(a[4]), Number(a[5]), Number(a[6]));
  }
  const m = PY_STAMP.exec(line) ?? DPKG_STAMP.exec(line) ?? NGINX_ERROR_STAMP.exec(line);
  if (m === null) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Parse an ISO 8601 instant (offset or Z required unless date only, taken as UTC). */
export function parseInstant(s: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00Z';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (!m) return null;
  // Never normalised: 2026-02-30 or 25:00 is an error, not another day.
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59 || sec > 59) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

const NS_DIGITS = 9;

/**
 * `2026-01-05T09:30:00.123456789Z`: the whole-second UTC instant `secondMs` (a multiple of 1000)
 * plus `ns` nanoseconds (0..999,999,999). Always nine digits: files written by real tools carry
 * nanoseconds, and a fixed width keeps the strings ordered like the instants.
 */
export function isoNanos(secondMs: number, ns: number): string {
  return isoSeconds(secondMs).slice(0, 19) + '.' + String(ns).padStart(NS_DIGITS, '0') + 'Z';
}

/** An ISO instant split into whole seconds (epoch) and nanoseconds; null when not ISO UTC. */
export function parseNanos(iso: string): { sec: number; ns: number } | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) return null;
  const ms = Date.parse(m[1]! + 'Z');
  if (!Number.isFinite(ms)) return null;
  return { sec: ms / 1000, ns: m[2] === undefined ? 0 : Number(m[2].padEnd(NS_DIGITS, '0')) };
}

/** Sign of a - b for two ISO instants with up to nine fractional digits (NaN if either is not one). */
export function compareInstants(a: string, b: string): number {
  const x = parseNanos(a);
  const y = parseNanos(b);
  if (x === null || y === null) return NaN;
  return x.sec !== y.sec ? Math.sign(x.sec - y.sec) : Math.sign(x.ns - y.ns);
}

/** Years a plan may cover (times are formatted with four-digit years). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9000;

/**
 * A duration as systemd writes one to the millisecond (format_timespan: `43.241s`,
 * `1min 2.345s`, `2d 4h 20min 31.150s`; whole units largest first, seconds with their fraction).
 */
export function systemdTimespan(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(ms));
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  // A whole number of seconds is written without its fraction (`31s`).
  if (rest >= 1000) parts.push(rest % 1000 === 0 ? `${rest / 1000}s` : `${Math.floor(rest / 1000)}.${String(rest % 1000).padStart(3, '0')}s`);
  else if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join(' ');
}
