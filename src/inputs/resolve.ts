// Turns raw input documents (already parsed JSON, with the file names they came from) and flag
// values into fully resolved PlanInputs. Pure: the CLI reads the files, this only validates.
import { InputError, fieldError } from '../errors.js';
import { MAX_YEAR, MIN_YEAR, isoSeconds, parseInstant } from '../util/time.js';
import { parseConfig, expectInterval } from './config.js';
import { DEFAULT_CONFIG, DEFAULT_DAYS, DEFAULT_FLEET_RAW, DEFAULT_INTERVAL, DEFAULT_START } from './defaults.js';
import { parseDeckies } from './fleet.js';
import { parseOrganisation } from './organisation.js';
import { parsePersonas } from './personas.js';
import type { Decky, PlanInputs } from './types.js';
import { expectObject, isObject, noUnknownKeys } from './validate.js';

export interface RawDocument {
  file: string;
  data: unknown;
}

export interface RawInputs {
  fleet?: RawDocument;
  personas?: RawDocument;
  config?: RawDocument;
  start?: string;
  days?: number;
  until?: string;
  interval?: number;
  quiet?: boolean;
}

export interface Resolved {
  inputs: PlanInputs;
  warnings: string[];
}

const MAX_DAYS = 3660;

export function resolveInputs(raw: RawInputs): Resolved {
  // The embedded fleet names its own personas; with another pool (--personas) its deckies host
  // the whole of that pool instead.
  const fleetDoc = raw.fleet ?? {
    file: '(embedded default fleet)',
    data: raw.personas ? { deckies: DEFAULT_FLEET_RAW.deckies.map(({ personas: _, ...d }) => d) } : DEFAULT_FLEET_RAW,
  };
  const fleetObj = expectObject(fleetDoc.file, '(top level)', fleetDoc.data);
  noUnknownKeys(fleetDoc.file, '', fleetObj, ['deckies', 'personas', 'organisation']);
  const organisation = parseOrganisation(fleetDoc.file, fleetObj.organisation);
  const parsedDeckies = parseDeckies(fleetDoc.file, fleetObj.deckies);

  const warnings: string[] = [];
  let pool;
  if (raw.personas) {
    pool = parsePersonas(raw.personas.file, raw.personas.data);
  } else if (fleetObj.personas !== undefined) {
    pool = parsePersonas(fleetDoc.file, fleetObj.personas, 'personas');
  } else {
    pool = parsePersonas('(embedded default personas)', DEFAULT_FLEET_RAW.personas, 'personas');
  }
  warnings.push(...pool.warnings);
  const poolNames = pool.personas.map((p) => p.name);
  const known = new Set(poolNames);
  const fleet: Decky[] = parsedDeckies.map((d, i) => {
    if (d.personas === null) return { ...d, personas: poolNames };
    d.personas.forEach((n, j) => {
      if (!known.has(n)) throw fieldError(fleetDoc.file, `deckies[${i}].personas[${j}]`, 'a persona name from the pool', n);
    });
    return { ...d, personas: [...new Set(d.personas)] };
  });

  if (fleet.length > 0 && !fleet.some((d) => d.services.includes('ssh'))) {
    warnings.push(`${fleetDoc.file}: no decky lists the "ssh" service; a decky without it has no shell to act on, so the timeline has no events`);
  }

  let config = structuredClone(DEFAULT_CONFIG);
  let interval = DEFAULT_INTERVAL;
  if (raw.config) {
    const parsed = parseConfig(raw.config.file, raw.config.data);
    config = parsed.config;
    if (parsed.interval !== undefined) interval = parsed.interval;
  }
  const roots = pool.personas.filter((p) => p.login === 'root');
  if (roots.length > 0 && !config.allowRootPersona) {
    throw new InputError(`${raw.personas?.file ?? fleetDoc.file}: persona ${JSON.stringify(roots[0]!.name)} maps to the login "root": give it another "login", or set "allowRootPersona": true in the config`);
  }
  if (raw.interval !== undefined) interval = expectInterval('--interval', 'value', raw.interval);

  const startMs = parseInstant(raw.start ?? DEFAULT_START);
  if (startMs === null) throw new InputError(`--start: expected an ISO 8601 instant such as 2026-01-05T00:00:00Z (a real date and time), got ${JSON.stringify(raw.start)}`);
  let endMs: number;
  if (raw.until !== undefined) {
    if (raw.days !== undefined) throw new InputError('--until and --days: give one of them, not both');
    const u = parseInstant(raw.until);
    if (u === null) throw new InputError(`--until: expected an ISO 8601 instant such as 2026-01-12T00:00:00Z (a real date and time), got ${JSON.stringify(raw.until)}`);
    endMs = u;
  } else {
    const days = raw.days ?? DEFAULT_DAYS;
    if (!(days > 0 && days <= MAX_DAYS)) throw new InputError(`--days: expected a number of days from 0 (exclusive) to ${MAX_DAYS}, got ${days}`);
    endMs = startMs + Math.round(days * 86_400) * 1000;
  }
  if (endMs <= startMs) throw new InputError('--until: expected an instant after --start');
  for (const [flag, ms] of [['--start', startMs], ['--until', endMs]] as const) {
    const y = new Date(ms).getUTCFullYear();
    if (!(y >= MIN_YEAR && y <= MAX_YEAR)) throw new InputError(`${flag}: expected an instant in the years ${MIN_YEAR} to ${MAX_YEAR}, got year ${y}`);
  }
  if (endMs - startMs > MAX_DAYS * 86_400_000) throw new InputError(`--until: expected a horizon of at most ${MAX_DAYS} days`);

  return {
    inputs: {
      start: isoSeconds(Math.floor(startMs / 1000) * 1000),
      end: isoSeconds(Math.floor(endMs / 1000) * 1000),
      interval,
      quiet: raw.quiet ?? true,
      fleet,
      personas: pool.personas,
      organisation,
      config,
    },
    warnings,
  };
}

/**
 * Re-validate the `inputs` object of a timeline header (a file we did not necessarily write):
 * it must be exactly what resolveInputs would produce from it.
 */
export function inputsFromHeader(file: string, raw: unknown): PlanInputs {
  const o = expectObject(file, 'header.inputs', raw);
  noUnknownKeys(file, 'header.inputs', o, ['start', 'end', 'interval', 'quiet', 'fleet', 'personas', 'organisation', 'config']);
  if (typeof o.start !== 'string' || typeof o.end !== 'string') throw fieldError(file, 'header.inputs.start', 'ISO instants in start and end');
  if (!isObject(o.config)) throw fieldError(file, 'header.inputs.config', 'an object', o.config);
  const resolved = resolveInputs({
    fleet: { file, data: { deckies: o.fleet, personas: o.personas, organisation: o.organisation } },
    config: { file, data: { ...o.config, interval: o.interval } },
    start: o.start,
    until: o.end,
    quiet: o.quiet !== false,
  }).inputs;
  if (JSON.stringify(resolved) !== JSON.stringify(o)) throw new InputError(`${file}: header.inputs: not in resolved form (edited or from another engine version)`);
  return resolved;
}
