// Content invariants of issue 13 (check numbers 12 to 16): what a careful intruder or a
// detection-rule writer would notice inside planted text.
//   12. a line (3+ words) repeated within a user file;
//   13. a draft addressed to its own author;
//   14. a reserved or documentation domain (example.*, .test, .invalid, .example, .localhost)
//       in planted bytes, other than the configured callbacks (those are invariant 11's);
//   15. a sample-company name (Acme, Globex, Initech, Northwind, Contoso, ...);
//   16. dates inside a document that disagree with it: a due date before the document's date.
//   24. template seams in prose (notes, to-dos, drafts): a space before punctuation, at a line's
//       end, or doubled; a slot left unfilled (`$ticket`, `{rule}`, `{a|b}`).
import type { PlanInputs } from '../inputs/types.js';
import { repeatedLines } from '../stats/realism.js';
import type { TimelineEvent } from '../timeline/types.js';
import { type DateStyle, localeFacts } from '../world/locale.js';
import { type Organisation, buildOrganisation, personaCountry } from '../world/organisation.js';
import { RESERVED_HOST_RE, SAMPLE_COMPANY_RE } from '../world/placeholders.js';

const RESERVED_ALL = new RegExp(RESERVED_HOST_RE.source, 'gi');
const COMPANY_ALL = new RegExp(SAMPLE_COMPANY_RE.source, 'gi');
// Longer than any match of SAMPLE_COMPANY_RE and the character after it (asserted by a test).
export const COMPANY_SPAN = 64;
const USER = new Set(['note', 'todo', 'draft', 'script']);

export type Report = (invariant: number, reason: string) => void;

function callbackHosts(inputs: PlanInputs): Set<string> {
  const out = new Set<string>();
  const { httpBase, dnsZone } = inputs.config.canary;
  if (httpBase) {
    try {
      out.add(new URL(httpBase).hostname.toLowerCase());
    } catch {
      /* validated on input */
    }
  }
  if (dnsZone) out.add(dnsZone.toLowerCase());
  return out;
}

function ymdOf(d: string, style: DateStyle): string | null {
  let m: RegExpExecArray | null;
  if (style === 'ymd-dash') m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  else m = /^(\d{2})[./-](\d{2})[./-](\d{4})$/.exec(d);
  if (!m) return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
  if (style === 'ymd-dash') return `${m[1]}-${m[2]}-${m[3]}`;
  return style === 'mdy-slash' ? `${m[3]}-${m[1]}-${m[2]}` : `${m[3]}-${m[2]}-${m[1]}`;
}

/** A template's slot left in the text: `$name` (a variable) or `{a|b}` / `{rule}` (a choice or rule). */
const UNFILLED = /(^|[^\w\\])\$[a-z][A-Za-z]*\b|\{\$?[a-z_]+\}|\{[^{}\n|]*\|[^{}\n]*\}/;

/**
 * Where an optional part of a template came out empty and left its space: before a full stop,
 * comma, question or exclamation mark, at the end of a line, or doubled inside one; or where a
 * slot was left unfilled. Prose typed by a person has these rarely; a generator that leaves them
 * leaves them in every deployment.
 */
export function templateSeam(text: string): string | null {
  for (const line of text.split('\n')) {
    const what = / [.,?!](\s|$)/.test(line)
      ? 'a space before punctuation'
      : / +$/.test(line) && line.trim() !== ''
        ? 'a line ending in a space'
        : /\S {2,}\S/.test(line)
          ? 'a doubled space'
          : UNFILLED.test(line)
            ? 'an unfilled placeholder'
            : null;
    if (what) return `${what}: ${JSON.stringify(line.slice(0, 60))}`;
  }
  return null;
}

export class ContentChecker {
  private readonly org: Organisation | null;
  private readonly emails = new Map<string, string>();
  private readonly styles = new Map<string, DateStyle>();
  private readonly allowed: Set<string>;

  constructor(private readonly inputs: PlanInputs, seed: string | null) {
    this.org = seed === null ? null : buildOrganisation(seed, inputs);
    for (const p of inputs.personas) {
      const c = this.org?.colleagues.find((x) => x.name === p.name);
      const email = p.email || c?.email || '';
      if (email) this.emails.set(p.name, email.toLowerCase());
      this.styles.set(p.name, localeFacts(personaCountry(p, this.org?.country ?? 'GB')).dateStyle);
    }
    this.allowed = callbackHosts(inputs);
  }

  /**
   * Check one planted body (text view of its bytes). `appended`: the text is an earlier text of
   * that many characters, in which this check found neither a reserved domain (14) nor a sample
   * company (15), with text appended (0: not known). Returns whether it finds neither.
   */
  check(ev: TimelineEvent, text: string, v: Report, born: string | undefined = ev.mtime, appended = 0): boolean {
    const cls = ev.contentClass ?? '';
    let plain = true;
    // A reserved host is a run of [a-z0-9.-] after one other character (or the start): a match
    // holding a character outside those starts at it. The earlier text's matches before the
    // last such character there are the matches here before it, all allowed ones.
    let from = 0;
    if (appended > 0) {
      for (let i = Math.min(appended, text.length) - 1; i >= 0; i--) {
        const c = text.charCodeAt(i) | 0x20;
        if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d)) {
          from = i;
          break;
        }
      }
    }
    // Every match holds `example.` or a dot and a reserved top-level name (ASCII, any case):
    // texts without one skip the expression, which is tried at every position otherwise.
    const low = (from > 0 ? text.slice(from) : text).toLowerCase();
    const maybeReserved = low.includes('example.') || low.includes('.test') || low.includes('.invalid') || low.includes('.example') || low.includes('.localhost');
    if (maybeReserved) {
      RESERVED_ALL.lastIndex = from;
      for (let m = RESERVED_ALL.exec(text); m !== null; m = RESERVED_ALL.exec(text)) {
        if (m[0].length === 0) RESERVED_ALL.lastIndex++;
        const host = m[1]!.toLowerCase();
        if ([...this.allowed].some((a) => host === a || host.endsWith('.' + a))) continue;
        v(14, `planted bytes name the reserved domain ${JSON.stringify(host)}`);
        plain = false;
        break;
      }
      RESERVED_ALL.lastIndex = 0;
    }
    // A sample company's name is at most COMPANY_SPAN characters with the ones around it: a match
    // starting that far before the appended text lies in the earlier text, which had none.
    let company: RegExpExecArray | null;
    if (appended > COMPANY_SPAN) {
      COMPANY_ALL.lastIndex = appended - COMPANY_SPAN;
      company = COMPANY_ALL.exec(text);
      COMPANY_ALL.lastIndex = 0;
    } else company = SAMPLE_COMPANY_RE.exec(text);
    if (company) {
      v(15, `planted bytes name the sample company ${JSON.stringify(company[0])}`);
      plain = false;
    }
    if (!USER.has(cls)) return plain;
    const rep = repeatedLines(text);
    if (rep.length > 0) v(12, `line repeated within the file: ${JSON.stringify(rep[0]!.slice(0, 60))}`);
    if (cls !== 'script') {
      const seam = templateSeam(text);
      if (seam !== null) v(24, seam);
    }
    if (cls === 'draft' && ev.persona) {
      const to = /^To:\s*(\S+)/m.exec(text)?.[1]?.toLowerCase();
      const own = this.emails.get(ev.persona);
      if (to && own && to === own) v(13, `draft addressed to its own author (${to})`);
    }
    if (ev.persona && born) {
      const style = this.styles.get(ev.persona) ?? 'ymd-dash';
      // The document's own date: the day it was created, which its edits keep (a day's slack
      // for the author's time zone).
      const own = born.slice(0, 10);
      const dayBefore = new Date(Date.parse(own + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
      for (const m of text.matchAll(/\bdue (\d{2}[./-]\d{2}[./-]\d{4}|\d{4}-\d{2}-\d{2})\b/g)) {
        const due = ymdOf(m[1]!, style);
        if (due !== null && due < dayBefore) {
          v(16, `due date ${m[1]} is before the document's own date ${own}`);
          break;
        }
      }
    }
    return plain;
  }
}
