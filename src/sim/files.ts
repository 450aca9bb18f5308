// A decky's file model: what the engine knows exists on it. Editable files form a bounded
// working set (people stop touching old files; memory must not grow with the horizon); every
// used path is remembered so nothing is ever re-created, except dated names, which are forgotten
// once their date is well past (no create can produce them again).
import type { ContentClass } from '../inputs/types.js';
import { pathDate } from '../realism/paths.js';

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
}

export const WORKING_SET = 24;
/** Files beyond these sizes are no longer edited, so an append can never pass 64 KiB. */
export const USER_EDIT_LIMIT = 16 * 1024;
export const LOG_EDIT_LIMIT = 24 * 1024;

export class FileModel {
  /** The working set, oldest first (an array: the engine scans it on most ticks). */
  editable: FileState[] = [];
  private readonly used = new Set<string>();
  private readonly dated = new Map<string, string[]>();
  private prunedBefore = '';

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
      if (this.editable.length > WORKING_SET) this.editable.shift();
    }
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
    if (forgot) this.editable = this.editable.filter((f) => this.used.has(f.path));
  }
}
