// Progress of long work on stderr (plan --out, check, verify, diff, stats, bake): events done, the
// share done where it is known, rate and ETA. On a terminal one line is redrawn in place; in a
// pipe or a CI log a plain line is written every few seconds. Work that reads or plans events
// reports through a ProgressFn; this module only times and draws. The wall clock is read here,
// at the edge, never in the core.
import { thousands } from '../util/format.js';

/** What a pass reports: events done, and how far through it is when that is known. */
export interface ProgressTick {
  /** Events done in this phase. */
  done: number;
  /** Events in this phase, when known (the share done follows from it). */
  total?: number;
  /** Share done in [0, 1] when the total is not known (for example the virtual-time share). */
  fraction?: number;
  /** The phase when a command makes more than one pass (`reproducing` in check). */
  phase?: string;
}

export type ProgressFn = (t: ProgressTick) => void;

/** Calls per event are cheap: reporters call a ProgressFn every this many events. */
export const PROGRESS_EVERY = 4096;

/** Seconds as `45s`, `3m05s`, `1h02m`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The share done, from the total when known, else the reported fraction. */
export function shareOf(t: ProgressTick): number | null {
  if (t.total !== undefined && t.total > 0) return Math.min(1, t.done / t.total);
  if (t.fraction !== undefined && Number.isFinite(t.fraction)) return Math.max(0, Math.min(1, t.fraction));
  return null;
}

/** The progress text: `check: 1,234,567 events  45%  210,000 events/s  ETA 12s`. Pure. */
export function progressLine(label: string, t: ProgressTick, elapsedSeconds: number): string {
  const share = shareOf(t);
  const parts = [`${label}${t.phase ? ` (${t.phase})` : ''}: ${thousands(t.done)}${t.total !== undefined ? ` of ${thousands(t.total)}` : ''} events`];
  if (share !== null) parts.push(`${(share * 100).toFixed(0)}%`);
  if (elapsedSeconds > 0) parts.push(`${thousands(t.done / elapsedSeconds)} events/s`);
  if (share !== null && share > 0 && share < 1 && elapsedSeconds > 0) parts.push(`ETA ${duration((elapsedSeconds * (1 - share)) / share)}`);
  return parts.join('  ');
}

export interface ProgressOptions {
  enabled: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Seconds between plain lines when the stream is not a terminal (default 5). */
  lineEverySeconds?: number;
  now?: () => number;
}

/** Seconds between plain lines; DECNET_SIM_PROGRESS_SECONDS overrides it (tests, CI logs). */
export function defaultLineSeconds(fallback = 5): number {
  const v = Number(process.env.DECNET_SIM_PROGRESS_SECONDS);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export class ProgressDisplay {
  private readonly label: string;
  private readonly enabled: boolean;
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly tty: boolean;
  private readonly everyMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private phaseStarted: number;
  private phase: string | undefined;
  private last: number;
  private drawnWidth = 0;

  constructor(label: string, o: ProgressOptions) {
    this.label = label;
    this.enabled = o.enabled;
    this.stream = o.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.everyMs = this.tty ? 200 : (o.lineEverySeconds ?? defaultLineSeconds()) * 1000;
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
    this.phaseStarted = this.started;
    this.last = this.started;
  }

  /** The ProgressFn to hand to the work (bound; does nothing when progress is off). */
  readonly tick: ProgressFn = (t) => {
    if (!this.enabled) return;
    const now = this.now();
    if (t.phase !== this.phase) {
      this.phase = t.phase;
      this.phaseStarted = now;
    }
    if (now - this.last < this.everyMs) return;
    this.last = now;
    this.draw(progressLine(this.label, t, (now - this.phaseStarted) / 1000));
  };

  private draw(text: string): void {
    if (this.tty) {
      const max = Math.max(20, (this.stream.columns ?? 100) - 1);
      const line = text.length > max ? text.slice(0, max) : text;
      this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.drawnWidth - line.length))}`);
      this.drawnWidth = line.length;
    } else {
      this.stream.write(`progress: ${text}\n`);
    }
  }

  /** Clear the redrawn line (terminal) before the command prints its result. */
  finish(): void {
    if (this.tty && this.drawnWidth > 0) this.stream.write(`\r${' '.repeat(this.drawnWidth)}\r`);
    this.drawnWidth = 0;
  }
}

/** The virtual-time share of a plan's horizon that an event at `at` has reached. */
export function horizonShare(startIso: string, endIso: string): (at: string) => number {
  const s = Date.parse(startIso);
  const span = Date.parse(endIso) - s;
  return (at) => (span > 0 ? (Date.parse(at) - s) / span : 1);
}
