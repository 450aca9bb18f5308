// A decky's file model: what the engine knows exists on it. Editable files form a bounded
// working set (people stop touching old files; memory must not grow with the horizon); every
// used path is remembered so nothing is ever re-created, except dated names, which are forgotten
// once their date is well past (no create can produce them again).
import type { ContentClass } from '../inputs/types.js';
import { pathDate } from '../realism/paths.js';
import { PathSet } from '../util/path-set.js';

export interface FileState {
  path: string;
  cls: ContentClass;
  owner: string;
  persona: string | null;
  mode: string;
  body: string;
  bytes: number;
  sha256: string;
  /** Whether cls is a log class (read on every scan of the working set). */
  log: boolean;
  /** Time of the newest log line (logs only). */
  lastLogMs: number;
  /** Last write: its whole second (UTC ms) and the nanoseconds of its mtime. */
  writtenMs: number;
  mtimeNs: number;
}

export const WORKING_SET = 24;
/** Files beyond these sizes are no longer edited, so an append can never pass 64 KiB. */
export const USER_EDIT_LIMIT = 16 * 1024;
export const LOG_EDIT_LIMIT = 24 * 1024;

/** Whether a file is still below the size past which it is no longer edited. */
export function hasRoom(f: FileState): boolean {
  return f.bytes < (f.log ? LOG_EDIT_LIMIT : USER_EDIT_LIMIT);
}

export class FileModel {
  /** The working set, oldest first. */
  editable: FileState[] = [];
  /** Every path used (fingerprints: this grows with the horizon, see PathSet). */
  private readonly used = new PathSet();
  private readonly dated = new Map<string, string[]>();
  private prunedBefore = '';
  // Working-set files with room to grow, counted as they come, go and grow, so the engine's
  // per-tick question "how many files could be edited now" needs no scan (editableCount).
  private logsWithRoom = 0;
  private readonly userWithRoom = new Map<string, number>();
  /** At least the newest lastLogMs of any log that joined or grew (an upper bound). */
  private newestLogMs = -Infinity;

  private tally(f: FileState, delta: 1 | -1): void {
    if (!hasRoom(f)) return;
    if (f.log) this.logsWithRoom += delta;
    else if (f.persona !== null) this.userWithRoom.set(f.persona, (this.userWithRoom.get(f.persona) ?? 0) + delta);
  }

  /**
   * How many working-set files can be edited at time `t`: logs with room whose newest line is
   * before t, and files with room of the given personas (none when null). -1 in the rare case a
   * log line may sit at or after t: the caller then looks at each file.
   */
  editableCount(t: number, personas: ReadonlyArray<{ name: string }> | null): number {
    if (this.newestLogMs >= t) return -1;
    let n = this.logsWithRoom;
    if (personas !== null) {
      for (let i = 0; i < personas.length; i++) {
        const p = personas[i]!.name;
        let first = true;
        for (let j = 0; j < i; j++) if (personas[j]!.name === p) first = false;
        if (first) n += this.userWithRoom.get(p) ?? 0;
      }
    }
    return n;
  }

  /** Apply an edit's new size and newest log line to a file of the working set. */
  grow(f: FileState, bytes: number, lastLogMs: number): void {
    this.tally(f, -1);
    f.bytes = bytes;
    f.lastLogMs = lastLogMs;
    this.tally(f, 1);
    if (f.log && lastLogMs > this.newestLogMs) this.newestLogMs = lastLogMs;
  }

  has(path: string): boolean {
    return this.used.has(path);
  }

  /**
   * Record a new path; editable files join the working set, evicting the oldest. `today` is the
   * date the name was made for: a name dated that day can be forgotten once the day is past (no
   * later create can produce it). Names with any other date (backdated lures) are kept.
   */
  add(path: string, file: FileState | null, today: string | null): void {
    this.used.add(path);
    const d = pathDate(path);
    if (d !== null && d === today) {
      const list = this.dated.get(d);
      if (list) list.push(path);
      else this.dated.set(d, [path]);
    }
    if (file) {
      // A new path (the engine checks has() first), so it is not in the working set yet.
      this.editable.push(file);
      this.tally(file, 1);
      if (file.log && file.lastLogMs > this.newestLogMs) this.newestLogMs = file.lastLogMs;
      if (this.editable.length > WORKING_SET) this.tally(this.editable.shift()!, -1);
    }
  }

  /**
   * A log named for a day (`worker-2026-01-09.log`) takes that day's lines only: once the day is
   * over it leaves the working set (a name's date is the UTC date it was made on, as is `today`).
   */
  closeDatedLogs(today: string): void {
    if (!this.editable.some((f) => f.log && (pathDate(f.path) ?? today) < today)) return;
    const keep: FileState[] = [];
    for (const f of this.editable) {
      if (f.log && (pathDate(f.path) ?? today) < today) this.tally(f, -1);
      else keep.push(f);
    }
    this.editable = keep;
  }

  /** Forget dated names whose date is before `cutoff` (YYYY-MM-DD). */
  prune(cutoff: string): void {
    if (cutoff <= this.prunedBefore) return;
    this.prunedBefore = cutoff;
    let forgot = false;
    for (const [d, paths] of this.dated) {
      if (d < cutoff) {
        for (const p of paths) this.used.delete(p);
        this.dated.delete(d);
        forgot = true;
      }
    }
    if (!forgot) return;
    const keep: FileState[] = [];
    for (const f of this.editable) {
      if (this.used.has(f.path)) keep.push(f);
      else this.tally(f, -1);
    }
    this.editable = keep;
  }
}
