// What a live run records, as groups of typed operations for StateStore.commit (state/ops.ts).
import type { SqlValue } from 'sql.js';
import { InputError } from '../errors.js';
import type { TimelineEvent } from '../timeline/types.js';
import { isoSeconds } from '../util/time.js';
import { ENGINE_VERSION } from '../version.js';
import type { Op } from './ops.js';
import type { StateStore } from './store.js';
import { WORKING_SET } from '../sim/files.js';

export type EventStatus = 'applied' | 'diverged' | 'failed' | 'rejected' | 'baked' | 'skipped';
export const DONE_STATUSES: readonly EventStatus[] = ['applied', 'diverged', 'rejected', 'baked', 'skipped'];

export interface SyntheticFile {
  decky: string;
  path: string;
  persona: string | null;
  class: string;
  owner: string;
  mode: string;
  created: string;
  last_modified: string;
  edit_count: number;
  content_sha256: string;
  bytes: number;
  last_body: string | null;
  last_event: string;
}

export interface RunIdentity {
  seed: string;
  inputsSha256: string;
  /** `plan`, `follow` or `timeline`. */
  source: string;
  start: string;
  end: string;
  inputs: string;
}

/** Working-set size of the planner: files beyond it are never edited again (sim/files.ts). */
const EDITABLE = new Set(['note', 'todo', 'draft', 'script', 'log_cron', 'log_daemon']);
export const DEFAULT_HISTORY_MS = 7 * 86_400_000;

/** Domain view of the state store used by the executor. */
export class LiveState {
  readonly store: StateStore;
  private readonly now: () => number;
  /** Decky name -> tick of its last final outcome (a decky's events apply strictly in order). */
  private readonly cursors = new Map<string, number>();
  private done = 0;
  private newestAt = '';
  /** History kept for operators, in virtual time behind the newest event. */
  historyMs = DEFAULT_HISTORY_MS;

  constructor(store: StateStore, now: () => number) {
    this.store = store;
    this.now = now;
    for (const r of store.all<{ decky: string; tick: number; n: number; at: string }>('SELECT decky, tick, applied + diverged + rejected + skipped AS n, at FROM decky_cursor')) {
      this.cursors.set(r.decky, r.tick);
      this.done += r.n;
      if (r.at > this.newestAt) this.newestAt = r.at;
    }
    store.beforeSave = () => this.prune();
  }

  private wall(): string {
    return isoSeconds(Math.floor(this.now() / 1000) * 1000);
  }

  isDone(ev: Pick<TimelineEvent, 'decky' | 'tick'>): boolean {
    return ev.tick <= (this.cursors.get(ev.decky.name) ?? -1);
  }

  get doneCount(): number {
    return this.done;
  }

  identity(): RunIdentity | null {
    const seed = this.store.getMeta('seed');
    if (seed === null) return null;
    return {
      seed,
      inputsSha256: this.store.getMeta('inputs_sha256') ?? '',
      source: this.store.getMeta('source') ?? '',
      start: this.store.getMeta('start') ?? '',
      end: this.store.getMeta('end') ?? '',
      inputs: this.store.getMeta('inputs') ?? '',
    };
  }

  /**
   * Bind the state to a run: a fresh state takes the identity; one holding another run's
   * identity is refused (exit 2) unless `force`.
   */
  bind(id: RunIdentity, force: boolean): { adopted: boolean } {
    const have = this.identity();
    if (have && (have.seed !== id.seed || have.inputsSha256 !== id.inputsSha256) && !force) {
      throw new InputError(
        `${this.store.file}: this state belongs to another run (seed ${JSON.stringify(have.seed)}, inputs sha256 ${have.inputsSha256.slice(0, 12)}..., ${have.start} to ${have.end}); ` +
          `re-run that command to resume it, use another --state file, or pass --force to continue with these inputs`,
      );
    }
    const ops: Op[] = (
      [
        ['seed', id.seed],
        ['inputs_sha256', id.inputsSha256],
        ['source', id.source],
        ['start', id.start],
        ['end', id.end],
        ['inputs', id.inputs],
        ['engine_version', ENGINE_VERSION],
        ['history_ms', String(this.historyMs)],
      ] as const
    ).map(([key, value]) => ({ t: 'meta', key, value }));
    if (!have) ops.push({ t: 'meta', key: 'created_at', value: this.wall() });
    this.store.commit(ops);
    this.store.save();
    return { adopted: have !== null && (have.seed !== id.seed || have.inputsSha256 !== id.inputsSha256) };
  }

  /**
   * Keep the state small: history (events, orchestrator rows, divergences) older than the
   * retention window goes; bodies stay only for files that can still be edited (the newest
   * WORKING_SET editable files of each decky); rows of other files go with the history.
   */
  private prune(): void {
    if (this.newestAt === '') return;
    const cutoff = isoSeconds(Math.max(0, Date.parse(this.newestAt) - this.historyMs));
    this.store.run('DELETE FROM applied_events WHERE at < ?', [cutoff]);
    this.store.run('DELETE FROM orchestrator_events WHERE at < ?', [cutoff]);
    this.store.run('DELETE FROM divergences WHERE at < ?', [cutoff]);
    this.store.run(
      `UPDATE synthetic_files SET last_body = NULL WHERE last_body IS NOT NULL AND rowid NOT IN (
         SELECT f.rowid FROM synthetic_files f WHERE f.decky = synthetic_files.decky AND f.last_body IS NOT NULL ORDER BY f.created DESC, f.rowid DESC LIMIT ${WORKING_SET})`,
    );
    // Files the machine still renames or deletes (logrotate under /var/log, the /tmp sweep) keep
    // their rows: the move checks the sha256 we wrote. Both sets are bounded by the machine
    // (kept rotations, the sweep's age), so the state stays bounded.
    this.store.run(
      // A file's row goes with the history of its last change (by event time: a backdated
      // mtime says nothing about when we wrote it).
      "DELETE FROM synthetic_files WHERE last_body IS NULL AND last_event NOT IN (SELECT event_id FROM applied_events) AND path NOT LIKE '/var/log/%' AND path NOT LIKE '/tmp/%' AND path NOT IN (SELECT path FROM canary_tokens c WHERE c.decky = synthetic_files.decky)",
    );
  }

  lastFile(decky: string, path: string): SyntheticFile | null {
    return this.store.get<SyntheticFile>('SELECT * FROM synthetic_files WHERE decky = ? AND path = ?', [decky, path]);
  }

  eventOp(ev: TimelineEvent, status: EventStatus, error: string | null): Op {
    return { t: 'event', id: ev.id, decky: ev.decky.name, tick: ev.tick, at: ev.at, kind: ev.kind, action: ev.action, status, error, wall: this.wall() };
  }

  fileOp(ev: TimelineEvent, previous: SyntheticFile | null): Op {
    const c = ev.content!;
    const cls = ev.contentClass ?? 'unknown';
    // Bodies only for files that can still be edited (text classes of the working set).
    const body = c.encoding === 'utf8' && EDITABLE.has(cls) ? c.data : null;
    const created = ev.action === 'file:create' || previous === null ? ev.at : previous.created;
    const edits = ev.action === 'file:create' || previous === null ? 0 : previous.edit_count + 1;
    return { t: 'file', decky: ev.decky.name, path: ev.path!, persona: ev.persona ?? null, cls, owner: ev.owner ?? 'root', mode: ev.mode ?? '0644', created, modified: ev.mtime ?? ev.at, edits, sha256: c.sha256, bytes: c.bytes, body, event: ev.id };
  }

  /** A file the timeline renames (`to`) or deletes (`to` null) leaves or moves its row. */
  moveFileOp(ev: TimelineEvent, to: string | null): Op {
    if (to === null) return { t: 'filedrop', decky: ev.decky.name, path: ev.path! };
    return { t: 'filemove', to, event: ev.id, decky: ev.decky.name, path: ev.path! };
  }

  /** The state follows a rename (the row moves, keeping its history; a stale row at the new name goes) or a delete. */
  moveFileOps(ev: TimelineEvent, to: string | null): Op[] {
    if (to === null) return [this.moveFileOp(ev, null)];
    return [{ t: 'filedrop', decky: ev.decky.name, path: to }, this.moveFileOp(ev, to)];
  }

  orchestratorOp(ev: TimelineEvent, source: string, destination: string, success: boolean | null, payload: Record<string, unknown>): Op {
    return { t: 'orchestrator', id: ev.id, at: ev.at, kind: ev.kind, action: ev.action, source, destination, success: success === null ? null : success ? 1 : 0, payload: JSON.stringify(payload), wall: this.wall() };
  }

  canaryOp(ev: TimelineEvent, state: 'pending' | 'planted' | 'failed', error: string | null): Op {
    const k = ev.canary!;
    return { t: 'canary', token: k.tokenId, event: ev.id, decky: ev.decky.name, generator: k.generator, kind: k.kind, path: ev.path!, slug: k.slug, callback: k.callback, planted: ev.at, state, error, wall: this.wall() };
  }

  divergenceOp(ev: TimelineEvent, reason: string, expected: string | null, found: string | null): Op {
    return { t: 'divergence', event: ev.id, decky: ev.decky.name, path: ev.path ?? '', at: ev.at, reason, expected, found, wall: this.wall() };
  }

  /** Record a group; the event counts as done once its status is terminal. */
  record(ev: TimelineEvent, status: EventStatus, ops: Op[]): void {
    const final = DONE_STATUSES.includes(status);
    this.store.commit([...ops, final ? { t: 'cursor', decky: ev.decky.name, tick: ev.tick, id: ev.id, at: ev.at, status } : { t: 'failure', decky: ev.decky.name }]);
    if (final) {
      this.cursors.set(ev.decky.name, Math.max(ev.tick, this.cursors.get(ev.decky.name) ?? -1));
      this.done++;
      if (ev.at > this.newestAt) this.newestAt = ev.at;
    }
  }

  /** Host facts `run` read from the deckies' containers (meta `host_facts`, JSON by decky name); null: none recorded. */
  hostFacts(): Record<string, unknown> | null {
    const v = this.store.getMeta('host_facts');
    if (v === null) return null;
    try {
      const o = JSON.parse(v) as unknown;
      return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  recordHostFacts(facts: Record<string, unknown>): void {
    this.store.commit([{ t: 'meta', key: 'host_facts', value: JSON.stringify(facts) }]);
  }

  /** A persona login found missing in a decky's container, or created there (--create-users). */
  loginOp(decky: string, login: string, status: 'present' | 'created' | 'missing'): void {
    this.store.commit([{ t: 'login', decky, login, status, wall: this.wall() }]);
  }

  heartbeat(applied: number, failures: number, nextEvent: string | null): void {
    this.store.commit([{ t: 'heartbeat', time: this.wall(), applied, failures, next: nextEvent }]);
    this.store.run('DELETE FROM heartbeat WHERE time NOT IN (SELECT time FROM heartbeat ORDER BY time DESC LIMIT 2880)');
  }

  counts(): { applied: number; failures: number } {
    const r = this.store.get<{ applied: number; failures: number }>('SELECT COALESCE(SUM(applied), 0) AS applied, COALESCE(SUM(failed + rejected), 0) AS failures FROM decky_cursor');
    return { applied: r?.applied ?? 0, failures: r?.failures ?? 0 };
  }
}

export type { SqlValue };
