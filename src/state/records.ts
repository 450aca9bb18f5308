// What a live run records, as groups of statements for StateStore.commit. Every statement is
// keyed (upserts on a natural key, absolute values), so the state never depends on how many
// times a group was seen.
import type { SqlValue } from 'sql.js';
import { InputError } from '../errors.js';
import type { TimelineEvent } from '../timeline/types.js';
import { isoSeconds } from '../util/time.js';
import { ENGINE_VERSION } from '../version.js';
import type { Op, StateStore } from './store.js';

// `baked`: written into an image layer by `bake` (the decky starts from it); `skipped`: before a
// replay's --from. Both are done: a run never applies them.
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

/** Domain view of the state store used by the executor. */
export class LiveState {
  readonly store: StateStore;
  private readonly now: () => number;
  private readonly done: Set<string>;

  constructor(store: StateStore, now: () => number) {
    this.store = store;
    this.now = now;
    this.done = new Set(store.all<{ event_id: string }>(`SELECT event_id FROM applied_events WHERE status IN ('applied', 'diverged', 'rejected', 'baked', 'skipped')`).map((r) => r.event_id));
  }

  private wall(): string {
    return isoSeconds(Math.floor(this.now() / 1000) * 1000);
  }

  isDone(id: string): boolean {
    return this.done.has(id);
  }

  get doneCount(): number {
    return this.done.size;
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
    const ops: Op[] = [
      ['seed', id.seed],
      ['inputs_sha256', id.inputsSha256],
      ['source', id.source],
      ['start', id.start],
      ['end', id.end],
      ['inputs', id.inputs],
      ['engine_version', ENGINE_VERSION],
    ].map(([k, v]) => ['INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [k!, v!]]);
    if (!have) ops.push(["INSERT OR REPLACE INTO meta (key, value) VALUES ('created_at', ?)", [this.wall()]]);
    this.store.commit(ops);
    this.store.save();
    return { adopted: have !== null && (have.seed !== id.seed || have.inputsSha256 !== id.inputsSha256) };
  }

  lastFile(decky: string, path: string): SyntheticFile | null {
    return this.store.get<SyntheticFile>('SELECT * FROM synthetic_files WHERE decky = ? AND path = ?', [decky, path]);
  }

  eventOp(ev: TimelineEvent, status: EventStatus, error: string | null): Op {
    return [
      `INSERT INTO applied_events (event_id, decky, at, kind, action, status, error, attempts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (event_id) DO UPDATE SET status = excluded.status, error = excluded.error, attempts = applied_events.attempts + 1, updated_at = excluded.updated_at`,
      [ev.id, ev.decky.name, ev.at, ev.kind, ev.action, status, error, this.wall()],
    ];
  }

  fileOp(ev: TimelineEvent, previous: SyntheticFile | null): Op {
    const c = ev.content!;
    const body = c.encoding === 'utf8' ? c.data : null;
    const created = ev.action === 'file:create' || previous === null ? ev.at : previous.created;
    const edits = ev.action === 'file:create' || previous === null ? 0 : previous.edit_count + 1;
    return [
      `INSERT INTO synthetic_files (decky, path, persona, class, owner, mode, created, last_modified, edit_count, content_sha256, bytes, last_body, last_event)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (decky, path) DO UPDATE SET persona = excluded.persona, class = excluded.class, owner = excluded.owner, mode = excluded.mode,
         created = excluded.created, last_modified = excluded.last_modified, edit_count = excluded.edit_count,
         content_sha256 = excluded.content_sha256, bytes = excluded.bytes, last_body = excluded.last_body, last_event = excluded.last_event`,
      [ev.decky.name, ev.path!, ev.persona ?? null, ev.contentClass ?? 'unknown', ev.owner ?? 'root', ev.mode ?? '0644', created, ev.mtime ?? ev.at, edits, c.sha256, c.bytes, body, ev.id],
    ];
  }

  /** A file the timeline renames (`to`) or deletes (`to` null) leaves or moves its row. */
  moveFileOp(ev: TimelineEvent, to: string | null): Op {
    if (to === null) return ['DELETE FROM synthetic_files WHERE decky = ? AND path = ?', [ev.decky.name, ev.path!]];
    return ['UPDATE synthetic_files SET path = ?, last_event = ? WHERE decky = ? AND path = ?', [to, ev.id, ev.decky.name, ev.path!]];
  }

  orchestratorOp(ev: TimelineEvent, source: string, destination: string, success: boolean | null, payload: Record<string, unknown>): Op {
    return [
      `INSERT OR REPLACE INTO orchestrator_events (event_id, at, kind, action, source, destination, success, payload, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [ev.id, ev.at, ev.kind, ev.action, source, destination, success === null ? null : success ? 1 : 0, JSON.stringify(payload), this.wall()],
    ];
  }

  canaryOp(ev: TimelineEvent, state: 'pending' | 'planted' | 'failed', error: string | null): Op {
    const k = ev.canary!;
    return [
      `INSERT INTO canary_tokens (token_id, event_id, decky, generator, kind, path, slug, callback, planted_at, state, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (token_id) DO UPDATE SET state = excluded.state, error = excluded.error, updated_at = excluded.updated_at`,
      [k.tokenId, ev.id, ev.decky.name, k.generator, k.kind, ev.path!, k.slug, k.callback, ev.at, state, error, this.wall()],
    ];
  }

  divergenceOp(ev: TimelineEvent, reason: string, expected: string | null, found: string | null): Op {
    return [
      `INSERT OR REPLACE INTO divergences (event_id, decky, path, at, reason, expected_sha256, found_sha256, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [ev.id, ev.decky.name, ev.path ?? '', ev.at, reason, expected, found, this.wall()],
    ];
  }

  /** Record a group; the event counts as done once its status is terminal. */
  record(ev: TimelineEvent, status: EventStatus, ops: Op[]): void {
    this.store.commit(ops);
    if (DONE_STATUSES.includes(status)) this.done.add(ev.id);
  }

  heartbeat(applied: number, failures: number, nextEvent: string | null): void {
    const time = this.wall();
    const ops: Op[] = [
      ['INSERT OR REPLACE INTO heartbeat (time, applied, failures, next_event) VALUES (?, ?, ?, ?)', [time, applied, failures, nextEvent]],
      ['DELETE FROM heartbeat WHERE time NOT IN (SELECT time FROM heartbeat ORDER BY time DESC LIMIT 2880)', []],
    ];
    this.store.commit(ops);
  }

  counts(): { applied: number; failures: number } {
    const rows = this.store.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM applied_events GROUP BY status');
    let applied = 0;
    let failures = 0;
    for (const r of rows) {
      if (r.status === 'applied') applied += r.n;
      if (r.status === 'failed' || r.status === 'rejected') failures += r.n;
    }
    return { applied, failures };
  }
}

export type { SqlValue };
