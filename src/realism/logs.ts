// Application logs a tick creates and appends to (/var/log/<app>/): syslog-shaped lines,
// `Mon DD HH:MM:SS <host> <app>[<pid>]: <message>`, written by that app alone, under the PID
// its daemon holds for the current boot. Timestamps strictly ascend and are never after the
// event time. The system's own logs (syslog, auth.log, cron.log, ...) belong to src/machine.
import { type Rng, between, int, pick } from '../rng/stream.js';
import { syslogStamp } from '../util/time.js';
import type { AppStream } from './paths.js';

export interface AppLogContext {
  rng: Rng;
  atMs: number;
  /** The short hostname. */
  hostname: string;
  app: string;
  /** Which of the application's daily files: its main log, its errors or its activity. */
  stream: AppStream;
  /** The application's PID at an instant: its daemon's for the boot then running; null while it is not running (the machine down, or just booting). */
  pidAt: (t: number) => number | null;
}

export interface LogText {
  text: string;
  lastMs: number;
}

const SEC = 1000;

/** Strictly ascending instants in [lo, hi], newest drawn first. */
function stamps(rng: Rng, lo: number, hi: number, count: number): number[] {
  const out: number[] = [];
  // The newest line is the write the file's mtime records.
  let t = hi;
  for (let i = 0; i < count; i++) {
    if (t < lo || (out.length > 0 && t >= out[out.length - 1]!)) break;
    out.push(t);
    t -= between(rng, 1, 900) * SEC;
  }
  if (out.length === 0 && hi >= lo) out.push(hi);
  return out.reverse();
}

const QUEUES = ['default', 'mail', 'reports', 'exports'];
const TASKS = ['nightly-export', 'invoice-run', 'cleanup-sessions', 'refresh-rates', 'sync-directory', 'weekly-digest'];
const ROUTES = ['/v1/orders', '/v1/customers', '/v1/invoices', '/v2/search', '/v1/reports', '/v1/auth/token', '/healthz'];
const SOURCES = ['sftp-drop', 'partner-feed', 'events', 'uploads', 'erp-export'];
const EXPORTS = ['orders', 'customers', 'stock', 'payments', 'usage'];

function clock(rng: Rng): string {
  return `${String(between(rng, 0, 23)).padStart(2, '0')}:${pick(rng, ['00', '15', '30', '45'])}`;
}

type Level = 'a' | 'i' | 'w';

/**
 * What each application says: its own lines, in proportions its work gives them (the routine
 * line most often, a warning now and then). Levels: 'a' the routine line (its activity log),
 * 'i' other information (its main log), 'w' a warning or error (its error log).
 */
const SAYS: Record<string, ReadonlyArray<readonly [number, Level, (r: Rng) => string]>> = {
  worker: [
    [5, 'a', (r) => `processed ${between(r, 1, 400)} jobs from queue ${pick(r, QUEUES)} in ${between(r, 2, 900)} ms`],
    [2, 'i', (r) => `queue ${pick(r, QUEUES)} drained, ${between(r, 0, 12)} scheduled for later`],
    [1, 'w', (r) => `job ${between(r, 10_000, 99_999)} failed (timeout after ${between(r, 30, 120)} s), retry ${between(r, 1, 4)} of 5 queued`],
    [2, 'i', (r) => `heartbeat ok, ${between(r, 0, 40)} pending`],
  ],
  scheduler: [
    [4, 'a', (r) => `task ${pick(r, TASKS)} finished in ${between(r, 1, 340)} s`],
    [2, 'i', (r) => `task ${pick(r, TASKS)} started`],
    [2, 'i', (r) => `next run of ${pick(r, TASKS)} at ${clock(r)}`],
    [1, 'w', (r) => `skipped ${pick(r, TASKS)}: the previous run is still going`],
  ],
  api: [
    [6, 'a', (r) => `${pick(r, ['GET', 'GET', 'GET', 'POST', 'PUT'])} ${pick(r, ROUTES)} ${pick(r, [200, 200, 200, 200, 201, 204, 304, 401, 404])} ${between(r, 3, 480)}ms`],
    [1, 'w', (r) => `slow request: ${between(r, 1200, 9000)} ms for ${pick(r, ROUTES)}`],
    [1, 'i', (r) => `connection pool at ${between(r, 2, 32)}/32 connections`],
  ],
  ingest: [
    [4, 'a', (r) => `read ${between(r, 1, 9000)} records from ${pick(r, SOURCES)}`],
    [3, 'i', (r) => `batch ${between(r, 1000, 9999)} committed (${between(r, 50, 5000)} rows)`],
    [1, 'w', (r) => `rejected ${between(r, 1, 40)} malformed records from ${pick(r, SOURCES)}`],
    [1, 'w', (r) => `lag behind ${pick(r, SOURCES)}: ${between(r, 1, 600)} s`],
  ],
  mailer: [
    [4, 'a', (r) => `delivered ${between(r, 1, 120)} messages, ${between(r, 0, 6)} deferred`],
    [2, 'i', (r) => `outgoing queue: ${between(r, 0, 80)} messages`],
    [1, 'w', (r) => `relay closed the connection, retrying in ${pick(r, [30, 60, 120, 300])} s`],
    [1, 'w', (r) => `${between(r, 1, 5)} bounces processed`],
  ],
  exporter: [
    [3, 'a', (r) => `export ${pick(r, EXPORTS)} written (${between(r, 10, 90_000)} rows)`],
    [2, 'i', (r) => `upload of ${pick(r, EXPORTS)} done in ${between(r, 1, 95)} s`],
    [2, 'i', (r) => `export ${pick(r, EXPORTS)} skipped: nothing changed since the last run`],
    [1, 'w', (r) => `upload of ${pick(r, EXPORTS)} failed (connection reset), will retry`],
  ],
};

// The three files hold disjoint lines (as an access log and an error log do): a line drawn for one
// file is not repeated in another, so none of them misses what another says happened.
const HOLDS: Record<AppStream, ReadonlySet<Level>> = { main: new Set(['i']), error: new Set(['w']), activity: new Set(['a']) };

/** The lines one file of an application may hold and their total weight, per `app|stream` (made once). */
const TABLES = new Map<string, { says: ReadonlyArray<readonly [number, Level, (r: Rng) => string]>; total: number }>();

function message(ctx: AppLogContext): string {
  const key = `${ctx.app}|${ctx.stream}`;
  let t = TABLES.get(key);
  if (t === undefined) {
    const holds = HOLDS[ctx.stream];
    const says = (SAYS[ctx.app] ?? SAYS.worker!).filter(([, l]) => holds.has(l));
    TABLES.set(key, (t = { says, total: says.reduce((n, [w]) => n + w, 0) }));
  }
  let x = int(ctx.rng, t.total);
  for (const [w, , f] of t.says) {
    if (x < w) return f(ctx.rng);
    x -= w;
  }
  return t.says[0]![2](ctx.rng);
}

/** The lines at `times` the application was running to write (under the PID it had then). */
function render(ctx: AppLogContext, times: number[]): LogText | null {
  let out = '';
  let lastMs = -1;
  for (const t of times) {
    const pid = ctx.pidAt(t);
    if (pid === null) continue;
    out += `${syslogStamp(t)} ${ctx.hostname} ${ctx.app}[${pid}]: ${message(ctx)}\n`;
    lastMs = t;
  }
  return lastMs < 0 ? null : { text: out, lastMs };
}

/**
 * A new log's first lines, from the last six hours; none before `notBefore` (a log named for a
 * day starts that day); null when the application was not running at any of them.
 */
export function appLogCreate(ctx: AppLogContext, notBefore = -Infinity): LogText | null {
  const times = stamps(ctx.rng, Math.max(ctx.atMs - 6 * 3600 * SEC, notBefore), ctx.atMs, between(ctx.rng, 3, 12));
  return render(ctx, times);
}

/** Lines strictly after `lastMs` and at or before the event time; null if no room. */
export function appLogAppend(ctx: AppLogContext, lastMs: number): LogText | null {
  if (ctx.atMs <= lastMs) return null;
  const times = stamps(ctx.rng, lastMs + SEC, ctx.atMs, between(ctx.rng, 1, 4));
  return render(ctx, times);
}
