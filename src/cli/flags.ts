// Flags shared by every command that plans (plan, check, diff, stats, run).
import { Flags } from '@oclif/core';
import { InputError } from '../errors.js';
import { readJsonFile } from './files.js';
import type { RawInputs } from '../inputs/resolve.js';

export const MAX_DAYS = 3660;
export const MAX_INTERVAL = 86_400 * 7;

export const planFlags = {
  seed: Flags.string({ description: 'seed of the simulation (any string)', default: '0' }),
  fleet: Flags.string({ description: 'fleet JSON file, - for stdin (default: the embedded three-decky fleet)' }),
  personas: Flags.string({ description: 'persona JSON file, - for stdin (overrides the fleet file personas)' }),
  config: Flags.string({ description: 'engine configuration JSON file, - for stdin' }),
  start: Flags.string({ description: 'start instant, ISO 8601 (default 2026-01-05T00:00:00Z)' }),
  days: Flags.string({ description: 'horizon in days (default 7)' }),
  until: Flags.string({ description: 'end instant, ISO 8601 (instead of --days)' }),
  // A string flag: a bad value is reported as typed, in our one-line format.
  interval: Flags.string({ description: 'mean seconds between ticks of a decky (default 900)' }),
  // Was --no-quiet, which by convention reads as "not --quiet"; the old name stays one release.
  'skip-quiet': Flags.boolean({ description: 'leave quiet events out of the output', default: false, aliases: ['no-quiet'], deprecateAliases: true }),
};

/** `--no-progress`, for every command that shows progress on stderr. */
export const progressFlag = {
  'no-progress': Flags.boolean({ description: 'no progress display on stderr', default: false }),
};

export interface PlanFlagValues {
  seed: string;
  fleet?: string;
  personas?: string;
  config?: string;
  start?: string;
  days?: string;
  until?: string;
  interval?: string;
  'skip-quiet': boolean;
}

/** A number flag's value, or an error that quotes what was typed. */
export function numberFlag(name: string, typed: string, what: string, ok: (n: number) => boolean, pattern = /^\d+(\.\d+)?$/): number {
  const n = pattern.test(typed) ? Number(typed) : NaN;
  if (!ok(n)) throw new InputError(`--${name}: expected ${what}, got ${JSON.stringify(typed)}`);
  return n;
}

/** Flag values to raw inputs: reads the named files (`-`: stdin), parses numbers strictly. */
export function rawInputsFromFlags(f: PlanFlagValues): RawInputs {
  const days = f.days === undefined ? undefined : numberFlag('days', f.days, `a number of days from 0 (exclusive) to ${MAX_DAYS}`, (n) => n > 0 && n <= MAX_DAYS);
  const interval =
    f.interval === undefined ? undefined : numberFlag('interval', f.interval, `a whole number of seconds from 1 to ${MAX_INTERVAL}`, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_INTERVAL, /^\d+$/);
  return {
    fleet: f.fleet ? readJsonFile(f.fleet, '--fleet') : undefined,
    personas: f.personas ? readJsonFile(f.personas, '--personas') : undefined,
    config: f.config ? readJsonFile(f.config, '--config') : undefined,
    start: f.start,
    days,
    until: f.until,
    interval,
    quiet: !f['skip-quiet'],
  };
}

/** Whether any of the shared plan flags was given on the command line (oclif's raw parse). */
export function planFlagGiven(raw: ReadonlyArray<{ type: string; flag?: string }>): boolean {
  return raw.some((r) => r.type === 'flag' && r.flag !== undefined && r.flag in planFlags);
}
