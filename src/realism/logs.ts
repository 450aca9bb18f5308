// Syslog-shaped system logs (SPEC 4.3): `Mon DD HH:MM:SS <host> <tag>[<pid>]: <message>`, day
// space-padded, host = the decky's hostname, timestamps strictly ascending and never after the
// event time. Appends only add lines newer than the last one.
import { type Rng, between, int, pick, token } from '../rng/stream.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
import { syslogStamp } from '../util/time.js';
import { CRON_COMMANDS, SERVICES } from './words.js';

export interface LogContext {
  rng: Rng;
  atMs: number;
  path: string;
  hostname: string;
  /** Logins of the decky's personas, for sudo, ssh and cron lines. */
  logins: readonly string[];
}

export interface LogText {
  text: string;
  lastMs: number;
}

const SEC = 1000;

/** Strictly ascending instants in [lo, hi], newest first drawn; cron ones land on :01 of a minute. */
function stamps(rng: Rng, lo: number, hi: number, count: number, cron: boolean): number[] {
  const out: number[] = [];
  let t = hi - between(rng, 0, 90) * SEC;
  for (let i = 0; i < count; i++) {
    let v = t;
    if (cron) v = Math.floor((v - SEC) / 60_000) * 60_000 + SEC;
    if (v < lo || (out.length > 0 && v >= out[out.length - 1]!)) break;
    out.push(v);
    t = v - between(rng, cron ? 60 : 1, cron ? 1800 : 900) * SEC;
  }
  if (out.length === 0 && hi >= lo) out.push(hi);
  return out.reverse();
}

function user(ctx: LogContext): string {
  return ctx.logins.length > 0 && ctx.rng() < 0.3 ? pick(ctx.rng, ctx.logins) : 'root';
}

function ip(rng: Rng): string {
  return `10.${between(rng, 0, 40)}.${between(rng, 0, 254)}.${between(rng, 2, 250)}`;
}

/** The workstation a person logs in from: stable per login, as in real auth logs. */
function homeIp(login: string): string {
  let h = 2166136261;
  for (let i = 0; i < login.length; i++) h = Math.imul(h ^ login.charCodeAt(i), 16777619) >>> 0;
  return `10.${10 + (h % 20)}.${(h >>> 8) % 250}.${2 + ((h >>> 16) % 240)}`;
}

const USER_JOBS = ['sync-reports', 'check-disk', 'backup-db'];

function cronLine(ctx: LogContext, t: number, pid: number): string {
  const who = user(ctx);
  const cmd = who === 'root' ? pick(ctx.rng, CRON_COMMANDS) : `/home/${who}/scripts/${pick(ctx.rng, USER_JOBS)}.sh >/dev/null 2>&1`;
  return `${syslogStamp(t)} ${ctx.hostname} CRON[${pid}]: (${who}) CMD (${cmd})`;
}

// The message shapes are chosen by one draw (the index pick() would take) and a switch, so no
// array of closures is built per line.
function authLine(ctx: LogContext, t: number, pid: number): string {
  const { rng } = ctx;
  const who = ctx.logins.length > 0 ? pick(rng, ctx.logins) : 'admin';
  let msg: string;
  switch (int(rng, 7)) {
    case 0: msg = `sshd[${pid}]: Accepted publickey for ${who} from ${homeIp(who)} port ${between(rng, 40000, 65000)} ssh2: ED25519 SHA256:${token(rng, 43, B64)}`; break;
    case 1: msg = `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${who}(uid=${1000 + Math.max(0, ctx.logins.indexOf(who))}) by (uid=0)`; break;
    case 2: msg = `sshd[${pid}]: Received disconnect from ${rng() < 0.8 ? homeIp(who) : ip(rng)} port ${between(rng, 40000, 65000)}:11: disconnected by user`; break;
    case 3: msg = `sudo: ${who} : TTY=pts/${between(rng, 0, 4)} ; PWD=/home/${who} ; USER=root ; COMMAND=/usr/bin/systemctl status ${pick(rng, SERVICES)}`; break;
    case 4: msg = `sudo: pam_unix(sudo:session): session closed for user root`; break;
    case 5: msg = `CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`; break;
    default: msg = `systemd-logind[${between(rng, 300, 900)}]: New session ${between(rng, 2, 900)} of user ${who}.`;
  }
  return `${syslogStamp(t)} ${ctx.hostname} ${msg}`;
}

const SYN_PORTS = [80, 443, 8080];
const WORKERS = ['nginx', 'php-fpm', 'mysqld'];
const WORKER_STATES = ['started', 'reloaded configuration', 'exited normally'];
const DBUS_SERVICES = ['hostname1', 'timedate1', 'locale1'];

function daemonLine(ctx: LogContext, t: number, pid: number): string {
  const { rng } = ctx;
  const svc = pick(rng, SERVICES);
  let msg: string;
  switch (int(rng, 8)) {
    case 0: msg = `systemd[1]: Starting ${svc}.service...`; break;
    case 1: msg = `systemd[1]: Finished ${svc}.service.`; break;
    case 2: msg = `systemd[1]: ${svc}.service: Consumed ${between(rng, 1, 900)}ms CPU time.`; break;
    case 3: msg = `systemd-timesyncd[${between(rng, 300, 900)}]: Synchronized to time server 10.${between(rng, 0, 9)}.0.1:123.`; break;
    case 4: msg = `rsyslogd[${between(rng, 300, 900)}]: action 'action-${between(rng, 0, 9)}-builtin:omfile' resumed (module 'builtin:omfile')`; break;
    case 5: msg = `kernel: [${between(rng, 1000, 900000)}.${String(between(rng, 0, 999999)).padStart(6, '0')}] TCP: request_sock_TCP: Possible SYN flooding on port ${pick(rng, SYN_PORTS)}. Sending cookies.`; break;
    case 6: msg = `${pick(rng, WORKERS)}[${pid}]: worker ${between(rng, 1, 16)} ${pick(rng, WORKER_STATES)}`; break;
    default: msg = `dbus-daemon[${between(rng, 300, 900)}]: [system] Successfully activated service 'org.freedesktop.${pick(rng, DBUS_SERVICES)}'`;
  }
  return `${syslogStamp(t)} ${ctx.hostname} ${msg}`;
}

function lineFor(ctx: LogContext, cron: boolean): (t: number, pid: number) => string {
  if (cron) return (t, pid) => cronLine(ctx, t, pid);
  if (/\/auth\.log/.test(ctx.path)) return (t, pid) => authLine(ctx, t, pid);
  return (t, pid) => daemonLine(ctx, t, pid);
}

function render(ctx: LogContext, times: number[], cron: boolean): string {
  const line = lineFor(ctx, cron);
  let pid = between(ctx.rng, 900, 30000);
  let out = '';
  for (const t of times) {
    pid += between(ctx.rng, 1, 400);
    out += line(t, pid) + '\n';
  }
  return out;
}

export function logCreate(ctx: LogContext, cron: boolean): LogText {
  const times = stamps(ctx.rng, ctx.atMs - 6 * 3600 * SEC, ctx.atMs, between(ctx.rng, 3, 12), cron);
  return { text: render(ctx, times, cron), lastMs: times[times.length - 1]! };
}

/** Lines strictly after `lastMs` and at or before the event time; null if no room. */
export function logAppend(ctx: LogContext, cron: boolean, lastMs: number): LogText | null {
  if (ctx.atMs <= lastMs) return null;
  const times = stamps(ctx.rng, lastMs + SEC, ctx.atMs, between(ctx.rng, 1, 4), cron);
  return { text: render(ctx, times, cron), lastMs: times[times.length - 1]! };
}
