// Flags shared by every command that plans (plan, check, diff, stats, run).
import { Flags } from '@oclif/core';
import { readJsonFile } from './files.js';
import type { RawInputs } from '../inputs/resolve.js';

export const planFlags = {
  seed: Flags.string({ description: 'seed of the simulation (any string)', default: '0' }),
  fleet: Flags.string({ description: 'fleet JSON file (default: the embedded three-decky fleet)' }),
  personas: Flags.string({ description: 'persona JSON file (overrides the fleet file personas)' }),
  config: Flags.string({ description: 'engine configuration JSON file' }),
  start: Flags.string({ description: 'start instant, ISO 8601 (default 2026-01-05T00:00:00Z)' }),
  days: Flags.string({ description: 'horizon in days (default 7)' }),
  until: Flags.string({ description: 'end instant, ISO 8601 (instead of --days)' }),
  interval: Flags.integer({ description: 'mean seconds between ticks of a decky (default 900)' }),
  'no-quiet': Flags.boolean({ description: 'leave quiet events out of the output', default: false }),
};

export interface PlanFlagValues {
  seed: string;
  fleet?: string;
  personas?: string;
  config?: string;
  start?: string;
  days?: string;
  until?: string;
  interval?: number;
  'no-quiet': boolean;
}

/** Flag values to raw inputs: reads the named files, parses numbers strictly. */
export function rawInputsFromFlags(f: PlanFlagValues): RawInputs {
  let days: number | undefined;
  if (f.days !== undefined) {
    days = /^\d+(\.\d+)?$/.test(f.days) ? Number(f.days) : NaN;
  }
  return {
    fleet: f.fleet ? readJsonFile(f.fleet) : undefined,
    personas: f.personas ? readJsonFile(f.personas) : undefined,
    config: f.config ? readJsonFile(f.config) : undefined,
    start: f.start,
    days,
    until: f.until,
    interval: f.interval,
    quiet: !f['no-quiet'],
  };
}

/** Whether any of the shared plan flags was given on the command line (oclif's raw parse). */
export function planFlagGiven(raw: ReadonlyArray<{ type: string; flag?: string }>): boolean {
  return raw.some((r) => r.type === 'flag' && r.flag !== undefined && r.flag in planFlags);
}
