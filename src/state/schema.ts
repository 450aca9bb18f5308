// Tables of the live state database (SPEC 8). Exactly-once is the per-decky cursor (a decky's
// events apply strictly in order, so the tick of its last final outcome says what is done);
// applied_events, orchestrator_events and divergences are history for operators, pruned to the
// retention window; synthetic_files keeps bodies only for files that can still be edited. Times named `at`, `created`, `last_modified`,
// `planted_at` are the simulation's (virtual) instants; `*_at` columns ending in `recorded_at`,
// `updated_at`, `detected_at` and heartbeat `time` are wall-clock instants of the run.
export const STATE_FORMAT = 'decnet-sim.state';
export const STATE_SCHEMA_VERSION = 2;

/** Tables every state file must have. */
export const TABLES = ['meta', 'decky_cursor', 'applied_events', 'synthetic_files', 'orchestrator_events', 'canary_tokens', 'divergences', 'logins', 'heartbeat'];

export const SCHEMA = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE decky_cursor (
  decky TEXT PRIMARY KEY,
  tick INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  at TEXT NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0,
  diverged INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE applied_events (
  event_id TEXT PRIMARY KEY,
  decky TEXT NOT NULL,
  tick INTEGER NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  action TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'diverged', 'failed', 'rejected', 'baked', 'skipped')),
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);
CREATE INDEX applied_events_decky ON applied_events (decky, at);
CREATE TABLE synthetic_files (
  decky TEXT NOT NULL,
  path TEXT NOT NULL,
  persona TEXT,
  class TEXT NOT NULL,
  owner TEXT NOT NULL,
  mode TEXT NOT NULL,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  edit_count INTEGER NOT NULL DEFAULT 0,
  content_sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  last_body TEXT,
  last_event TEXT NOT NULL,
  UNIQUE (decky, path)
);
CREATE TABLE orchestrator_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  action TEXT NOT NULL,
  source TEXT NOT NULL,
  destination TEXT NOT NULL,
  success INTEGER,
  payload TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE TABLE canary_tokens (
  token_id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  decky TEXT NOT NULL,
  generator TEXT NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  slug TEXT NOT NULL,
  callback TEXT NOT NULL,
  planted_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'planted', 'failed')),
  error TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX canary_tokens_slug ON canary_tokens (slug);
CREATE TABLE divergences (
  event_id TEXT PRIMARY KEY,
  decky TEXT NOT NULL,
  path TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT NOT NULL,
  expected_sha256 TEXT,
  found_sha256 TEXT,
  detected_at TEXT NOT NULL
);
CREATE TABLE logins (
  decky TEXT NOT NULL,
  login TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('present', 'created', 'missing')),
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (decky, login)
);
CREATE TABLE canary_triggers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  token_id TEXT NOT NULL,
  slug TEXT NOT NULL,
  decky TEXT NOT NULL,
  path TEXT NOT NULL,
  generator TEXT NOT NULL,
  protocol TEXT NOT NULL,
  source_address TEXT NOT NULL,
  source_port INTEGER NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX canary_triggers_token ON canary_triggers (token_id, at);
CREATE TABLE heartbeat (
  time TEXT PRIMARY KEY,
  applied INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  next_event TEXT
);
`;
