// Progress on stderr: a bar redrawn in place (\r) when stderr is a terminal, otherwise a plain
// line every few seconds. Progress is measured on the virtual clock (how far through the plan's
// time span the run is), so no event count is needed up front.
import type { RunTally } from './executor.js';

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  startMs: number;
  endMs: number;
  follow: boolean;
  /** Seconds between plain lines when stderr is not a terminal. */
  lineEverySeconds?: number;
  now: () => number;
}

/**
 * How far the run is: the virtual-time share of the plan taken from the source, times the share
 * of taken events already dealt with (in asap mode the source runs ahead of the lanes).
 */
function pct(o: ProgressOptions, t: RunTally): number {
  if (t.lastAt === null || t.events === 0) return 0;
  const span = o.endMs - o.startMs;
  const virtual = span <= 0 ? 1 : Math.max(0, Math.min(1, (Date.parse(t.lastAt) - o.startMs) / span));
  const dealt = t.applied + t.diverged + t.failed + t.rejected + t.pending + t.skipped;
  return virtual * Math.min(1, dealt / t.events) * 100;
}

export function progressText(o: ProgressOptions, t: RunTally, width = 24): string {
  const parts = [`applied ${t.applied + t.skipped}`, `failed ${t.failed + t.rejected}`];
  if (t.diverged) parts.push(`diverged ${t.diverged}`);
  if (t.pending) parts.push(`pending ${t.pending}`);
  if (o.follow) {
    return `following: ${parts.join('  ')}${t.nextAt ? `  next ${t.nextAt}` : ''}`;
  }
  const p = pct(o, t);
  const filled = Math.round((p / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.toFixed(0).padStart(3)}%  ${parts.join('  ')}${t.lastAt ? `  at ${t.lastAt}` : ''}`;
}

export class Progress {
  private readonly o: ProgressOptions;
  private readonly tty: boolean;
  private lastDraw = 0;
  private lastLen = 0;
  private latest: RunTally | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(o: ProgressOptions) {
    this.o = o;
    this.tty = Boolean(o.stream.isTTY);
    const every = this.tty ? 250 : (o.lineEverySeconds ?? 10) * 1000;
    this.timer = setInterval(() => this.draw(), every);
    this.timer.unref();
  }

  update(t: RunTally): void {
    this.latest = t;
    if (this.tty && this.o.now() - this.lastDraw >= 100) this.draw();
  }

  private draw(): void {
    if (!this.latest) return;
    this.lastDraw = this.o.now();
    const text = progressText(this.o, this.latest);
    if (this.tty) {
      const max = Math.max(20, (this.o.stream.columns ?? 100) - 1);
      const line = text.length > max ? text.slice(0, max) : text;
      this.o.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastLen - line.length))}`);
      this.lastLen = line.length;
    } else {
      this.o.stream.write(`progress: ${text}\n`);
    }
  }

  /** Before another line goes to the terminal: erase the bar (it is redrawn on the next update). */
  clearLine(): void {
    if (this.tty && this.lastLen > 0) {
      this.o.stream.write(`\r${' '.repeat(this.lastLen)}\r`);
      this.lastLen = 0;
    }
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty && this.latest) {
      this.draw();
      this.o.stream.write('\n');
    }
  }
}
