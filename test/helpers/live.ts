// Fleets, expected end states and state-database reads for the live run tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInputs } from '../../src/inputs/resolve.js';
import { buildContext } from '../../src/sim/context.js';
import { planEvents } from '../../src/sim/plan.js';
import { StateStore } from '../../src/state/store.js';
import type { TimelineEvent } from '../../src/timeline/types.js';
import { type FileFacts, fileFacts } from './docker.js';

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Personas: two whose logins exist in the test image (johnsmith, alice), one that does not (priyaraman). */
export const PERSONAS = [
  { name: 'John Smith', email: 'john.smith@example.org', role: 'sysadmin', active_hours: '00:00-00:00', workdays: ALL_DAYS },
  { name: 'alice', email: 'alice@example.org', role: 'developer', active_hours: '06:00-23:00', workdays: ALL_DAYS },
  { name: 'Priya Raman', email: 'priya@example.org', role: 'developer', active_hours: '00:00-00:00', workdays: ALL_DAYS },
];
export const IMAGE_LOGINS = new Set(['root', 'johnsmith', 'alice']);
/** The test image's human logins as its /etc/passwd has them (auth.log prints these uids). */
export const IMAGE_USERS = { johnsmith: { uid: 1000, gid: 1000 }, alice: { uid: 1001, gid: 1001 } };

export interface TestDecky {
  name: string;
  container: string;
  docker?: string;
  personas?: string[];
}

export interface Scenario {
  dir: string;
  fleetFile: string;
  configFile: string;
  state: string;
  seed: string;
  start: string;
  days: number;
  interval: number;
  deckies: TestDecky[];
}

export function scenario(dir: string, deckies: TestDecky[], opts: { seed?: string; days?: number; interval?: number; canary?: number } = {}): Scenario {
  const fleetFile = join(dir, 'fleet.json');
  const configFile = join(dir, 'config.json');
  writeFileSync(
    fleetFile,
    JSON.stringify({
      deckies: deckies.map((d, i) => ({ name: d.name, hostname: `${d.name}-host`, services: ['ssh'], address: '127.0.0.1', container: d.container, ...(d.docker ? { docker: d.docker } : {}), users: IMAGE_USERS, personas: d.personas ?? [PERSONAS[i % 3]!.name, PERSONAS[(i + 1) % 3]!.name] })),
      personas: PERSONAS,
    }),
  );
  writeFileSync(configFile, JSON.stringify({ canaryProbability: opts.canary ?? 0.25 }));
  return { dir, fleetFile, configFile, state: join(dir, 'state.db'), seed: opts.seed ?? 'live-1', start: '2026-01-05T00:00:00Z', days: opts.days ?? 2, interval: opts.interval ?? 1800, deckies };
}

/** CLI arguments of `run` for a scenario (extra flags appended). */
export function runArgs(s: Scenario, extra: string[] = []): string[] {
  return ['run', '--fleet', s.fleetFile, '--config', s.configFile, '--seed', s.seed, '--start', s.start, '--days', String(s.days), '--interval', String(s.interval), '--state', s.state, '--json', '--no-progress', '--create-users', ...extra];
}

const doc = (file: string) => ({ file, data: JSON.parse(readFileSync(file, 'utf8')) as unknown });

/** The scenario's events, as `run` plans them (optionally up to another end). */
export function planned(s: Scenario, until?: string): TimelineEvent[] {
  const raw = { fleet: doc(s.fleetFile), config: doc(s.configFile), start: s.start, interval: s.interval, ...(until ? { until } : { days: s.days }) };
  const { inputs } = resolveInputs(raw);
  return [...planEvents(buildContext(s.seed, inputs))];
}

export interface Expected {
  sha256: string;
  mode: string;
  owner: string;
  mtime: number;
  events: number;
  /** Deleted by the plan (a cleanup job, logrotate dropping the oldest archive): must be absent. */
  gone?: boolean;
}

/**
 * Final state of every planted file per decky name: the last create or edit of each path,
 * followed through renames (the file keeps its bytes, mode, owner and mtime) and deletes.
 */
/** The files that exist at the end (what the state keeps a row for). */
export function presentCount(want: Map<string, Map<string, Expected>>, decky?: string): number {
  let n = 0;
  for (const [d, m] of want) if (decky === undefined || d === decky) for (const e of m.values()) if (!e.gone) n++;
  return n;
}

export function expectedFiles(events: TimelineEvent[]): Map<string, Map<string, Expected>> {
  const out = new Map<string, Map<string, Expected>>();
  for (const ev of events) {
    if (ev.kind !== 'file') continue;
    const m = out.get(ev.decky.name) ?? new Map<string, Expected>();
    out.set(ev.decky.name, m);
    const prev = m.get(ev.path!);
    if (ev.action === 'file:rename' || ev.action === 'file:delete') {
      if (!prev || prev.gone) throw new Error(`${ev.id}: ${ev.action} of ${ev.path} that the plan never wrote`);
      m.set(ev.path!, { ...prev, gone: true });
      if (ev.action === 'file:rename') m.set(ev.to!, { ...prev }); // a rename is no edit: same bytes, same count
      continue;
    }
    m.set(ev.path!, { sha256: ev.content!.sha256, mode: ev.mode!, owner: ev.owner!, mtime: Math.floor(Date.parse(ev.mtime!) / 1000) /* the busybox test image keeps whole seconds live */, events: prev && !prev.gone ? prev.events + 1 : 1 });
  }
  return out;
}

/** Compare a container's files with the expected end state; returns a list of differences. */
export async function diffFiles(container: string, want: Map<string, Expected>, host?: string | null): Promise<string[]> {
  const facts = await fileFacts(container, [...want.keys()], host);
  const problems: string[] = [];
  for (const [path, e] of want) {
    const f: FileFacts | null | undefined = facts.get(path);
    if (e.gone) {
      if (f) problems.push(`${container}:${path} is still there although the plan removed it`);
      continue;
    }
    if (!f) {
      problems.push(`${container}:${path} missing`);
      continue;
    }
    if (f.sha256 !== e.sha256) problems.push(`${container}:${path} sha256 ${f.sha256} != ${e.sha256}`);
    if (f.mode !== e.mode) problems.push(`${container}:${path} mode ${f.mode} != ${e.mode}`);
    // Logins the image lacks are created by --create-users (runArgs passes it).
    const owner = e.owner;
    if (f.user !== owner) problems.push(`${container}:${path} owner ${f.user} != ${owner}`);
    if (f.mtime !== e.mtime) problems.push(`${container}:${path} mtime ${f.mtime} != ${e.mtime}`);
  }
  return problems;
}

/** Read-only look at a state file (journal included). */
export async function readState(file: string): Promise<{ rows: <T = Record<string, unknown>>(sql: string, p?: (string | number)[]) => T[]; close: () => void }> {
  const store = await StateStore.open(file, { create: false });
  return {
    rows: <T>(sql: string, p: (string | number)[] = []) => store.all(sql, p) as T[],
    close: () => store.close({ save: false }),
  };
}
