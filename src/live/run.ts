// `run`: plan (or read a recorded timeline) and execute it on the fleet's containers.
// Everything is checked before anything is touched: inputs, timeline integrity, the state file's
// identity. Only then is the state opened (locked) and the first container call made.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { reservedCallbacks } from '../canary/reserved.js';
import { InputError } from '../errors.js';
import { type RawInputs, resolveInputs } from '../inputs/resolve.js';
import { LiveState } from '../state/records.js';
import { StateStore } from '../state/store.js';
import type { TimelineEvent } from '../timeline/types.js';
import { isoSeconds, parseInstant } from '../util/time.js';
import { type DryRunSummary, dryRun } from './dry-run.js';
import { type Clock, Pacer, type Pace, parseDuration, parsePace, wallClock } from './clock.js';
import { DockerDriver } from './docker.js';
import { type RunTally, execute } from './executor.js';
import { Progress } from './progress.js';
import { defaultLineSeconds } from '../cli/progress.js';
import { type EventSource, planSource, timelineSource } from './source.js';
import { escapeControls } from '../util/text.js';
import { type ContainerFacts, type FactDisagreement, disagreementLine, disagreements, humanUsers, missingFacts, readFacts, withFacts } from './facts.js';

/** Horizon of `run --follow` without --days/--until: effectively open-ended (about ten years). */
export const FOLLOW_DAYS = 3650;
export const DEFAULT_STATE = './decnet-sim.state.db';

export interface RunLiveOptions {
  /** Replay this recorded timeline instead of planning. */
  timeline?: string;
  /** Replay window: events before it are recorded as skipped, never applied (ISO). */
  from?: string;
  /** Without one, the state's seed (resume) or a random one drawn now and stored. */
  seed?: string;
  /** Create persona logins missing in a container instead of skipping their events. */
  createUsers?: boolean;
  /** History kept in the state (events, traffic, divergences), e.g. 30d. */
  history?: string;
  raw: RawInputs;
  backfill?: string;
  pace?: string;
  follow?: boolean;
  dryRun?: boolean;
  /** Dry run: one JSON object per event (argv and stdin) instead of a readable line. */
  json?: boolean;
  concurrency?: number;
  state?: string;
  force?: boolean;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  saveEvery?: number;
  /** Follow mode: seconds a failed decky rests before it is tried again. */
  retrySeconds?: number;
  progress?: boolean;
  /** Accept callbacks on reserved names (example.*, .test, loopback, private ranges): tests only. */
  allowTestCallbacks?: boolean;
  /** Handle SIGINT/SIGTERM (finish calls in flight, save, stop). Default true. */
  signals?: boolean;
  clock?: Clock;
  driver?: DockerDriver;
  /** Dry-run lines (stdout by default). */
  out?: (line: string) => void;
  /** Notes and progress. */
  err?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Called after each event (benchmarks). */
  onTally?: (t: RunTally) => void;
}

/** The tally's counts, plus where they came from and how the run ended. */
export interface RunSummary extends Omit<RunTally, 'byDecky' | 'lastAt' | 'nextAt' | 'current' | 'busy'> {
  /** Events before --from, recorded as skipped in this run (never applied). */
  outsideWindow: number;
  /** Host facts: containers read, those that could not be, and facts they contradict. */
  hostFacts: HostFactsReport;
  mode: 'run' | 'follow';
  source: 'plan' | 'timeline';
  state: string;
  seed: string;
  inputsSha256: string;
  start: string;
  end: string;
  deckies: RunTally['byDecky'];
  interrupted: boolean;
  durationMs: number;
  exitCode: number;
}

export type { DryRunSummary };

export interface RunLiveReport {
  summary: RunSummary | DryRunSummary;
  warnings: string[];
  exitCode: number;
}

export interface HostFactsReport {
  /** Containers whose hostname and /etc/passwd were read in this run. */
  read: number;
  /** Deckies whose container could not be read (the fleet's defaults were used). */
  unreadable: string[];
  /** Host facts of the timeline (or the fleet) the containers contradict. */
  disagreements: FactDisagreement[];
}

interface Prepared {
  source: EventSource;
  wallTied: boolean;
  notes: string[];
  /** Host facts to record in the state (plan runs that filled some in), by decky name. */
  record: Record<string, unknown> | null;
  facts: HostFactsReport;
}

const noFacts = (): HostFactsReport => ({ read: 0, unreadable: [], disagreements: [] });

/** Host facts recorded in a state, back in the form the planner takes. */
function recordedFacts(v: Record<string, unknown> | null): Map<string, ContainerFacts> {
  const out = new Map<string, ContainerFacts>();
  for (const [name, f] of Object.entries(v ?? {})) {
    if (f === null || typeof f !== 'object') continue;
    const o = f as { hostname?: unknown; users?: unknown; error?: unknown };
    const users = o.users !== null && typeof o.users === 'object' ? (o.users as Record<string, { uid: number; gid: number }>) : null;
    out.set(name, { hostname: typeof o.hostname === 'string' ? o.hostname : null, passwd: users, ...(typeof o.error === 'string' ? { error: o.error } : {}) });
  }
  return out;
}

/**
 * A plan's fleet with the hostnames and users maps it leaves out taken from the containers
 * (or from the state, when a run already recorded them: a resumed run plans the same timeline).
 */
async function fillFacts(o: RunLiveOptions, raw: RawInputs, peek: LiveState | null, driver: DockerDriver, notes: string[]): Promise<{ raw: RawInputs; record: Record<string, unknown> | null; facts: HostFactsReport }> {
  const facts = noFacts();
  const fleet = raw.fleet;
  if (!fleet) return { raw, record: null, facts };
  const missing = missingFacts(fleet.data);
  if (missing.size === 0) return { raw, record: null, facts };
  const stored = peek?.hostFacts() ?? null;
  if (peek?.identity() && stored === null) {
    // A state made before host facts were read: keep planning what it recorded.
    return { raw, record: null, facts };
  }
  const known = recordedFacts(stored);
  const { inputs } = resolveInputs(raw);
  const toRead = inputs.fleet.filter((d) => missing.has(d.name) && !known.has(d.name));
  if (toRead.length > 0 && o.dryRun) {
    notes.push(`dry run: the hostname or users of ${toRead.length} ${toRead.length === 1 ? 'decky is' : 'deckies are'} not in the fleet and not read from the containers (a run reads them first): the fleet's defaults are shown`);
  } else if (toRead.length > 0) {
    const read = await readFacts(driver, toRead, o.concurrency ?? 4);
    for (const d of toRead) {
      const f = read.get(d.name)!;
      known.set(d.name, f);
      if (f.error !== undefined) {
        facts.unreadable.push(d.name);
        notes.push(`decky ${d.name}: cannot read its hostname and users from container ${d.container} (${f.error}): the fleet's defaults are used, and recorded for this state`);
        continue;
      }
      facts.read++;
      const m = missing.get(d.name)!;
      const parts: string[] = [];
      if (m.hostname) parts.push(f.hostname === null ? 'its hostname is not a usable host name (the decky name is used)' : `hostname ${f.hostname}`);
      if (m.users) {
        const u = Object.keys(humanUsers(f.passwd!));
        parts.push(u.length === 0 ? 'no user logins' : `users ${u.join(', ')}`);
      }
      notes.push(`decky ${d.name}: read from container ${d.container}: ${parts.join('; ')}`);
      facts.disagreements.push(...disagreements(d, f, { hostname: !m.hostname, users: !m.users }));
    }
  }
  const used = new Map([...known].filter(([n]) => missing.has(n)));
  const record: Record<string, unknown> = {};
  for (const [n, f] of [...used].sort(([a], [b]) => (a < b ? -1 : 1))) {
    record[n] = { hostname: f.hostname, users: f.passwd === null ? null : humanUsers(f.passwd), ...(f.error !== undefined ? { error: f.error } : {}) };
  }
  return { raw: { ...raw, fleet: { file: fleet.file, data: withFacts(fleet.data, used) } }, record: o.dryRun ? null : record, facts };
}

/** A replay's containers against the timeline's host facts (hostname, users map). */
async function checkTimelineFacts(source: EventSource, driver: DockerDriver, lanes: number): Promise<HostFactsReport> {
  const facts = noFacts();
  const deckies = [...source.deckies.values()];
  const read = await readFacts(driver, deckies, lanes);
  for (const d of deckies) {
    const f = read.get(d.name)!;
    if (f.error !== undefined) facts.unreadable.push(d.name);
    else facts.read++;
    facts.disagreements.push(...disagreements(d, f));
  }
  return facts;
}

/** Identity stored in an existing state file, read without locking or writing anything. */
async function peekState(file: string): Promise<{ state: LiveState; store: StateStore } | null> {
  if (!StateStore.exists(file)) return null;
  const store = await StateStore.open(file, { create: false });
  return { state: new LiveState(store, () => 0), store };
}

async function prepare(o: RunLiveOptions, clock: Clock, peek: LiveState | null, driver: DockerDriver): Promise<Prepared> {
  const notes: string[] = [];
  if (!o.timeline && !o.raw.fleet) throw new InputError('run needs --fleet FILE (or --timeline FILE): the embedded demo fleet is for plan only');
  if (o.timeline) {
    if (o.seed !== undefined) throw new InputError('--timeline replays the seed recorded in its header: --seed does not apply');
    if (o.follow) throw new InputError('--follow plans ahead itself: it does not take --timeline');
    if (o.backfill !== undefined) throw new InputError('--backfill does not apply to --timeline (the timeline fixes its own start)');
    const r = o.raw;
    if (r.fleet || r.personas || r.config || r.start !== undefined || r.days !== undefined || r.interval !== undefined) {
      throw new InputError('--timeline replays a recorded timeline: --fleet, --personas, --config, --start, --days and --interval do not apply (--until and --from set a window)');
    }
    return { source: await timelineSource(o.timeline), wallTied: false, notes, record: null, facts: noFacts() };
  }
  let raw: RawInputs = { ...o.raw };
  let wallTied = false;
  if (raw.start === undefined) {
    wallTied = true;
    const id = peek?.identity();
    if (id && (id.source === 'plan' || id.source === 'follow') && id.start) {
      raw.start = id.start;
      if (o.backfill !== undefined) notes.push(`--backfill ignored: continuing the run recorded in the state, which started at ${id.start}`);
      else notes.push(`continuing the run recorded in the state, which started at ${id.start}`);
    } else {
      const back = o.backfill === undefined ? 0 : parseDuration('--backfill', o.backfill);
      raw.start = isoSeconds(Math.floor((clock.now() - back) / 1000) * 1000);
    }
  } else if (o.backfill !== undefined) {
    throw new InputError('--start and --backfill: give one of them, not both');
  }
  if (o.follow && raw.days === undefined && raw.until === undefined) {
    const id = peek?.identity();
    if (id?.source === 'follow' && id.end && id.start === raw.start) raw.until = id.end;
    else raw.until = isoSeconds(Date.parse(raw.start) + FOLLOW_DAYS * 86_400_000);
  }
  const filled = await fillFacts(o, raw, peek, driver, notes);
  raw = filled.raw;
  const { inputs, warnings } = resolveInputs(raw);
  let seed = o.seed;
  if (seed === undefined) {
    const id = peek?.identity();
    if (id && id.source !== 'timeline') {
      seed = id.seed;
    } else {
      // Drawn once and stored in the state: a fleet never runs on a guessable default seed.
      seed = randomBytes(12).toString('hex');
      notes.push(`no --seed given: drew seed ${seed} (stored in the state; resuming reuses it)`);
    }
  }
  return { source: planSource(seed, inputs, warnings), wallTied: wallTied || Boolean(o.follow), notes, record: filled.record, facts: filled.facts };
}

function pacing(o: RunLiveOptions, wallTied: boolean): Pace {
  if (o.follow) {
    const p = parsePace(o.pace ?? 'realtime');
    if (p.kind !== 'factor' || p.factor !== 1) throw new InputError('--follow runs in real time: --pace must be realtime');
    return p;
  }
  return parsePace(o.pace ?? (wallTied ? 'realtime' : 'asap'));
}

function checkNumbers(o: RunLiveOptions): void {
  const c = o.concurrency ?? 4;
  if (!Number.isInteger(c) || c < 1 || c > 64) throw new InputError(`--concurrency: expected a whole number from 1 to 64, got ${c}`);
  if (o.retrySeconds !== undefined && !(Number.isInteger(o.retrySeconds) && o.retrySeconds >= 1 && o.retrySeconds <= 86_400)) throw new InputError(`--retry-after: expected whole seconds from 1 to 86400, got ${o.retrySeconds}`);
  if (o.history !== undefined && parseDuration('--history', o.history) < 3_600_000) throw new InputError('--history: expected a duration of at least 1h, such as 30d');
  const t = o.timeoutSeconds ?? 30;
  if (!(t >= 1 && t <= 3600)) throw new InputError(`--timeout: expected seconds from 1 to 3600, got ${t}`);
  const h = o.heartbeatSeconds ?? 30;
  if (!(h > 0 && h <= 3600)) throw new InputError(`--heartbeat: expected seconds from 1 to 3600, got ${h}`);
}

export async function runLive(o: RunLiveOptions): Promise<RunLiveReport> {
  const clock = o.clock ?? wallClock;
  const err = o.err ?? process.stderr;
  const note = (s: string): void => void err.write(`${escapeControls(s)}\n`);
  const statePath = o.state ?? DEFAULT_STATE;
  checkNumbers(o);
  const dir = dirname(statePath);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--state: the folder ${dir} does not exist`);
  if (o.dryRun && o.follow) throw new InputError('--dry-run and --follow: a dry run prints a finite timeline; give --days or --until instead of --follow');

  const driver = o.driver ?? new DockerDriver({ timeoutMs: (o.timeoutSeconds ?? 30) * 1000 });
  const peeked = await peekState(statePath);
  let prepared: Prepared;
  try {
    prepared = await prepare(o, clock, peeked?.state ?? null, driver);
  } catch (e) {
    peeked?.store.close({ save: false });
    throw e;
  }
  const { source, wallTied } = prepared;
  const reserved = o.allowTestCallbacks ? [] : reservedCallbacks(source.inputs.config.canary);
  if (reserved.length > 0) {
    peeked?.store.close({ save: false });
    throw new InputError(`${reserved[0]}: lures calling it can never alert; set a callback you own, or pass --allow-test-callbacks in a test`);
  }
  const pace = pacing(o, wallTied);
  const window = windowOf(o, source);
  const warnings = [...prepared.notes, ...source.warnings];
  for (const w of warnings) note(`note: ${w}`);

  if (o.dryRun) {
    try {
      const out = o.out ?? ((l: string) => void process.stdout.write(l + '\n'));
      const r = await dryRun({ json: Boolean(o.json), out, window }, source, peeked?.state ?? null);
      return { ...r, warnings: [] };
    } finally {
      peeked?.store.close({ save: false });
    }
  }

  // The state's identity is checked before the state is opened for writing.
  const identity = {
    seed: source.seed,
    inputsSha256: source.inputsSha256,
    source: source.kind === 'timeline' ? 'timeline' : o.follow ? 'follow' : 'plan',
    start: source.inputs.start,
    end: source.inputs.end,
    inputs: JSON.stringify(source.inputs),
  };
  const have = peeked?.state.identity() ?? null;
  peeked?.store.close({ save: false });
  // A replay fixes its host facts: the containers are read only to say where they differ.
  const hostFacts = source.kind === 'timeline' ? await checkTimelineFacts(source, driver, o.concurrency ?? 4) : prepared.facts;
  for (const d of hostFacts.disagreements) note(disagreementLine(d, source.kind === 'timeline' ? 'timeline' : 'fleet'));
  if (have && (have.seed !== identity.seed || have.inputsSha256 !== identity.inputsSha256) && !o.force) {
    throw new InputError(
      `${statePath}: this state belongs to another run (seed ${JSON.stringify(have.seed)}, ${have.start} to ${have.end}, inputs sha256 ${have.inputsSha256.slice(0, 12)}...); ` +
        're-run that command to resume it, use another --state file, or pass --force to go on with these inputs',
    );
  }

  const store = await StateStore.open(statePath);
  const state = new LiveState(store, () => clock.now());
  if (o.history !== undefined) state.historyMs = parseDuration('--history', o.history);
  const ac = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      note(`${sig} again: stopping now (the journal keeps what was recorded; re-run the same command to resume)`);
      process.exit(sig === 'SIGINT' ? 130 : o.follow ? 0 : 3);
    }
    stoppedBy = sig;
    note(`${sig}: finishing the calls in flight, saving the state`);
    ac.abort();
  };
  if (o.signals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const t0 = clock.now();
  let progress: Progress | null = null;
  try {
    const { adopted } = state.bind(identity, Boolean(o.force));
    if (adopted) note(`--force: the state now follows these inputs; events already applied are kept and not repeated`);
    if (state.doneCount > 0) note(`resuming: ${state.doneCount} events already done in ${statePath}`);
    if (prepared.record !== null) state.recordHostFacts(prepared.record);
    const windowed = replayWindow(source, state, window);
    if (o.progress !== false) {
      progress = new Progress({ stream: err, startMs: source.startMs, endMs: source.endMs, follow: Boolean(o.follow), asap: pace.kind === 'asap', lineEverySeconds: defaultLineSeconds(o.follow ? 300 : 5), now: () => clock.now() });
    }
    const tally = await execute({
      source: windowed.source,
      state,
      driver,
      pacer: new Pacer(pace, clock, wallTied),
      clock,
      concurrency: o.concurrency ?? 4,
      follow: Boolean(o.follow),
      signal: ac.signal,
      saveEvery: o.saveEvery,
      retryMs: (o.retrySeconds ?? 60) * 1000,
      heartbeatMs: (o.heartbeatSeconds ?? 30) * 1000,
      onUpdate: (t) => {
        progress?.update(t);
        o.onTally?.(t);
      },
      personas: source.inputs.personas,
      createUsers: Boolean(o.createUsers),
      onLogin: (decky, login, status) => {
        state.loginOp(decky.name, login, status);
        if (status === 'missing') note(`warning: decky ${decky.name}: user ${login} does not exist in container ${decky.container}: its events are skipped (pass --create-users to create it)`);
        else note(`note: decky ${decky.name}: created user ${login} in container ${decky.container}`);
      },
      alert: (line) => {
        progress?.clearLine();
        note(line);
      },
    });
    progress?.finish();
    progress = null;
    store.close();
    // 130: stopped with Ctrl-C; 3: something failed or waits; 1: a divergence (tampering) was
    // recorded in this run; 0: everything applied.
    // (--follow is a service: SIGTERM is its normal stop.)
    const bad = !o.follow && (tally.failed + tally.rejected + tally.pending > 0 || tally.interrupted);
    const exitCode = tally.interrupted && stoppedBy === 'SIGINT' ? 130 : bad ? 3 : tally.diverged > 0 ? 1 : 0;
    if (tally.interrupted) note(`stopped: re-run the same command to resume (state in ${statePath})`);
    const summary: RunSummary = {
      mode: o.follow ? 'follow' : 'run',
      source: source.kind,
      state: statePath,
      seed: source.seed,
      inputsSha256: source.inputsSha256,
      start: source.inputs.start,
      end: source.inputs.end,
      events: tally.events + windowed.outside(),
      skipped: tally.skipped,
      outsideWindow: windowed.outside(),
      hostFacts,
      applied: tally.applied,
      already: tally.already,
      diverged: tally.diverged,
      failed: tally.failed,
      rejected: tally.rejected,
      quiet: tally.quiet,
      noUser: tally.noUser,
      pending: tally.pending,
      traffic: tally.traffic,
      canaries: tally.canaries,
      deckies: tally.byDecky,
      interrupted: tally.interrupted,
      durationMs: clock.now() - t0,
      exitCode,
    };
    return { summary, warnings, exitCode };
  } finally {
    progress?.finish();
    if (o.signals !== false) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    store.close(); // no-op when already closed; saves on an error path
  }
}

interface Window {
  fromMs: number | null;
  untilMs: number | null;
}

/** `--from` / `--until` of a replay, checked against the timeline's horizon. */
function windowOf(o: RunLiveOptions, source: EventSource): Window {
  const at = (flag: string, v: string | undefined): number | null => {
    if (v === undefined) return null;
    const t = parseInstant(v);
    if (t === null) throw new InputError(`${flag}: expected an ISO 8601 instant, got ${JSON.stringify(v)}`);
    if (t < source.startMs || t > source.endMs) throw new InputError(`${flag}: ${v} is outside the timeline (${source.inputs.start} to ${source.inputs.end})`);
    return t;
  };
  if (o.from !== undefined && o.follow) throw new InputError('--from: --follow runs from where the state left off');
  const w = { fromMs: at('--from', o.from), untilMs: o.timeline ? at('--until', o.raw.until) : null };
  if (w.fromMs !== null && w.untilMs !== null && w.untilMs < w.fromMs) throw new InputError('--until is before --from');
  return w;
}

/**
 * The source seen through a replay window: it ends after the last event at or before --until
 * (the next run resumes there), and events before --from are recorded as skipped, never applied
 * (not by a later run either).
 */
function replayWindow(source: EventSource, state: LiveState, w: Window): { source: EventSource; outside: () => number } {
  if (w.fromMs === null && w.untilMs === null) return { source, outside: () => 0 };
  let outside = 0;
  const events = async function* (): AsyncGenerator<TimelineEvent> {
    for await (const ev of source.events()) {
      const t = Date.parse(ev.at);
      if (w.untilMs !== null && t > w.untilMs) return;
      if (w.fromMs !== null && t < w.fromMs) {
        if (!state.isDone(ev)) {
          state.record(ev, 'skipped', [state.eventOp(ev, 'skipped', 'before --from')]);
          outside++;
        }
        continue;
      }
      yield ev;
    }
  };
  return { source: { ...source, events }, outside: () => outside };
}
