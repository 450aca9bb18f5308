// The wall clock and pacing of a live run. This is the only place the live shell reads the
// time; the simulation (src/sim) never does.
import { InputError } from '../errors.js';

export interface Clock {
  now(): number;
  /** Resolves after ms, or early when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const wallClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = (): void => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, Math.min(ms, 2 ** 31 - 1));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export type Pace = { kind: 'asap' } | { kind: 'factor'; factor: number };

/** `asap`, `realtime`, or a speed factor such as `60` or `60x` (virtual seconds per wall second). */
export function parsePace(s: string): Pace {
  if (s === 'asap') return { kind: 'asap' };
  if (s === 'realtime') return { kind: 'factor', factor: 1 };
  const m = /^(\d+(?:\.\d+)?)x?$/.exec(s);
  const f = m ? Number(m[1]) : NaN;
  if (!(f > 0) || !Number.isFinite(f)) throw new InputError(`--pace: expected asap, realtime or a positive speed factor such as 60, got ${JSON.stringify(s)}`);
  return { kind: 'factor', factor: f };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `2h`, `3d`, `1w`, `1d12h`, or `0`. */
export function parseDuration(flag: string, s: string): number {
  if (s === '0') return 0;
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(s)) throw new InputError(`${flag}: expected a duration such as 30m, 2h, 3d or 1d12h, got ${JSON.stringify(s)}`);
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}

/**
 * When an event of virtual time T is due on the wall clock.
 * - asap: at once.
 * - a wall-clock plan (its start is tied to now): T is due at T on the wall clock, or at
 *   launch + (T - launch) / factor for a speed factor; past events are due at once.
 * - a fixed-start plan: the first event run is the anchor; the rest follow at the factor.
 */
export class Pacer {
  private anchor: { wall: number; virtual: number } | null = null;

  constructor(
    readonly pace: Pace,
    private readonly clock: Clock,
    wallTied: boolean,
  ) {
    if (wallTied) {
      const now = clock.now();
      this.anchor = { wall: now, virtual: now };
    }
  }

  dueAt(virtualMs: number): number {
    if (this.pace.kind === 'asap') return -Infinity;
    if (this.anchor === null) this.anchor = { wall: this.clock.now(), virtual: virtualMs };
    return this.anchor.wall + Math.max(0, virtualMs - this.anchor.virtual) / this.pace.factor;
  }

  /** Wait until the event is due (in slices, so a long wait notices aborts and clock jumps). */
  async wait(virtualMs: number, signal: AbortSignal): Promise<void> {
    const due = this.dueAt(virtualMs);
    for (;;) {
      if (signal.aborted) return;
      const left = due - this.clock.now();
      if (left <= 0) return;
      await this.clock.sleep(Math.min(left, 60_000), signal);
    }
  }
}
