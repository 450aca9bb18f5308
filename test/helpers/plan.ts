// In-process planning for property tests.
import { resolveInputs, type RawInputs } from '../../src/inputs/resolve.js';
import type { PlanInputs } from '../../src/inputs/types.js';
import { buildContext } from '../../src/sim/context.js';
import { planEvents } from '../../src/sim/plan.js';
import type { TimelineEvent } from '../../src/timeline/types.js';

/** Callbacks for property tests that need every lure class planted (nothing is contacted). */
export const LURE_CALLBACKS = { httpBase: 'https://files.harbourline-cdn.net/s', dnsZone: 'res.harbourline-cdn.net' };

export function inputsFor(raw: RawInputs = {}): PlanInputs {
  return resolveInputs(raw).inputs;
}

export function eventsFor(seed: string, raw: RawInputs = {}): TimelineEvent[] {
  return [...planEvents(buildContext(seed, inputsFor(raw)))];
}

export function bodyBytes(ev: TimelineEvent): Buffer {
  return Buffer.from(ev.content!.data, ev.content!.encoding === 'base64' ? 'base64' : 'utf8');
}

/** Wilson score interval at z standard deviations. */
export function wilson(k: number, n: number, z = 4): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = p + (z * z) / (2 * n);
  const m = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [(c - m) / d, (c + m) / d];
}

export const SEEDS = Array.from({ length: 40 }, (_, i) => `seed-${i}`);
