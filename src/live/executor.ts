// Running a timeline against the fleet: events leave the source in timeline order and wait until
// they are due; each decky has a lane that applies its events strictly in order, lanes run
// concurrently up to --concurrency. A lane whose call fails (container stopped, engine
// unreachable) stops: its remaining events are not attempted and stay pending for the next run
// (in --follow mode the lane rests and tries again). Other lanes go on.
import type { Decky, Persona } from '../inputs/types.js';
import type { LiveState } from '../state/records.js';
import type { TimelineEvent } from '../timeline/types.js';
import { type ApplyContext, type ApplyResult, applyEvent } from './apply.js';
import type { Clock, Pacer } from './clock.js';
import type { DockerDriver } from './docker.js';
import { rootsOf } from './roots.js';
import type { EventSource } from './source.js';
import { DeckyUsers, type UsersOptions } from './users.js';

/** Outcome counts, kept per decky and for the whole run. */
export interface EventCounts {
  /** Already done by an earlier run (resumed past). */
  skipped: number;
  applied: number;
  /** Of `applied`: found already written by an earlier, interrupted run. */
  already: number;
  diverged: number;
  failed: number;
  rejected: number;
  /** Quiet ticks: nothing to do on a container, recorded as skipped (never as applied). */
  quiet: number;
  /** Not applied because the owner's login does not exist in the container. */
  noUser: number;
  /** Not attempted (their decky failed, or the run was interrupted): left for the next run. */
  pending: number;
}

export interface DeckyTally extends EventCounts {
  error: string | null;
}

export interface RunTally extends EventCounts {
  /** Events the source produced in this run. */
  events: number;
  traffic: { ok: number; fail: number };
  canaries: { planted: number; failed: number };
  byDecky: Record<string, DeckyTally>;
  interrupted: boolean;
  /** Virtual time of the latest event taken from the source. */
  lastAt: string | null;
  /** Virtual time of the event the run is waiting for (follow mode). */
  nextAt: string | null;
  /** The event a lane started most recently (what the progress line shows), null before any. */
  current: WorkingOn | null;
  /** Lanes applying an event right now. */
  busy: number;
}

/** What a lane is working on: enough for a progress line. */
export interface WorkingOn {
  at: string;
  decky: string;
  action: string;
  path: string | null;
}

export function emptyTally(): RunTally {
  return { events: 0, skipped: 0, applied: 0, already: 0, diverged: 0, failed: 0, rejected: 0, quiet: 0, noUser: 0, pending: 0, traffic: { ok: 0, fail: 0 }, canaries: { planted: 0, failed: 0 }, byDecky: {}, interrupted: false, lastAt: null, nextAt: null, current: null, busy: 0 };
}

export interface ExecutorOptions {
  source: EventSource;
  state: LiveState;
  driver: DockerDriver;
  pacer: Pacer;
  clock: Clock;
  concurrency: number;
  follow: boolean;
  signal: AbortSignal;
  /** Save the database after this many recorded groups (the journal covers the rest). */
  saveEvery?: number;
  /** Follow mode: how long a failed decky rests before it is tried again. */
  retryMs?: number;
  heartbeatMs?: number;
  onUpdate?: (t: RunTally) => void;
  /** The pool the deckies' personas come from (for the planned roots). */
  personas: readonly Persona[];
  createUsers?: boolean;
  onLogin?: UsersOptions['onLogin'];
  /** One line per divergence. */
  alert?: (line: string) => void;
}

interface Lane {
  decky: Decky;
  cx: Omit<ApplyContext, 'driver' | 'state'>;
  queue: TimelineEvent[];
  running: Promise<void> | null;
  stopped: string | null;
  retryAt: number;
}

class Semaphore {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

const MAX_QUEUED = 2000;

export async function execute(o: ExecutorOptions): Promise<RunTally> {
  const tally = emptyTally();
  const { state, clock, signal } = o;
  const saveEvery = o.saveEvery ?? 200;
  const retryMs = o.retryMs ?? 60_000;
  const sem = new Semaphore(Math.max(1, o.concurrency));
  const lanes = new Map<string, Lane>();
  let waiters: Array<() => void> = [];
  const notify = (): void => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const changed = (): Promise<void> => new Promise((r) => waiters.push(r));
  signal.addEventListener('abort', notify, { once: true });

  const deckyTally = (name: string): DeckyTally => (tally.byDecky[name] ??= { applied: 0, already: 0, diverged: 0, failed: 0, rejected: 0, quiet: 0, noUser: 0, pending: 0, skipped: 0, error: null });
  const usersOptions: UsersOptions = { driver: o.driver, createUsers: Boolean(o.createUsers), onLogin: o.onLogin ?? (() => {}) };
  const alert = o.alert ?? (() => {});
  const newLane = (decky: Decky): Lane => {
    const roots = rootsOf(decky, o.personas);
    return { decky, cx: { roots, users: new DeckyUsers(decky, roots.homes, usersOptions), alert }, queue: [], running: null, stopped: null, retryAt: 0 };
  };
  for (const d of o.source.deckies.values()) deckyTally(d.name);

  const saveNow = (): void => state.store.save();
  const maybeSave = (): void => {
    if (state.store.unsaved >= saveEvery) saveNow();
  };

  const count = (ev: TimelineEvent, r: ApplyResult): void => {
    const d = deckyTally(ev.decky.name);
    switch (r.status) {
      case 'applied':
      case 'already':
        tally.applied++;
        d.applied++;
        if (r.status === 'already') {
          tally.already++;
          d.already++;
        }
        break;
      case 'diverged':
        tally.diverged++;
        d.diverged++;
        break;
      case 'failed':
        tally.failed++;
        d.failed++;
        d.error = r.error ?? 'failed';
        break;
      case 'quiet':
        tally.quiet++;
        d.quiet++;
        break;
      case 'skipped':
        tally.noUser++;
        d.noUser++;
        break;
      case 'rejected':
        tally.rejected++;
        d.rejected++;
        d.error = r.error ?? 'rejected';
        break;
    }
    if (r.traffic) tally.traffic[r.traffic]++;
    if (r.canary) tally.canaries[r.canary]++;
  };

  const markPending = (ev: TimelineEvent): void => {
    tally.pending++;
    deckyTally(ev.decky.name).pending++;
  };

  const queuedActive = (): number => {
    let n = 0;
    for (const l of lanes.values()) if (!l.stopped) n += l.queue.length;
    return n;
  };

  const runLane = async (lane: Lane): Promise<void> => {
    while (lane.queue.length > 0 && !signal.aborted) {
      if (lane.stopped) {
        if (!o.follow) break;
        const wait = lane.retryAt - clock.now();
        if (wait > 0) {
          await clock.sleep(Math.min(wait, 60_000), signal);
          continue;
        }
      }
      const ev = lane.queue[0]!;
      const release = await sem.acquire();
      let r: ApplyResult;
      if (signal.aborted) {
        release();
        break;
      }
      tally.current = { at: ev.at, decky: ev.decky.name, action: ev.action, path: ev.path ?? null };
      tally.busy++;
      o.onUpdate?.(tally);
      try {
        r = await applyEvent(ev, lane.decky, { ...lane.cx, driver: o.driver, state });
      } catch (e) {
        r = { status: 'failed', error: (e as Error).message, stopLane: true };
      } finally {
        tally.busy--;
        release();
      }
      count(ev, r);
      if (r.status === 'failed' && r.stopLane) {
        lane.stopped = r.error ?? 'failed';
        lane.retryAt = clock.now() + retryMs;
        if (!o.follow) lane.queue.shift();
      } else {
        lane.stopped = null;
        deckyTally(ev.decky.name).error = r.status === 'rejected' ? deckyTally(ev.decky.name).error : null;
        lane.queue.shift();
      }
      maybeSave();
      o.onUpdate?.(tally);
      notify();
    }
  };

  const pump = (lane: Lane): void => {
    if (lane.running) return;
    lane.running = runLane(lane).finally(() => {
      lane.running = null;
      notify();
      // Events queued while the lane was finishing (and not stopped for good) still need a runner.
      if (lane.queue.length > 0 && !signal.aborted && (o.follow || !lane.stopped)) pump(lane);
    });
  };

  let heartbeat: NodeJS.Timeout | null = null;
  const beat = (): void => {
    try {
      const c = state.counts();
      state.heartbeat(c.applied, c.failures, tally.nextAt);
      saveNow();
    } catch {
      /* a heartbeat must never end the run; the next save reports real trouble */
    }
  };
  if (o.heartbeatMs && o.heartbeatMs > 0) {
    heartbeat = setInterval(beat, o.heartbeatMs);
    heartbeat.unref();
  }

  let failure: unknown = null;
  try {
    for await (const ev of o.source.events()) {
      if (signal.aborted) break;
      tally.events++;
      const lane = lanes.get(ev.decky.uuid) ?? newLane(o.source.deckies.get(ev.decky.uuid)!);
      lanes.set(ev.decky.uuid, lane);
      if (state.isDone(ev)) {
        tally.skipped++;
        deckyTally(ev.decky.name).skipped++;
        continue;
      }
      if (lane.stopped && !o.follow) {
        markPending(ev);
        continue;
      }
      tally.nextAt = ev.at;
      await o.pacer.wait(Date.parse(ev.at), signal);
      if (signal.aborted) {
        // Stopped while waiting for it: it was not due yet, so it is not counted as pending.
        if (!o.follow) markPending(ev);
        break;
      }
      tally.lastAt = ev.at;
      lane.queue.push(ev);
      pump(lane);
      while (queuedActive() >= MAX_QUEUED && !signal.aborted) await changed();
    }
    tally.nextAt = null;
  } catch (e) {
    failure = e;
  }
  // Let every lane finish what it holds (in follow mode a resting lane keeps trying until the
  // run is stopped); an interrupted lane stops after its current event.
  for (;;) {
    const running = [...lanes.values()].filter((l) => l.running).map((l) => l.running!);
    if (running.length === 0) break;
    await Promise.all(running);
  }
  if (heartbeat) clearInterval(heartbeat);
  for (const l of lanes.values()) {
    for (const ev of l.queue) markPending(ev);
    l.queue = [];
  }
  tally.interrupted = signal.aborted;
  if (o.heartbeatMs && o.heartbeatMs > 0) beat();
  o.onUpdate?.(tally);
  if (failure) throw failure;
  return tally;
}
