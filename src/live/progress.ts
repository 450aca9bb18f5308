// Progress of `run` on stderr: a bar redrawn in place (\r) when stderr is a terminal, otherwise a
// plain line every few seconds. How far the run is comes from the virtual clock (how far through
// the plan's time span the source is), so no event count is needed up front. The line names the
// event a lane started last (decky, action, path, planned time), so it moves while the lanes work
// through what the source handed them, even when the source itself is already at the end.
import { defaultLineSeconds, duration } from '../cli/progress.js';
import { thousands } from '../util/format.js';
import { escapeControls } from '../util/text.js';
import type { RunTally } from './executor.js';

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  startMs: number;
  endMs: number;
  follow: boolean;
  /** Paced as fast as possible: an ETA can be given. */
  asap?: boolean;
  /** Seconds between plain lines when stderr is not a terminal (default: every few seconds). */
  lineEverySeconds?: number;
  now: () => number;
}

/** Events with an outcome in this run (applied, skipped, failed, ...), not counting pending ones. */
export function dealtWith(t: RunTally): number {
  return t.applied + t.quiet + t.noUser + t.diverged + t.failed + t.rejected + t.skipped;
}

/**
 * How far the run is: the virtual-time share of the plan taken from the source, times the share
 * of taken events already dealt with (in asap mode the source runs ahead of the lanes).
 */
function pct(o: ProgressOptions, t: RunTally): number {
  if (t.lastAt === null || t.events === 0) return 0;
  const span = o.endMs - o.startMs;
  const virtual = span <= 0 ? 1 : Math.max(0, Math.min(1, (Date.parse(t.lastAt) - o.startMs) / span));
  const dealt = dealtWith(t) + t.pending;
  return virtual * Math.min(1, dealt / t.events) * 100;
}

/** The event being worked on, else what the run waits for (paced runs), else the last one. */
function doing(o: ProgressOptions, t: RunTally): string {
  const c = t.current;
  const what = c ? `${c.decky} ${c.action}${c.path ? ` ${c.path}` : ''} (${c.at})` : '';
  if (c && t.busy > 0) return `on ${what}`;
  if (!o.asap && t.nextAt) return `waiting for ${t.nextAt}${c ? `, last ${what}` : ''}`;
  return c ? `last ${what}` : '';
}

/** The progress text (pure): bar, share, counts, rate and ETA, and the event being worked on. */
export function progressText(o: ProgressOptions, t: RunTally, elapsedSeconds = 0, width = 24): string {
  const parts = [`applied ${thousands(t.applied)}`, `skipped ${thousands(t.quiet + t.noUser)}`];
  if (t.skipped) parts.push(`done earlier ${thousands(t.skipped)}`);
  parts.push(`failed ${thousands(t.failed + t.rejected)}`);
  if (t.diverged) parts.push(`diverged ${thousands(t.diverged)}`);
  if (t.pending) parts.push(`pending ${thousands(t.pending)}`);
  const now = doing(o, t);
  if (o.follow) return escapeControls(`following: ${parts.join('  ')}${now ? `  ${now}` : ''}`);
  const p = pct(o, t);
  const filled = Math.round((p / 100) * width);
  const done = dealtWith(t) - t.skipped;
  if (elapsedSeconds > 0 && done > 0) parts.push(`${thousands(done / elapsedSeconds)} events/s`);
  if (o.asap && elapsedSeconds > 0 && p > 0 && p < 100) parts.push(`ETA ${duration((elapsedSeconds * (100 - p)) / p)}`);
  return escapeControls(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.toFixed(0).padStart(3)}%  ${parts.join('  ')}${now ? `  ${now}` : ''}`);
}

export class Progress {
  private readonly o: ProgressOptions;
  private readonly tty: boolean;
  private readonly started: number;
  private lastDraw = 0;
  private lastLen = 0;
  private latest: RunTally | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(o: ProgressOptions) {
    this.o = o;
    this.tty = Boolean(o.stream.isTTY);
    this.started = o.now();
    const every = this.tty ? 250 : (o.lineEverySeconds ?? defaultLineSeconds()) * 1000;
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
    const text = progressText(this.o, this.latest, (this.lastDraw - this.started) / 1000);
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
