// A file's times as a reader of the disk would find them (issue 15, item 2). Every mtime carries
// nanoseconds, drawn from the tick's own "times" stream (purpose 3), so they stay deterministic
// and no other draw moves. atime says when the file is next read after this write: equal to the
// mtime when nobody reads it, later when its owner (or a daemon, or cron running a script) does.
// A planned read may fall after the event: consumers take it only once their clock has passed it
// (materialise at a bake point, the live writer at the wall clock), else they keep atime = mtime.
// atime is never before mtime: Docker's layer extraction would raise it to mtime anyway.
import type { ContentClass } from '../inputs/types.js';
import type { Rng } from '../rng/stream.js';
import { isoNanos, parseNanos } from '../util/time.js';

const NS = 1_000_000_000;

interface ReadHabit {
  /** Chance that the file is read after this write. */
  p: number;
  /** Mean delay of that read, seconds (exponential), or null: read back before the event. */
  meanS: number | null;
}

// Canaries are backdated: a lure the owner has been using is read between its mtime and the event.
const HABITS: Partial<Record<ContentClass, ReadHabit>> = {
  note: { p: 0.45, meanS: 4 * 3600 },
  todo: { p: 0.7, meanS: 2 * 3600 },
  draft: { p: 0.4, meanS: 6 * 3600 },
  script: { p: 0.6, meanS: 3600 },
  log_cron: { p: 0.08, meanS: 1800 },
  log_daemon: { p: 0.12, meanS: 1800 },
  cache_tmp: { p: 0.9, meanS: 120 },
  canary_mysql_dump: { p: 0.15, meanS: null },
};
const LURE: ReadHabit = { p: 0.7, meanS: null };

export interface FileTimes {
  mtime: string;
  atime: string;
  /** The mtime's nanoseconds (kept per file so a second write in the same second moves forward). */
  mtimeNs: number;
}

/**
 * Times of a write at `mtimeMs` (whole seconds) in an event at `atMs`. `floorNs`: the file's
 * previous mtime nanoseconds when it was written in this same second (-1 otherwise), so per-path
 * mtimes never go backwards.
 */
export function fileTimes(r: Rng, cls: ContentClass, mtimeMs: number, atMs: number, floorNs: number): FileTimes {
  let ns = Math.floor(r() * NS);
  if (ns <= floorNs) ns = Math.min(NS - 1, floorNs + 1);
  const mtime = isoNanos(mtimeMs, ns);
  const habit = HABITS[cls] ?? LURE;
  if (r() >= habit.p) return { mtime, atime: mtime, mtimeNs: ns };
  // The read's offset from the mtime in nanoseconds, split into seconds and a fraction.
  let delayS: number;
  if (habit.meanS === null) delayS = Math.floor(r() * Math.max(0, (atMs - mtimeMs) / 1000));
  else delayS = Math.round(-habit.meanS * Math.log(1 - r()));
  let ans = ns + Math.floor(r() * NS);
  let sec = mtimeMs + delayS * 1000;
  if (ans >= NS) {
    ans -= NS;
    sec += 1000;
  }
  if (habit.meanS === null && sec > atMs) return { mtime, atime: mtime, mtimeNs: ns };
  return { mtime, atime: isoNanos(sec, ans), mtimeNs: ns };
}

/**
 * mtimes of the files written with a lure by the same command (a repository's objects and
 * refs, a key's `.pub`, the AWS CLI's `config`), oldest first: one after another, a fraction of
 * a millisecond to a few milliseconds apart, the last of them just before the lure itself.
 * One shared mtime, to the nanosecond, across a `.git` tree is what no command leaves.
 */
export function companionTimes(r: Rng, lureMtime: string, n: number): string[] {
  const at = parseNanos(lureMtime);
  if (at === null || n === 0) return Array(n).fill(lureMtime) as string[];
  let sec = at.sec * 1000;
  let ns = at.ns;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // 60 us to several ms between writes: small files, one process, a warm page cache.
    ns -= 60_000 + Math.floor(-Math.log(1 - r()) * 1_400_000);
    while (ns < 0) {
      ns += NS;
      sec -= 1000;
    }
    out.push(isoNanos(sec, ns));
  }
  return out.reverse();
}
