// Applying one timeline event to its decky, and recording the outcome.
//
// Exactly once: an event is marked done only after the container call succeeded, in the same
// journal group as everything else it changes. A crash between the call and the record leaves
// the event pending; on the next run the write script finds the file already holding the planned
// sha256 (ALREADY) and the event is marked without writing again. Edits never overwrite a file
// that does not hold what we last wrote: that is a divergence, recorded, and the file is kept.
import type { Decky } from '../inputs/types.js';
import type { LiveState } from '../state/records.js';
import type { Op } from '../state/store.js';
import { dirModeFor, movesParent } from '../realism/dirs.js';
import type { Companion, TimelineEvent } from '../timeline/types.js';
import { compareInstants } from '../util/time.js';
import { type DockerDriver, type Invocation, moveInvocation, probeInvocation, writeInvocation, type WriteRequest } from './docker.js';
import { type Roots, confinement } from './roots.js';
import type { DeckyUsers } from './users.js';

/** `quiet`: a quiet tick, nothing to do on the container (recorded as skipped, never as applied). */
export type ApplyStatus = 'applied' | 'already' | 'diverged' | 'failed' | 'rejected' | 'skipped' | 'quiet';

export interface ApplyResult {
  status: ApplyStatus;
  error?: string;
  /** The decky cannot go on (container or engine unavailable): stop its lane. */
  stopLane: boolean;
  traffic?: 'ok' | 'fail';
  canary?: 'planted' | 'failed';
}

export function bodyOf(ev: TimelineEvent): Buffer {
  const c = ev.content!;
  return Buffer.from(c.data, c.encoding === 'base64' ? 'base64' : 'utf8');
}

/**
 * The access time to give a file written now: its planned read once the wall clock has passed
 * it (a backdated lure, or a replay of the past), else its mtime (nobody has read it yet).
 */
export function liveAtime(ev: TimelineEvent, nowMs: number): string {
  const mtime = ev.mtime ?? ev.at;
  const atime = ev.atime ?? mtime;
  return Date.parse(atime) <= nowMs && compareInstants(atime, mtime) >= 0 ? atime : mtime;
}

function writeRequest(ev: TimelineEvent, decky: Decky, expectSha: string | null, nowMs = Date.parse(ev.at)): WriteRequest {
  const path = ev.path!;
  const mtime = ev.mtime ?? ev.at;
  return {
    container: decky.container,
    docker: decky.docker,
    path,
    mode: ev.mode ?? '0644',
    owner: ev.owner ?? 'root',
    mtime,
    atime: liveAtime(ev, nowMs),
    dirTime: movesParent(ev) ? mtime : null,
    dirMode: dirModeFor(path.slice(0, Math.max(1, path.lastIndexOf('/')))),
    expectSha,
    newSha: ev.content!.sha256,
    body: bodyOf(ev),
  };
}

/** What the write script's DIVERGED reasons mean (`changed` depends on create or edit). */
const DIVERGENCE_REASONS: Record<string, string> = {
  missing: 'the file is gone',
  symlink: 'the path is now a symbolic link',
  'not-a-file': 'the path is not a regular file',
  redirect: 'a directory on the way is a symbolic link or leads elsewhere (redirect refused)',
  'not-a-directory': 'a directory on the way is not a directory',
  'missing-directory': 'a directory on the way is gone',
};

export const PROBE_PORT = 22;
export const PROBE_TIMEOUT_S = 5;

/**
 * The exact docker invocation of an event (null for quiet events). `expectSha` for edits is
 * what the state says we last wrote; dry runs without a state use the plan's previousSha256.
 */
export function invocationFor(ev: TimelineEvent, decky: Decky, expectSha?: string | null): Invocation | null {
  if (ev.kind === 'quiet') return null;
  if (ev.kind === 'traffic') {
    return probeInvocation({ container: decky.container, docker: decky.docker, address: ev.traffic!.dst.address, port: ev.traffic!.port ?? PROBE_PORT, timeoutSeconds: PROBE_TIMEOUT_S });
  }
  if (ev.action === 'file:rename' || ev.action === 'file:delete') {
    return moveInvocation({ container: decky.container, docker: decky.docker, path: ev.path!, to: ev.to ?? null, expectSha: expectSha ?? '0'.repeat(64), owner: ev.owner ?? 'root', at: ev.mtime ?? ev.at });
  }
  const expect = ev.action === 'file:create' ? null : expectSha !== undefined ? expectSha : ev.previousSha256 ?? null;
  return writeInvocation(writeRequest(ev, decky, expect));
}

/** The write of a file planted with a lure: like a create of its own, with the lure's owner, at its own time. */
function companionRequest(ev: TimelineEvent, decky: Decky, comp: Companion, nowMs: number): WriteRequest {
  const body = Buffer.from(comp.content.data, comp.content.encoding === 'base64' ? 'base64' : 'utf8');
  const dir = comp.path.slice(0, Math.max(1, comp.path.lastIndexOf('/')));
  const own = comp.mtime === undefined ? {} : { mtime: comp.mtime, atime: comp.mtime };
  return { ...writeRequest(ev, decky, null, nowMs), path: comp.path, mode: comp.mode, ...own, newSha: comp.content.sha256, body, dirTime: null, dirMode: dirModeFor(dir) };
}

/** The exact calls for the files that come with a lure (made before the lure's own call). */
export function companionInvocations(ev: TimelineEvent, decky: Decky): Array<{ companion: Companion; invocation: Invocation }> {
  return (ev.companions ?? []).map((companion) => ({ companion, invocation: writeInvocation(companionRequest(ev, decky, companion, Date.parse(ev.at))) }));
}

export interface ApplyContext {
  driver: DockerDriver;
  state: LiveState;
  /** Where this decky's writes may go, and as whom. */
  roots: Roots;
  /** Which of the decky's logins exist in its container. */
  users: DeckyUsers;
  /** One line on stderr per divergence (decky, path, reason). */
  alert: (line: string) => void;
}

export async function applyEvent(ev: TimelineEvent, decky: Decky, cx: ApplyContext): Promise<ApplyResult> {
  const { state } = cx;
  if (ev.kind === 'quiet') {
    // Nothing happens on the container: no history row, the decky's cursor moves past it and
    // counts it as skipped (a quiet tick is never "applied", whether or not Docker answers).
    state.record(ev, 'skipped', []);
    return { status: 'quiet', stopLane: false };
  }
  if (ev.kind === 'traffic') return applyTraffic(ev, decky, cx);
  if (ev.action === 'file:rename' || ev.action === 'file:delete') return applyMove(ev, decky, cx);
  return applyFile(ev, decky, cx);
}

/** logrotate's renames and a cleanup job's deletes, on files this run wrote. */
async function applyMove(ev: TimelineEvent, decky: Decky, cx: ApplyContext): Promise<ApplyResult> {
  const { state } = cx;
  const path = ev.path!;
  const to = ev.action === 'file:rename' ? ev.to! : null;
  const previous = state.lastFile(decky.name, path);
  const owner = previous?.owner ?? ev.owner ?? 'root';
  const payload = { job: ev.job ?? null, to };
  const diverge = (reason: string, found: string | null): ApplyResult => {
    const msg = `${path}: ${reason}; the file was left as it is`;
    state.record(ev, 'diverged', [state.eventOp(ev, 'diverged', msg), state.divergenceOp(ev, reason, previous?.content_sha256 ?? null, found), state.orchestratorOp(ev, ev.decky.name, path, false, { ...payload, result: 'diverged', reason })]);
    cx.alert(`divergence: decky ${decky.name}: ${path}: ${reason}`);
    return { status: 'diverged', error: msg, stopLane: false };
  };
  // The same confinement as a write, for the file and for its new name.
  const refused = confinement(cx.roots, path, previous?.mode ?? '0644', owner) ?? (to === null ? null : confinement(cx.roots, to, previous?.mode ?? '0644', owner));
  if (refused !== null) {
    const msg = `rejected: ${refused}`;
    state.record(ev, 'rejected', [state.eventOp(ev, 'rejected', msg)]);
    return { status: 'rejected', error: msg, stopLane: false };
  }
  if (previous === null) return diverge('not written by this run (its create did not apply)', null);
  const out = await cx.driver.move({ container: decky.container, docker: decky.docker, path, to, expectSha: previous.content_sha256, owner, at: ev.mtime ?? ev.at });
  if (out.status === 'wrote' || out.status === 'already') {
    state.record(ev, 'applied', [state.eventOp(ev, 'applied', null), ...state.moveFileOps(ev, to), state.orchestratorOp(ev, ev.decky.name, path, true, { ...payload, result: out.status })]);
    return { status: out.status === 'wrote' ? 'applied' : 'already', stopLane: false };
  }
  if (out.status === 'diverged') {
    const reason = out.reason === 'missing' ? 'the file is gone' : out.reason === 'symlink' ? 'the path is now a symbolic link' : out.reason === 'not-a-file' ? 'the path is not a regular file' : out.reason === 'target-exists' ? `a file we did not write is already at ${to}` : out.reason === 'redirect' ? 'a folder on the way is redirected (symbolic link)' : 'the file changed since we last wrote it';
    return diverge(reason, out.found);
  }
  const rejected = out.message.startsWith('rejected:');
  const status = rejected ? 'rejected' : 'failed';
  state.record(ev, status, [state.eventOp(ev, status, out.message)]);
  return { status, error: out.message, stopLane: !rejected };
}

async function applyTraffic(ev: TimelineEvent, decky: Decky, cx: ApplyContext): Promise<ApplyResult> {
  const { state } = cx;
  const t = ev.traffic!;
  const started = Date.now();
  const out = await cx.driver.probe({ container: decky.container, docker: decky.docker, address: t.dst.address, port: t.port ?? PROBE_PORT, timeoutSeconds: PROBE_TIMEOUT_S });
  if (out.status === 'error') {
    const rejected = out.message.startsWith('rejected:');
    const status = rejected ? 'rejected' : 'failed';
    state.record(ev, status, [state.eventOp(ev, status, out.message)]);
    return { status, error: out.message, stopLane: !rejected };
  }
  const success = out.status === 'ok';
  // The row's columns hold the event id, time, kind and ends; the rest is re-derivable from the
  // plan, so the payload keeps only what the probe found (state size, issue 11 item 7).
  const payload = {
    address: t.dst.address,
    port: t.port ?? PROBE_PORT,
    tool: out.status === 'notool' ? null : out.tool,
    banner: out.status === 'notool' ? null : out.banner,
    result: out.status,
    elapsedMs: Date.now() - started,
  };
  state.record(ev, 'applied', [state.eventOp(ev, 'applied', success ? null : out.status === 'notool' ? 'no python3 or nc in the source container' : 'no SSH banner'), state.orchestratorOp(ev, t.src.name, t.dst.name, success, payload)]);
  return { status: 'applied', stopLane: false, traffic: success ? 'ok' : 'fail' };
}

async function applyFile(ev: TimelineEvent, decky: Decky, cx: ApplyContext): Promise<ApplyResult> {
  const { state } = cx;
  const c = ev.content!;
  const path = ev.path!;
  const isCreate = ev.action === 'file:create';
  const previous = state.lastFile(decky.name, path);
  // The row's destination is the path; owner, mode, times and class are the plan's (re-derivable
  // from the seed), so the payload keeps what identifies the bytes and what happened.
  const payload: Record<string, unknown> = { bytes: c.bytes, sha256: c.sha256 };
  if (!isCreate) payload.previousSha256 = ev.previousSha256 ?? null;
  if (ev.canary) payload.tokenId = ev.canary.tokenId; // the rest of the lure is in canary_tokens

  const diverge = (reason: string, expected: string | null, found: string | null, extra: Op[] = []): ApplyResult => {
    const msg = `${path}: ${reason}; the file was left as it is`;
    const ops: Op[] = [
      state.eventOp(ev, 'diverged', msg),
      state.divergenceOp(ev, reason, expected, found),
      state.orchestratorOp(ev, ev.decky.name, path, false, { ...payload, result: 'diverged', reason, foundSha256: found }),
      ...extra,
    ];
    if (ev.canary) ops.push(state.canaryOp(ev, 'failed', msg));
    state.record(ev, 'diverged', ops);
    if (ev.canary) state.store.sync();
    cx.alert(`divergence: decky ${decky.name}: ${path}: ${reason}`);
    return { status: 'diverged', error: msg, stopLane: false, canary: ev.canary ? 'failed' : undefined };
  };

  const owner = ev.owner ?? 'root';
  const refused = confinement(cx.roots, path, ev.mode ?? '0644', owner);
  if (refused !== null) {
    const msg = `rejected: ${refused}`;
    const ops: Op[] = [state.eventOp(ev, 'rejected', msg)];
    if (ev.canary) ops.push(state.canaryOp(ev, 'failed', msg));
    state.record(ev, 'rejected', ops);
    return { status: 'rejected', error: msg, stopLane: false, canary: ev.canary ? 'failed' : undefined };
  }
  const who = await cx.users.status(owner);
  if (typeof who === 'object') {
    state.record(ev, 'failed', [state.eventOp(ev, 'failed', who.error)]);
    return { status: 'failed', error: who.error, stopLane: true };
  }
  if (who === 'missing') {
    // Never plant a root-owned home full of a persona's files: the event is skipped.
    const msg = `skipped: user ${owner} does not exist in the container`;
    const ops: Op[] = [state.eventOp(ev, 'skipped', msg)];
    if (ev.canary) ops.push(state.canaryOp(ev, 'failed', msg));
    state.record(ev, 'skipped', ops);
    return { status: 'skipped', error: msg, stopLane: false, canary: ev.canary ? 'failed' : undefined };
  }

  let expect: string | null = null;
  if (!isCreate) {
    if (previous === null) return diverge('not written by this run (its create did not apply)', ev.previousSha256 ?? null, null);
    if (ev.previousSha256 !== undefined && previous.content_sha256 !== ev.previousSha256) {
      return diverge(`the state holds sha256 ${previous.content_sha256.slice(0, 12)}... but the plan edits ${ev.previousSha256.slice(0, 12)}...`, ev.previousSha256, previous.content_sha256);
    }
    expect = previous.content_sha256;
  }

  if (ev.canary) {
    // Journaled and synced before the plant: a callback that arrives during the write is attributable.
    state.store.commit([state.canaryOp(ev, 'pending', null)]);
    state.store.sync();
  }

  // The files that come with a lure go first (a repository's objects before its config, a
  // key's .pub and ssh config before the key), each like a create of its own.
  for (const comp of ev.companions ?? []) {
    const w = await cx.driver.write(companionRequest(ev, decky, comp, Date.now()));
    if (w.status === 'wrote' || w.status === 'already') continue;
    if (w.status === 'diverged') return diverge(`${comp.path}: a file we did not write is already there`, null, w.found);
    const rejected = w.message.startsWith('rejected:');
    const st = rejected ? 'rejected' : 'failed';
    const msg = `${comp.path}: ${w.message}`;
    state.record(ev, st, [state.eventOp(ev, st, msg), state.canaryOp(ev, 'failed', msg)]);
    state.store.sync();
    return { status: st, error: msg, stopLane: !rejected, canary: 'failed' };
  }

  const out = await cx.driver.write(writeRequest(ev, decky, expect, Date.now()));
  if (out.status === 'wrote' || out.status === 'already') {
    const ops: Op[] = [
      state.eventOp(ev, 'applied', null),
      state.fileOp(ev, previous),
      state.orchestratorOp(ev, ev.decky.name, path, true, { ...payload, result: out.status }),
    ];
    if (ev.canary) ops.push(state.canaryOp(ev, 'planted', null));
    state.record(ev, 'applied', ops);
    if (ev.canary) state.store.sync();
    return { status: out.status === 'wrote' ? 'applied' : 'already', stopLane: false, canary: ev.canary ? 'planted' : undefined };
  }
  if (out.status === 'diverged') {
    const reason = DIVERGENCE_REASONS[out.reason] ?? (isCreate ? 'a file we did not write is already there' : 'the file changed since we last wrote it');
    return diverge(reason, expect, out.found);
  }
  const rejected = out.message.startsWith('rejected:');
  const status = rejected ? 'rejected' : 'failed';
  const ops: Op[] = [state.eventOp(ev, status, out.message)];
  if (ev.canary) ops.push(state.canaryOp(ev, 'failed', out.message));
  state.record(ev, status, ops);
  if (ev.canary) state.store.sync();
  return { status, error: out.message, stopLane: !rejected, canary: ev.canary ? 'failed' : undefined };
}
