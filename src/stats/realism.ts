// Measures of how fingerprintable a deployment's user files are (issue 13 item 2), shared by
// `npm run bench:realism` and the tests: distinct-line ratio, lines shared between deckies, the
// most repeated line, and how many files one deployment's frequent 6-word runs match in another.
import type { TimelineEvent } from '../timeline/types.js';

const USER = new Set(['note', 'todo', 'draft', 'script']);

const PROSE = new Set(['note', 'todo', 'draft']);

/**
 * Final body of every user file, per decky name then path. `prose`: notes, to-dos and drafts
 * only (scripts copied between hosts share their code lines, as real ones do).
 */
export function userBodies(events: Iterable<TimelineEvent>, prose = false): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const classes = prose ? PROSE : USER;
  for (const e of events) {
    if (e.kind !== 'file' || !e.contentClass || !classes.has(e.contentClass) || !e.content || !e.path) continue;
    let m = out.get(e.decky.name);
    if (!m) out.set(e.decky.name, (m = new Map()));
    m.set(e.path, e.content.data);
  }
  return out;
}

function words(line: string): number {
  const t = line.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/**
 * Lines that carry content: at least `min` words. Shorter lines (blank lines, greetings,
 * sign-offs, `fi`, `set -eu`) are what real people and real scripts repeat everywhere.
 */
export function contentLines(body: string, min = 4): string[] {
  return body.split('\n').map((l) => l.trim()).filter((l) => words(l) >= min);
}

/** Lines of at least 3 words that occur more than once in the body. */
export function repeatedLines(body: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const l of contentLines(body, 3)) {
    if (seen.has(l)) twice.add(l);
    seen.add(l);
  }
  return [...twice];
}

export interface LineStats {
  files: number;
  lines: number;
  distinct: number;
  distinctRatio: number;
  topLine: string;
  topCount: number;
  /** Per decky: share of its distinct content lines also found on another decky. */
  sharedByDecky: Record<string, number>;
  sharedMax: number;
  sharedMean: number;
}

export function lineStats(bodies: Map<string, Map<string, string>>): LineStats {
  const count = new Map<string, number>();
  const owners = new Map<string, Set<string>>();
  let lines = 0;
  let files = 0;
  const perDecky = new Map<string, Set<string>>();
  for (const [decky, m] of bodies) {
    const mine = new Set<string>();
    for (const body of m.values()) {
      files++;
      for (const l of contentLines(body)) {
        lines++;
        count.set(l, (count.get(l) ?? 0) + 1);
        mine.add(l);
      }
    }
    perDecky.set(decky, mine);
    for (const l of mine) {
      let o = owners.get(l);
      if (!o) owners.set(l, (o = new Set()));
      o.add(decky);
    }
  }
  let topLine = '';
  let topCount = 0;
  for (const [l, n] of count) if (n > topCount || (n === topCount && l < topLine)) [topLine, topCount] = [l, n];
  const sharedByDecky: Record<string, number> = {};
  for (const [d, mine] of [...perDecky].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    let shared = 0;
    for (const l of mine) if (owners.get(l)!.size > 1) shared++;
    sharedByDecky[d] = mine.size === 0 ? 0 : shared / mine.size;
  }
  const shares = Object.values(sharedByDecky);
  return {
    files, lines, distinct: count.size, distinctRatio: lines === 0 ? 1 : count.size / lines, topLine, topCount, sharedByDecky,
    sharedMax: shares.length ? Math.max(...shares) : 0, sharedMean: shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : 0,
  };
}

function grams(body: string, n = 6): Set<string> {
  const out = new Set<string>();
  for (const line of body.split('\n')) {
    const w = line.trim().toLowerCase().split(/\s+/).filter(Boolean);
    for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(' '));
  }
  return out;
}

/**
 * The 6-word runs (within a line, whitespace-separated, case-folded) that occur in at least
 * `share` of a deployment's user files (and in 3 files at least): what a rule writer who read
 * one deployment would grep for.
 */
export function frequentGrams(bodies: Map<string, Map<string, string>>, share = 0.02): Set<string> {
  const df = new Map<string, number>();
  let files = 0;
  for (const m of bodies.values()) {
    for (const b of m.values()) {
      files++;
      for (const g of grams(b)) df.set(g, (df.get(g) ?? 0) + 1);
    }
  }
  const min = Math.max(3, Math.ceil(files * share));
  return new Set([...df].filter(([, k]) => k >= min).map(([g]) => g));
}

/** Share of the user files of `bodies` that contain any of `frequent`. */
export function matchedShare(frequent: Set<string>, bodies: Map<string, Map<string, string>>): number {
  let files = 0;
  let hit = 0;
  for (const m of bodies.values()) {
    for (const b of m.values()) {
      files++;
      for (const g of grams(b)) {
        if (frequent.has(g)) {
          hit++;
          break;
        }
      }
    }
  }
  return files === 0 ? 0 : hit / files;
}
