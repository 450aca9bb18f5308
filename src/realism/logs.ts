// Application logs a tick creates and appends to (/var/log/<app>/): syslog-shaped lines,
// `Mon DD HH:MM:SS <host> <app>[<pid>]: <message>`, written by that app alone, under the PID
// its daemon holds for the current boot. Timestamps strictly ascend and are never after the
// event time. The system's own logs (syslog, auth.log, cron.log, ...) belong to src/machine.
import { type Rng, between, int, pick } from '../rng/stream.js';
import { syslogStamp } from '../util/time.js';

export interface AppLogContext {
  rng: Rng;
  atMs: number;
  /** The short hostname. */
  hostname: string;
  app: string;
  pid: number;
}

export interface LogText {
  text: string;
  lastMs: number;
}

const SEC = 1000;

/** Strictly ascending instants in [lo, hi], newest drawn first. */
function stamps(rng: Rng, lo: number, hi: number, count: number): number[] {
  const out: number[] = [];
  let t = hi - between(rng, 0, 90) * SEC;
  for (let i = 0; i < count; i++) {
    if (t < lo || (out.length > 0 && t >= out[out.length - 1]!)) break;
    out.push(t);
    t -= between(rng, 1, 900) * SEC;
  }
  if (out.length === 0 && hi >= lo) out.push(hi);
  return out.reverse();
}

const QUEUES = ['default', 'mail', 'reports', 'exports'];

function message(ctx: AppLogContext): string {
  const { rng } = ctx;
  switch (int(rng, 6)) {
    case 0: return `worker ${between(rng, 1, 16)} started`;
    case 1: return `processed ${between(rng, 1, 400)} jobs from queue ${pick(rng, QUEUES)} in ${between(rng, 2, 900)} ms`;
    case 2: return `reloaded configuration`;
    case 3: return `slow request: ${between(rng, 1200, 9000)} ms for /api/v${between(rng, 1, 2)}/${pick(rng, QUEUES)}`;
    case 4: return `connection pool at ${between(rng, 2, 32)}/${32} connections`;
    default: return `heartbeat ok, ${between(rng, 0, 40)} pending`;
  }
}

function render(ctx: AppLogContext, times: number[]): string {
  let out = '';
  for (const t of times) out += `${syslogStamp(t)} ${ctx.hostname} ${ctx.app}[${ctx.pid}]: ${message(ctx)}\n`;
  return out;
}

/** A new log's first lines, from the last six hours; none before `notBefore` (a log named for a day starts that day). */
export function appLogCreate(ctx: AppLogContext, notBefore = -Infinity): LogText {
  const times = stamps(ctx.rng, Math.max(ctx.atMs - 6 * 3600 * SEC, notBefore), ctx.atMs, between(ctx.rng, 3, 12));
  return { text: render(ctx, times), lastMs: times[times.length - 1]! };
}

/** Lines strictly after `lastMs` and at or before the event time; null if no room. */
export function appLogAppend(ctx: AppLogContext, lastMs: number): LogText | null {
  if (ctx.atMs <= lastMs) return null;
  const times = stamps(ctx.rng, lastMs + SEC, ctx.atMs, between(ctx.rng, 1, 4));
  return { text: render(ctx, times), lastMs: times[times.length - 1]! };
}
