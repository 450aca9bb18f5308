// The operations a live run records, as typed records: what the journal holds between saves
// (never SQL text). Each kind lists its fields and their types and maps to one fixed statement,
// so a journal line can only ever do what one of these does, and only after it was validated.
import type { SqlValue } from 'sql.js';

type FieldType = 'str' | 'str?' | 'int' | 'int?';

/** Kind -> field names and types (in statement parameter order) and the statement. */
export const OP_KINDS = {
  meta: {
    fields: { key: 'str', value: 'str' },
    sql: 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)',
  },
  /** An event's outcome: history row, and the decky's cursor when the outcome is final. */
  event: {
    fields: { id: 'str', decky: 'str', tick: 'int', at: 'str', kind: 'str', action: 'str', status: 'str', error: 'str?', wall: 'str' },
    sql: `INSERT INTO applied_events (event_id, decky, tick, at, kind, action, status, error, attempts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (event_id) DO UPDATE SET status = excluded.status, error = excluded.error, attempts = applied_events.attempts + 1, updated_at = excluded.updated_at`,
  },
  cursor: {
    fields: { decky: 'str', tick: 'int', id: 'str', at: 'str', status: 'str' },
    sql: `INSERT INTO decky_cursor (decky, tick, event_id, at, applied, diverged, rejected, skipped) VALUES (?1, ?2, ?3, ?4, ?5 = 'applied', ?5 = 'diverged', ?5 = 'rejected', ?5 = 'skipped')
       ON CONFLICT (decky) DO UPDATE SET tick = max(decky_cursor.tick, excluded.tick), event_id = excluded.event_id, at = excluded.at,
         applied = decky_cursor.applied + excluded.applied, diverged = decky_cursor.diverged + excluded.diverged,
         rejected = decky_cursor.rejected + excluded.rejected, skipped = decky_cursor.skipped + excluded.skipped`,
  },
  failure: {
    fields: { decky: 'str' },
    sql: `INSERT INTO decky_cursor (decky, tick, event_id, at, failed) VALUES (?, -1, '', '', 1) ON CONFLICT (decky) DO UPDATE SET failed = decky_cursor.failed + 1`,
  },
  file: {
    fields: { decky: 'str', path: 'str', persona: 'str?', cls: 'str', owner: 'str', mode: 'str', created: 'str', modified: 'str', edits: 'int', sha256: 'str', bytes: 'int', body: 'str?', event: 'str' },
    sql: `INSERT INTO synthetic_files (decky, path, persona, class, owner, mode, created, last_modified, edit_count, content_sha256, bytes, last_body, last_event)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (decky, path) DO UPDATE SET persona = excluded.persona, class = excluded.class, owner = excluded.owner, mode = excluded.mode,
         created = excluded.created, last_modified = excluded.last_modified, edit_count = excluded.edit_count,
         content_sha256 = excluded.content_sha256, bytes = excluded.bytes, last_body = excluded.last_body, last_event = excluded.last_event`,
  },
  /** A file the timeline renames moves its row; one it deletes drops it. */
  filemove: {
    fields: { to: 'str', event: 'str', decky: 'str', path: 'str' },
    sql: 'UPDATE synthetic_files SET path = ?, last_event = ? WHERE decky = ? AND path = ?',
  },
  filedrop: {
    fields: { decky: 'str', path: 'str' },
    sql: 'DELETE FROM synthetic_files WHERE decky = ? AND path = ?',
  },
  orchestrator: {
    fields: { id: 'str', at: 'str', kind: 'str', action: 'str', source: 'str', destination: 'str', success: 'int?', payload: 'str', wall: 'str' },
    sql: 'INSERT OR REPLACE INTO orchestrator_events (event_id, at, kind, action, source, destination, success, payload, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  },
  canary: {
    fields: { token: 'str', event: 'str', decky: 'str', generator: 'str', kind: 'str', path: 'str', slug: 'str', callback: 'str', planted: 'str', state: 'str', error: 'str?', wall: 'str' },
    sql: `INSERT INTO canary_tokens (token_id, event_id, decky, generator, kind, path, slug, callback, planted_at, state, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (token_id) DO UPDATE SET state = excluded.state, error = excluded.error, updated_at = excluded.updated_at`,
  },
  divergence: {
    fields: { event: 'str', decky: 'str', path: 'str', at: 'str', reason: 'str', expected: 'str?', found: 'str?', wall: 'str' },
    sql: 'INSERT OR REPLACE INTO divergences (event_id, decky, path, at, reason, expected_sha256, found_sha256, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  },
  login: {
    fields: { decky: 'str', login: 'str', status: 'str', wall: 'str' },
    sql: 'INSERT OR REPLACE INTO logins (decky, login, status, recorded_at) VALUES (?, ?, ?, ?)',
  },
  /** A call-home received by `listen` (the table is part of the schema). */
  trigger: {
    fields: { at: 'str', token: 'str', slug: 'str', decky: 'str', path: 'str', generator: 'str', protocol: 'str', address: 'str', port: 'int', detail: 'str' },
    sql: 'INSERT INTO canary_triggers (at, token_id, slug, decky, path, generator, protocol, source_address, source_port, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  },
  heartbeat: {
    fields: { time: 'str', applied: 'int', failures: 'int', next: 'str?' },
    sql: 'INSERT OR REPLACE INTO heartbeat (time, applied, failures, next_event) VALUES (?, ?, ?, ?)',
  },
} as const satisfies Record<string, { fields: Record<string, FieldType>; sql: string }>;

export type OpKind = keyof typeof OP_KINDS;
type TypeOf<T extends FieldType> = T extends 'str' ? string : T extends 'str?' ? string | null : T extends 'int' ? number : number | null;
type FieldsOf<K extends OpKind> = (typeof OP_KINDS)[K]['fields'];
export type Op = { [K in OpKind]: { t: K } & { -readonly [F in keyof FieldsOf<K>]: FieldsOf<K>[F] extends FieldType ? TypeOf<FieldsOf<K>[F]> : never } }[OpKind];

/** Why a record is not a valid operation (null when it is). */
export function opProblem(o: unknown): string | null {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not an object';
  const rec = o as Record<string, unknown>;
  const spec = (OP_KINDS as Record<string, { fields: Record<string, FieldType> }>)[rec.t as string];
  if (typeof rec.t !== 'string' || !spec || !Object.hasOwn(OP_KINDS, rec.t)) return `unknown operation ${JSON.stringify(rec.t)}`;
  const keys = Object.keys(rec).filter((k) => k !== 't');
  const want = Object.keys(spec.fields);
  if (keys.length !== want.length || keys.some((k) => !Object.hasOwn(spec.fields, k))) return `operation ${rec.t} has fields ${keys.join(',')}`;
  for (const [k, ty] of Object.entries(spec.fields)) {
    const v = rec[k];
    const ok = ty === 'str' ? typeof v === 'string' : ty === 'str?' ? v === null || typeof v === 'string' : ty === 'int' ? Number.isSafeInteger(v) : v === null || Number.isSafeInteger(v);
    if (!ok) return `operation ${rec.t}: field ${k} is not ${ty}`;
  }
  return null;
}

/** The fixed statement and parameters of a (validated) operation. */
export function statementOf(o: Op): [string, SqlValue[]] {
  const spec = OP_KINDS[o.t] as { fields: Record<string, FieldType>; sql: string };
  const rec = o as unknown as Record<string, SqlValue>;
  return [spec.sql, Object.keys(spec.fields).map((k) => rec[k]!)];
}
