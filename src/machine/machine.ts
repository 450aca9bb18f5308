// One decky as a machine: its boots, its crontab, the timers systemd runs, the log files those
// write to and logrotate. DeckySim asks it three things: what existed before the horizon
// (history), what the machine itself does next (rotation, cleanup deletes: due actions), and
// which logs hold lines not yet written out when a tick looks at them.
//
// Lines are produced in time order: each producer (a crontab entry, a timer, a boot) makes the
// lines of one run when the clock reaches the run's start; those lines wait in a small heap
// until their own time, then go to every log that takes their facility. Memory holds a day of
// pending lines per log at most (rotation writes them out), never the horizon.
import type { ContentClass } from '../inputs/types.js';
import { type Rng, StreamFamily, between, exponential, fastStream, indexedStream, stream } from '../rng/stream.js';
import { type AleaStream, aleaFromState } from '../rng/alea.js';
import { untaken } from '../util/queue.js';
import { holdFlat } from '../util/text.js';
import { syslogStamp, systemdTimespan, utcDate } from '../util/time.js';
import { type Boot, BootModel, DAEMONS, appPid, forgetBefore, freshPid, inboundPid, mariadbPid, nginxWorkers, uptimeStamp } from './boot.js';
import { DatabaseServer, MARIADB_UNIT } from './database.js';
import { APP_UNITS } from '../realism/words.js';
import { type CronEntry, type Crontab, type DumpJob, DUMP_RUN_SECONDS, dumpPath, nextFire, plantCrontab, runsDump } from './crontab.js';
import { type Facility, type FileOp, LogFile, MAIN_LOGS, jobLogDef, rotationNames } from './logs.js';
import { type LoginSource, LoginSessions } from './sessions.js';
import { TIMERS, type Timer, UPGRADE_TIMER, timerInstant } from './timers.js';
import { kernelBanner, kernelName } from './kernels.js';
import { UPGRADE_LOGS, upgradeRun } from './upgrades.js';
import { NGINX_LOGS, NGINX_UNIT, nginxUpMs, type WebHost, type WebLine, WebServer } from './webserver.js';
import type { Organisation } from '../world/organisation.js';
import type { InboundProbe, ProbeInbox } from '../sim/fleet-traffic.js';

/** An SSH session of the days before the horizon (whole-second instants). */
export interface PastSession {
  login: string;
  uid: number;
  from: LoginSource;
  cwd: string;
  startMs: number;
  endMs: number;
  sudo: ReadonlyArray<{ ms: number; cmd: string }>;
}

interface PastSessionStep {
  ms: number;
  kind: 'login' | 'sudo' | 'logout';
  s: PastSession;
  cmd?: string;
}

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** How far back the pre-history's logs reach (the rotations kept, and a day). */
export const HISTORY_LOG_DAYS = 8;
const HISTORY_DAYS = HISTORY_LOG_DAYS;
/**
 * rsyslogd writes each line as it comes; the timeline writes a log out in batches. Besides the
 * batches ticks and logrotate make, every log with new lines is written out on this cadence, at a
 * fixed instant just after an hourly cron run per decky: a clock of the machine's own, so the writes never depend
 * on where a plan's horizon ends, and the live file is never more than this far behind its lines.
 */
const WRITE_OUT_EVERY = 2 * HOUR;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** By then after a boot every application's unit has started (their lines say when). */
const APP_UP_MS = 30 * SEC;

interface Line {
  ms: number;
  seq: number;
  fac: Facility;
  text: string;
}

/** A min-heap of lines by (time, production order). */
class LineHeap {
  private readonly a: Line[] = [];
  get size(): number {
    return this.a.length;
  }
  top(): Line {
    return this.a[0]!;
  }
  private less(x: Line, y: Line): boolean {
    return x.ms !== y.ms ? x.ms < y.ms : x.seq < y.seq;
  }
  push(l: Line): void {
    // Lines wait here up to hours (a session's close): held flat, not as their template's rope.
    holdFlat(l.text);
    const a = this.a;
    a.push(l);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Line {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const m = r < a.length && this.less(a[r]!, a[l]!) ? r : l;
        if (!this.less(a[m]!, a[i]!)) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}


/** Units systemd starts at boot, with the daemon each runs (their PIDs come from the boot). */
/**
 * The units a boot starts, in order. `notify`: the daemon tells systemd when it is ready, so
 * systemd logs `Starting` when it launches it and `Started` then (a simple unit has only `Started`).
 */
const BOOT_UNITS: ReadonlyArray<{ daemon: (typeof DAEMONS)[number]; unit: string; description: string; notify: boolean }> = [
  { daemon: 'systemd-journald', unit: 'systemd-journald.service', description: 'Journal Service', notify: true },
  { daemon: 'systemd-udevd', unit: 'systemd-udevd.service', description: 'Rule-based Manager for Device Events and Files', notify: true },
  { daemon: 'systemd-timesyncd', unit: 'systemd-timesyncd.service', description: 'Network Time Synchronization', notify: true },
  { daemon: 'dbus-daemon', unit: 'dbus.service', description: 'D-Bus System Message Bus', notify: false },
  { daemon: 'systemd-logind', unit: 'systemd-logind.service', description: 'User Login Management', notify: true },
  { daemon: 'rsyslogd', unit: 'rsyslog.service', description: 'System Logging Service', notify: true },
  { daemon: 'cron', unit: 'cron.service', description: 'Regular background program processing daemon', notify: false },
  { daemon: 'sshd', unit: 'ssh.service', description: 'OpenBSD Secure Shell server', notify: true },
];

/** Whether the decky (by seed, uuid and services) runs the nightly database dump job. */
export function hasDumpJob(seed: string, uuid: string, services: readonly string[]): boolean {
  return runsDump(services, stream(seed, uuid, 'crontab', 'dump'));
}

/** A job's streams: one family, restarted per run for its message and length, once for what stays steady. */
interface JobStreams {
  family: StreamFamily;
  run: AleaStream;
  steady: AleaStream;
  length: AleaStream;
}

/** A step of an inbound connection (see Machine.takeInbound). */
interface HopStep {
  ms: number;
  kind: 'probe' | 'login' | 'logout' | 'killed';
  p: InboundProbe;
  key: string;
}

/** A typed session from a peer, open. */
interface OpenHop {
  login: string;
  uid: number;
  pid: number;
  child: number;
  session: number;
  address: string;
  port: number;
  /** Whether its login started the user's manager (no other session of theirs was open). */
  manager: boolean;
  logind: number;
}

/** Remove and return the queued lines at or before `upTo`. */
function drainUpTo(q: { lines: Array<{ ms: number; text: string }>; head: number }, upTo: number): Array<{ ms: number; text: string }> {
  let i = q.head;
  while (i < q.lines.length && q.lines[i]!.ms <= upTo) i++;
  const out = q.lines.slice(q.head, i);
  q.head = i;
  const rest = untaken(q.lines, q.head);
  if (rest !== null) {
    q.lines = rest;
    q.head = 0;
  }
  return out;
}

export class Machine {
  readonly boots: BootModel;
  /** timesyncd's servers, as it names them in its lines. */
  private readonly ntp: string[];
  /** The first boot (the machine has run since; nothing it writes is older). */
  readonly firstBootMs: number;
  readonly crontab: Crontab;
  readonly logs: LogFile[];
  private readonly byFacility = new Map<Facility, LogFile[]>();
  private readonly heap = new LineHeap();
  private seq = 0;
  /** The applications the decky runs (systemd starts and stops their units with the machine). */
  private readonly apps: readonly string[];
  /** Files and directories dpkg knew at the first boot. */
  private readonly dbFiles: number;
  /** The short hostname logs carry. */
  readonly host: string;
  private readonly seed: string;
  private readonly uuid: string;
  private readonly jobStreams = new Map<string, JobStreams>();
  private readonly rng: Rng;
  private readonly cronNext: number[];
  private readonly timerNext: number[];
  private readonly timerDay: number[];
  private nextBoot: number;
  private nextSync: number;
  /** Where the producers' history starts (the first boot, or a week and a day before the horizon). */
  private readonly historyFrom: number;
  /** Producers have made every run that starts at or before this instant. */
  private madeTo: number;
  /** The earliest next run of any producer (advanceTo has nothing to make before it). */
  private nextRunMs = -Infinity;
  /** logrotate: minute of the day, and the next run. */
  private readonly rotateAt: number;
  private nextRotation: number;
  /** The machine's own write-outs of pending log lines. */
  private nextWrite: number;
  private readonly sweeps: CronEntry[];
  private readonly sweepNext: number[];
  /** Files in /tmp the planner made, oldest first (what the cleanup job finds). */
  private readonly tmp: Array<{ path: string; mtimeMs: number; cls: ContentClass }> = [];
  /** People's SSH logins, as sshd, PAM, logind and sudo log them. */
  private readonly sessions: LoginSessions;
  /** Logins, sudos and logouts of the days before the horizon, in time order (a producer). */
  private past: PastSessionStep[] = [];
  private pastNext = 0;

  /** The nightly database dump's crontab entry, when the decky runs one (one owner of its schedule). */
  readonly dump: { entry: CronEntry; job: DumpJob } | null;

  /** Probes other deckies make of this one's sshd (null: none reach it, or planned elsewhere). */
  private readonly inbox: ProbeInbox | null;
  /** Inbound connections' steps not yet made (probes, typed sessions' logins and logouts), in time order. */
  private inboundSteps: HopStep[] = [];
  private inboundNext = 0;
  /** Typed sessions from peers open now. */
  private readonly hops = new Map<string, OpenHop>();
  /** Per log: the inbound lines not yet written out (see ride). */
  private readonly rideAlong = new Map<LogFile, { lines: Array<{ ms: number; text: string }>; head: number }>();
  /** The audit session counter of the current boot, and the newest number an inbound session took. */
  private readonly audit = { boot: -1, n: 0, hop: 0 };
  /** A hopping login's uid here and the key sshd accepts (their workstation's, forwarded). */
  private readonly hopAccount: (login: string) => { uid: number; key: string } | null;
  /** nginx, on a decky that serves the web (null: none). */
  private readonly web: WebServer | null;
  private readonly webHost: WebHost;
  private readonly webOut: (l: WebLine) => void;
  /** MariaDB, on a decky that serves the database (null: none). */
  readonly db: DatabaseServer | null;

  /**
   * `services`: what the decky exposes (a `mysql` decky always runs the nightly dump);
   * `backupHost`: where a dump job ships its dumps; `inbox`: the probes that reach this decky.
   */
  constructor(seed: string, uuid: string, hostname: string, startMs: number, opts: { services?: readonly string[]; backupHost?: string; ntpDomain?: string; inbox?: ProbeInbox | null; apps?: readonly string[]; hopAccount?: (login: string) => { uid: number; key: string } | null; web?: { org: Organisation; zone: string; https: boolean } | null; address?: string | null } = {}) {
    this.apps = opts.apps ?? [];
    this.hopAccount = opts.hopAccount ?? (() => null);
    this.seed = seed;
    this.uuid = uuid;
    this.host = hostname.split('.')[0]!;
    this.rng = fastStream(seed, uuid, 'machine', 'lines');
    this.dbFiles = between(stream(seed, uuid, 'upgrades', 'dpkg'), 27_000, 41_000);
    const dr = stream(seed, uuid, 'crontab', 'dump');
    // timesyncd's two servers (its NTP= line): the organisation's time servers, the same two
    // addresses on every decky, as `address:123 (name)`.
    const nr = stream(seed, 'ntp', opts.ntpDomain ?? uuid);
    const net = between(nr, 0, 9);
    const host0 = between(nr, 1, 6);
    this.ntp = [1, 2].map((n, i) => `10.${net}.0.${host0 + i}:123${opts.ntpDomain ? ` (ntp${n}.${opts.ntpDomain})` : ''}`);
    const dump = runsDump(opts.services ?? [], dr) ? { r: dr, host: opts.backupHost ?? 'backup' } : null;
    // (hasDumpJob, above, makes the same first draw: the checker asks it.)
    this.crontab = plantCrontab(stream(seed, uuid, 'crontab'), dump, stream(seed, uuid, 'crontab', 'comments'));
    const de = this.crontab.entries.find((e) => e.job?.dump !== undefined);
    this.dump = de ? { entry: de, job: de.job!.dump! } : null;
    // The reboot time an admin picks keeps clear of the nightly dump's run.
    const dumpAt = de ? de.hours[0]! * 60 + de.minutes[0]! : null;
    this.boots = new BootModel(seed, uuid, startMs, dumpAt === null ? null : { fromMin: dumpAt - 10, toMin: dumpAt + Math.ceil(DUMP_RUN_SECONDS[1] / 60) + 10 });
    this.logs = [...MAIN_LOGS, ...UPGRADE_LOGS, ...(opts.web ? NGINX_LOGS : [])].map((d) => new LogFile(d));
    for (const e of this.crontab.entries) if (e.job?.log) this.logs.push(new LogFile(jobLogDef(e.job.log, e.job.name)));
    for (const l of this.logs) for (const f of l.def.facilities) {
      const list = this.byFacility.get(f);
      if (list) list.push(l);
      else this.byFacility.set(f, [l]);
    }
    const first = Math.max(startMs - HISTORY_DAYS * DAY, this.boots.at(startMs - HISTORY_DAYS * DAY).ms);
    this.firstBootMs = this.boots.at(-Infinity).ms;
    // A database runs where the decky serves one, and behind a machine whose nightly job dumps it.
    const exposed = (opts.services ?? []).includes('mysql');
    this.db = exposed || this.dump !== null ? new DatabaseServer(seed, uuid, this.firstBootMs - 400 * DAY, { exposed, address: opts.address ?? null }) : null;
    this.madeTo = first - 1;
    this.historyFrom = first;
    this.webHost = {
      servingAt: (t) => {
        const boot = this.boots.at(t);
        return t >= boot.ms + nginxUpMs(boot) && t < boot.downMs;
      },
      workers: (t) => {
        const boot = this.boots.at(t);
        return { pids: nginxWorkers(boot), boot: boot.index };
      },
    };
    this.webOut = (l) => this.heap.push({ ms: l.ms, seq: this.seq++, fac: l.log === 'access' ? 'nginx-access' : 'nginx-error', text: l.text });
    this.cronNext = this.crontab.entries.map((e) => nextFire(e, first - 1));
    this.timerDay = TIMERS.map(() => Math.floor(first / DAY) - 1);
    this.timerNext = TIMERS.map((_, i) => this.timerAfter(i, first - 1));
    const boot0 = this.boots.at(first);
    this.nextBoot = boot0.ms >= first ? boot0.ms : boot0.endMs;
    this.nextSync = first + exponential(this.rng, 2 * 86_400) * SEC;
    const r = stream(seed, uuid, 'logrotate');
    this.rotateAt = between(r, 0, 59) * MIN;
    this.web = opts.web ? new WebServer(seed, uuid, hostname, opts.web.org, opts.web.zone, first, opts.web.https, this.rotateAt) : null;
    this.nextRotation = this.rotationAfter(first);
    // Just after an hourly run-parts has logged its lines, so the file then holds them.
    const hourly = this.crontab.entries.find((e) => e.command.includes('/etc/cron.hourly'))?.minutes[0] ?? between(r, 0, 59);
    const offset = (between(r, 0, WRITE_OUT_EVERY / HOUR - 1) * 60 + hourly) * MIN + between(r, 60, 240) * SEC;
    this.nextWrite = Math.floor(startMs / WRITE_OUT_EVERY) * WRITE_OUT_EVERY + offset;
    if (this.nextWrite < startMs) this.nextWrite += WRITE_OUT_EVERY;
    this.sessions = new LoginSessions(fastStream(seed, uuid, 'machine', 'sessions'), (ms, msg) => this.line(ms, 'auth', msg), (ms, msg) => this.line(ms, 'daemon', msg));
    this.sweeps = this.crontab.entries.filter((e) => e.job?.deletesTmpOlderThanDays !== undefined);
    this.sweepNext = this.sweeps.map((e) => nextFire(e, startMs - 1) + SEC);
    const inbox = opts.inbox ?? null;
    this.inbox = inbox;
    if (inbox !== null) {
      this.boots.record();
      // The logs that carry lines of inbound connections take them as they are written out.
      for (const fac of ['auth', 'daemon'] as const) {
        for (const l of this.byFacility.get(fac) ?? []) {
          if (this.rideAlong.has(l)) continue;
          const q = { lines: [] as Array<{ ms: number; text: string }>, head: 0 };
          this.rideAlong.set(l, q);
          l.takeInbound((upTo) => drainUpTo(q, upTo));
        }
      }
    }
  }

  /**
   * A line of an inbound connection: it rides along when its logs are written out anyway, and
   * never makes a write-out, an mtime or a session floor of its own (the machine's events do not
   * depend on who connects to it; see takeInbound).
   */
  private ride(ms: number, fac: Facility, msg: string): void {
    // Queued until its logs are next written out: held flat, not as the template's rope.
    const text = holdFlat(`${syslogStamp(ms)} ${this.host} ${msg}\n`);
    for (const l of this.byFacility.get(fac) ?? []) {
      const q = this.rideAlong.get(l);
      if (!q) continue;
      const lines = q.lines;
      let k = lines.length;
      while (k > q.head && lines[k - 1]!.ms > ms) k--;
      lines.splice(k, 0, { ms, text });
    }
  }

  /** Whether sshd takes a connection at t (it listens two minutes into a boot, until its shutdown). */
  private sshdUp(t: number): boolean {
    const boot = this.boots.at(t);
    return t >= boot.ms + 2 * MIN && !this.halted(t);
  }

  /**
   * A banner probe: a client that connects, reads the banner and closes without sending its own
   * identification (OpenSSH 9.2 at LogLevel INFO: the banner exchange fails, then the connection
   * is reported closed by the client), from a child of sshd with a PID of the inbound lane.
   */
  private probeRun(p: InboundProbe): void {
    if (!this.sshdUp(p.lineMs)) return; // refused
    const boot = this.boots.at(p.lineMs);
    const pid = inboundPid(boot, p.lineMs);
    this.ride(p.lineMs, 'auth', `sshd[${pid}]: error: kex_exchange_identification: Connection closed by remote host`);
    this.ride(p.lineMs, 'auth', `sshd[${pid}]: Connection closed by ${p.address} port ${p.port}`);
  }

  /**
   * A person on a peer typed `ssh <this host>`: sshd accepts their key (their workstation's,
   * forwarded by their agent), PAM opens the session and logind numbers it from the kernel's
   * audit session counter (see auditSession: the number after the newest one the machine's own
   * sessions took), systemd starts its scope (and their user manager when they have no session
   * here yet). It ends when they log out, or at a shutdown.
   */
  private hopLogin(step: HopStep): void {
    const p = step.p;
    if (!this.sshdUp(step.ms)) return;
    const account = this.hopAccount(p.login!);
    if (account === null) return;
    const boot = this.boots.at(step.ms);
    this.auditSession(boot, 0);
    const session = Math.max(this.audit.n + 1, this.audit.hop + 1);
    this.audit.hop = session;
    const pid = inboundPid(boot, step.ms);
    const child = inboundPid(boot, step.ms);
    const { uid } = account;
    const manager = !this.sessions.uidOpen(uid) && ![...this.hops.values()].some((h) => h.uid === uid && h.manager);
    this.ride(step.ms, 'auth', `sshd[${pid}]: Accepted publickey for ${p.login} from ${p.address} port ${p.port} ssh2: ${account.key}`);
    this.ride(step.ms, 'auth', `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${p.login}(uid=${uid}) by (uid=0)`);
    this.ride(step.ms, 'auth', `systemd-logind[${boot.pids['systemd-logind']}]: New session ${session} of user ${p.login}.`);
    if (manager) {
      this.ride(step.ms, 'daemon', `systemd[1]: Created slice user-${uid}.slice - User Slice of UID ${uid}.`);
      this.ride(step.ms, 'daemon', `systemd[1]: Starting user-runtime-dir@${uid}.service - User Runtime Directory /run/user/${uid}...`);
      this.ride(step.ms, 'daemon', `systemd[1]: Finished user-runtime-dir@${uid}.service - User Runtime Directory /run/user/${uid}.`);
      this.ride(step.ms, 'daemon', `systemd[1]: Starting user@${uid}.service - User Manager for UID ${uid}...`);
      this.ride(step.ms + SEC, 'daemon', `systemd[1]: Started user@${uid}.service - User Manager for UID ${uid}.`);
    }
    this.ride(step.ms + SEC, 'daemon', `systemd[1]: Started session-${session}.scope - Session ${session} of User ${p.login}.`);
    this.hops.set(step.key, { login: p.login!, uid, pid, child, session, address: p.address, port: p.port, manager, logind: boot.pids['systemd-logind'] });
    // Out at the end of the hop, or killed with every session at the shutdown (sessions.shutdown's instant).
    const byShutdown = p.endMs >= boot.downMs;
    this.insertStep({ ms: byShutdown ? boot.downMs + SEC : p.endMs, kind: byShutdown ? 'killed' : 'logout', p, key: step.key });
  }

  private hopLogout(step: HopStep): void {
    const h = this.hops.get(step.key);
    if (!h) return;
    this.hops.delete(step.key);
    const t = step.ms;
    if (step.kind === 'logout') {
      this.ride(t, 'auth', `sshd[${h.child}]: Received disconnect from ${h.address} port ${h.port}:11: disconnected by user`);
      this.ride(t, 'auth', `sshd[${h.child}]: Disconnected from user ${h.login} ${h.address} port ${h.port}`);
    }
    this.ride(t, 'auth', `sshd[${h.pid}]: pam_unix(sshd:session): session closed for user ${h.login}`);
    this.ride(t, 'daemon', `systemd[1]: session-${h.session}.scope: Deactivated successfully.`);
    this.ride(t, 'auth', `systemd-logind[${h.logind}]: Session ${h.session} logged out. Waiting for processes to exit.`);
    this.ride(t, 'auth', `systemd-logind[${h.logind}]: Removed session ${h.session}.`);
    if (step.kind === 'logout' && h.manager && !this.sessions.uidOpen(h.uid) && ![...this.hops.values()].some((x) => x.uid === h.uid)) {
      const stop = t + 10 * SEC;
      this.ride(stop, 'daemon', `systemd[1]: Stopping user@${h.uid}.service - User Manager for UID ${h.uid}...`);
      this.ride(stop, 'daemon', `systemd[1]: user@${h.uid}.service: Deactivated successfully.`);
      this.ride(stop, 'daemon', `systemd[1]: Stopped user@${h.uid}.service - User Manager for UID ${h.uid}.`);
      this.ride(stop, 'daemon', `systemd[1]: Stopping user-runtime-dir@${h.uid}.service - User Runtime Directory /run/user/${h.uid}...`);
      this.ride(stop, 'daemon', `systemd[1]: user-runtime-dir@${h.uid}.service: Deactivated successfully.`);
      this.ride(stop, 'daemon', `systemd[1]: Stopped user-runtime-dir@${h.uid}.service - User Runtime Directory /run/user/${h.uid}.`);
      this.ride(stop, 'daemon', `systemd[1]: Removed slice user-${h.uid}.slice - User Slice of UID ${h.uid}.`);
    }
  }

  /**
   * The kernel's audit session counter, which logind names sessions after: every PAM stack with
   * pam_loginuid takes the next number (each cron job run, each SSH login); it starts afresh at
   * each boot. The machine's own SSH logins take two (the number after the newest is left to
   * an inbound session that may come before the next cron run, so a hop never changes the
   * number of the machine's own sessions). Returns the number taken (`step` 0: none).
   */
  private auditSession(boot: Boot, step: number): number {
    const a = this.audit;
    if (a.boot !== boot.index) {
      a.boot = boot.index;
      a.n = between(indexedStream(boot.index, this.seed, this.uuid, 'audit'), 1, 4);
      a.hop = 0;
    }
    a.n += step;
    return a.n;
  }

  /** Every path the machine owns: ticks never create these. */
  reservedPaths(): string[] {
    const out: string[] = [];
    for (const l of this.logs) out.push(...rotationNames(l.def));
    for (const f of this.crontab.files) out.push(f.path);
    return out;
  }

  private rotationAfter(t: number): number {
    let d = Math.floor(t / DAY);
    for (;;) {
      const at = d * DAY + this.rotateAt + this.rotationSecond(d);
      if (at > t) return at;
      d++;
    }
  }

  private rotationSecond(day: number): number {
    return between(indexedStream(day, this.seed, this.uuid, 'logrotate'), 0, 59) * SEC;
  }

  private timerAfter(i: number, t: number): number {
    let d = Math.max(this.timerDay[i]!, Math.floor(t / DAY));
    for (let guard = 0; guard < 16; guard++, d++) {
      const at = timerInstant(this.seed, this.uuid, i, d);
      if (at !== null && at > t) {
        this.timerDay[i] = d + 1;
        return at;
      }
    }
    return Infinity;
  }

  private line(ms: number, fac: Facility, msg: string): void {
    this.heap.push({ ms, seq: this.seq++, fac, text: `${syslogStamp(ms)} ${this.host} ${msg}\n` });
  }

  // ---- producers: each makes the lines of one run -------------------------------------------

  /**
   * What the run of `job` that started at `start` printed: the same wherever it is read. A family
   * per job, hashed once; each run restarts its two streams (the run's, by its second, and the
   * job's steady one) without seeding from strings on this hot path.
   */
  private jobStreamsOf(job: NonNullable<CronEntry['job']>): JobStreams {
    let s = this.jobStreams.get(job.name);
    if (s === undefined) {
      s = { family: new StreamFamily(this.seed, this.uuid, 'job', job.name), run: aleaFromState(1, 0, 0, 0), steady: aleaFromState(1, 0, 0, 0), length: aleaFromState(1, 0, 0, 0) };
      this.jobStreams.set(job.name, s);
    }
    return s;
  }

  private jobMessage(job: NonNullable<CronEntry['job']>, start: number): string {
    const s = this.jobStreamsOf(job);
    return job.message(s.family.restart(s.run, Math.floor(start / SEC)), s.family.restart(s.steady, 0, 1), { upgradable: this.upgradable(start) });
  }

  /** What `apt list --upgradable` shows at t: the next kernel, once the mirror has it, until it is installed. */
  private upgradable(t: number): number {
    const u = this.boots.at(t).upgrade;
    return t >= u.availMs && t < u.ms ? 1 : 0;
  }

  /**
   * How long a run lasts (its CRON session closes, and a job's line is written, at its end).
   * A job's run takes its length from a stream of the run, so its dated report can say the same
   * second as its own log and auth.log.
   */
  private runLength(e: CronEntry, start: number): number {
    if (e.job?.dump) return this.dumpRunMs(Math.floor((start - SEC) / DAY));
    if (!e.job) return between(this.rng, 0, 20) * SEC;
    const s = this.jobStreamsOf(e.job);
    const r = s.family.restart(s.length, Math.floor(start / SEC), 2);
    return between(r, 0, 20) * SEC + between(r, 1, 30) * SEC;
  }

  private cronRun(e: CronEntry, m: number): void {
    const start = m + SEC;
    const boot = this.boots.at(start);
    if (start < boot.ms + 2 * MIN || this.halted(start)) return; // cron is not up yet, or down
    const pid = freshPid(boot, start);
    this.auditSession(boot, 1); // pam_loginuid in cron's PAM stack
    const dur = this.runLength(e, start);
    // A run the shutdown overtakes is killed with the sessions: it closes then and prints nothing.
    const killed = start + dur >= boot.downMs;
    this.line(start, 'auth', `CRON[${pid}]: pam_unix(cron:session): session opened for user ${e.user}(uid=0) by (uid=0)`);
    this.line(start, 'cron', `CRON[${pid}]: (${e.user}) CMD (${e.command})`);
    if (e.job?.log && !killed) this.line(start + dur, `job:${e.job.name}`, `${e.job.name}: ${this.jobMessage(e.job, start)}`);
    this.line(killed ? boot.downMs + SEC : start + dur, 'auth', `CRON[${pid}]: pam_unix(cron:session): session closed for user ${e.user}`);
  }

  private timerRun(tm: Timer, at: number): void {
    const boot = this.boots.at(at);
    if (at < boot.ms + 5 * MIN || this.halted(at)) return;
    let d = between(this.rng, 1, 40) * SEC;
    if (tm === TIMERS[UPGRADE_TIMER]) {
      const run = this.upgradeRun(at, boot);
      for (const l of run.lines) this.heap.push({ ms: l.ms, seq: this.seq++, fac: l.facility, text: l.text });
      d = Math.ceil(run.lengthMs / SEC) * SEC;
    }
    this.line(at, 'daemon', `systemd[1]: Starting ${tm.unit} - ${tm.description}...`);
    this.line(at + d, 'daemon', `systemd[1]: ${tm.unit}: Deactivated successfully.`);
    this.line(at + d, 'daemon', `systemd[1]: Finished ${tm.unit} - ${tm.description}.`);
  }

  /** unattended-upgrades' run at `at` (a stream per run: the pre-history asks it too). */
  private upgradeRun(at: number, boot: Boot): ReturnType<typeof upgradeRun> {
    // dpkg's database grows by a kernel's files at each install (one a boot).
    return upgradeRun(indexedStream(Math.floor(at / DAY), this.seed, this.uuid, 'upgrades', 'run'), at, boot, this.dbFiles + 4_100 * boot.index);
  }

  /**
   * unattended-upgrades' logs reach back to the first boot (they rotate monthly and keep six,
   * where the syslog family keeps a week): their runs and rotations before `until`, the start of
   * the other producers' history. The lines go straight into the logs, day by day.
   */
  private upgradeHistory(until: number): void {
    const logs = this.logs.filter((l) => l.def.every === 'monthly');
    for (let d = Math.floor(this.firstBootMs / DAY); d * DAY < until; d++) {
      const rot = d * DAY + this.rotateAt + this.rotationSecond(d);
      if (new Date(d * DAY).getUTCDate() === 1 && rot > this.firstBootMs && rot < until) {
        for (const l of logs) {
          l.absorb();
          l.rotate(rot, false);
        }
      }
      const at = timerInstant(this.seed, this.uuid, UPGRADE_TIMER, d);
      if (at === null || at >= until) continue;
      const boot = this.boots.at(at);
      if (at < boot.ms + 5 * MIN || this.halted(at)) continue;
      for (const l of this.upgradeRun(at, boot).lines) for (const f of this.byFacility.get(l.facility)!) f.write(l.text, l.ms);
    }
  }

  private syncRun(at: number): void {
    const boot = this.boots.at(at);
    const pid = boot.pids['systemd-timesyncd'];
    // The configured servers are the decky's two, for good: one does not answer, the other does.
    const k = this.rng() < 0.5 ? 0 : 1;
    const [down, up] = [this.ntp[k]!, this.ntp[1 - k]!];
    this.line(at, 'daemon', `systemd-timesyncd[${pid}]: Timed out waiting for reply from ${down}.`);
    // It gives up on one server after its reply timeout and asks the next at once.
    this.line(at + between(this.rng, 0, 1) * SEC, 'daemon', `systemd-timesyncd[${pid}]: Contacted time server ${up}.`);
  }

  /** The shutdown before the boot at `at` (the boot model schedules it); the first boot has none. */
  private shutdownBefore(at: number): number {
    const prev = this.boots.at(at - 1);
    return prev.ms < at ? prev.downMs : at;
  }

  /** Whether t falls between a boot's shutdown and the next boot (nothing runs then). */
  private halted(t: number): boolean {
    const b = this.boots.at(t);
    return t >= b.downMs;
  }

  /**
   * The end of one boot (made at its shutdown instant) and the start of the next at `at`: the
   * shutdown ends every open SSH session first, so none outlives its boot.
   */
  private bootRun(at: number): void {
    const old = this.boots.at(at - SEC);
    if (old.ms < at) {
      const down = this.shutdownBefore(at);
      this.line(down, 'auth', `systemd-logind[${old.pids['systemd-logind']}]: The system will reboot now!`);
      this.sessions.shutdown(old, down + SEC);
      // systemd stops the units (each logs Stopping, is signalled, and reports its end and what
      // it cost), the database and the web server first, rsyslogd's exit last.
      // What a service's run cost in CPU: `base` to `base + spread` ms an hour of the boot, and `floor` more.
      const consumed = (unit: string, base: number, spread: number, floor: number): void => {
        const ms = Math.floor(((down - old.ms) / HOUR) * (base + this.rng() * spread)) + floor;
        this.line(down + SEC, 'daemon', `systemd[1]: ${unit}: Consumed ${systemdTimespan(ms)} CPU time.`);
      };
      if (this.db !== null) {
        this.line(down, 'daemon', `systemd[1]: Stopping ${MARIADB_UNIT}...`);
        for (const l of this.db.stop(down, mariadbPid(old))) this.line(l.ms, 'daemon', l.text);
        this.line(down + SEC, 'daemon', 'systemd[1]: mariadb.service: Deactivated successfully.');
        this.line(down + SEC, 'daemon', `systemd[1]: Stopped ${MARIADB_UNIT}.`);
        consumed('mariadb.service', 1_500, 6_000, 1_000);
      }
      if (this.web !== null) {
        this.line(down, 'daemon', `systemd[1]: Stopping ${NGINX_UNIT}...`);
        this.line(down + SEC, 'daemon', `systemd[1]: nginx.service: Deactivated successfully.`);
        this.line(down + SEC, 'daemon', `systemd[1]: Stopped ${NGINX_UNIT}.`);
        consumed('nginx.service', 300, 900, 200);
      }
      for (const app of this.apps) {
        const unit = `${app}.service - ${APP_UNITS[app]}`;
        this.line(down, 'daemon', `systemd[1]: Stopping ${unit}...`);
        this.line(down + SEC, 'daemon', `systemd[1]: ${app}.service: Deactivated successfully.`);
        this.line(down + SEC, 'daemon', `systemd[1]: Stopped ${unit}.`);
        consumed(`${app}.service`, 800, 4_000, 300);
      }
      this.line(down, 'daemon', 'systemd[1]: Stopping ssh.service - OpenBSD Secure Shell server...');
      this.line(down + SEC, 'auth', `sshd[${old.pids.sshd}]: Received signal 15; terminating.`);
      this.line(down + SEC, 'daemon', 'systemd[1]: ssh.service: Deactivated successfully.');
      this.line(down + SEC, 'daemon', 'systemd[1]: Stopped ssh.service - OpenBSD Secure Shell server.');
      this.line(down + SEC, 'daemon', `systemd[1]: Stopping cron.service - Regular background program processing daemon...`);
      this.line(down + SEC, 'cron', `cron[${old.pids.cron}]: (CRON) INFO (Shutting down)`);
      this.line(down + SEC, 'daemon', 'systemd[1]: cron.service: Deactivated successfully.');
      this.line(down + SEC, 'daemon', 'systemd[1]: Stopped cron.service - Regular background program processing daemon.');
      this.line(down + 2 * SEC, 'daemon', `rsyslogd[${old.pids.rsyslogd}]: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="${old.pids.rsyslogd}" x-info="https://www.rsyslog.com"] exiting on signal 15.`);
    }
    const boot = this.boots.at(at);
    this.bootLines(boot);
  }

  private bootLines(boot: Boot): void {
    const t0 = boot.ms;
    // The kernel's first lines carry uptime 0 (printed before its clock runs); later ones ascend.
    const k = (s: number, msg: string, micro = between(this.rng, 0, 999_999)): void => this.line(t0 + Math.floor(s) * SEC, 'kern', `kernel: ${uptimeStamp(boot, t0 + s * SEC, micro)} ${msg}`);
    k(0, kernelBanner(boot.kernel), 0);
    k(0, `Command line: BOOT_IMAGE=/boot/vmlinuz-${kernelName(boot.kernel)} root=/dev/vda1 ro quiet`, 0);
    k(1, 'EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.');
    let s = 3;
    for (const u of BOOT_UNITS) {
      const pid = boot.pids[u.daemon];
      s += between(this.rng, 0, 1);
      const at = t0 + s * SEC;
      if (u.notify) this.line(at, 'daemon', `systemd[1]: Starting ${u.unit} - ${u.description}...`);
      this.line(at, 'daemon', `systemd[1]: Started ${u.unit} - ${u.description}.`);
      switch (u.daemon) {
        case 'rsyslogd': this.line(at, 'daemon', `rsyslogd[${pid}]: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="${pid}" x-info="https://www.rsyslog.com"] start`); break;
        case 'cron': this.line(at, 'cron', `cron[${pid}]: (CRON) INFO (pidfile fd = 3)`); this.line(at + SEC, 'cron', `cron[${pid}]: (CRON) INFO (Running @reboot jobs)`); break;
        case 'sshd': this.line(at, 'auth', `sshd[${pid}]: Server listening on 0.0.0.0 port 22.`); this.line(at, 'auth', `sshd[${pid}]: Server listening on :: port 22.`); break;
        case 'systemd-logind': this.line(at, 'auth', `systemd-logind[${pid}]: New seat seat0.`); break;
        case 'systemd-timesyncd': {
          // systemd 252 prints the instant it set, to the microsecond, with its weekday.
          const t = at + 4 * SEC;
          const when = `${WEEKDAYS[new Date(t).getUTCDay()]} ${utcDate(t)} ${new Date(t).toISOString().slice(11, 19)}.${String(between(this.rng, 0, 999_999)).padStart(6, '0')} UTC`;
          this.line(t, 'daemon', `systemd-timesyncd[${pid}]: Initial clock synchronization to ${when}.`);
          break;
        }
        default: break;
      }
    }
    // MariaDB with the other units after network.target: systemd runs its unit's three
    // ExecStartPre commands, then the server; InnoDB finds its log where the last shutdown left
    // it; the unit has started once the server is ready, and /etc/mysql/debian-start (its
    // ExecStartPost) then runs its checks in the background, a logger process per line, while
    // the buffer pool loads.
    if (this.db !== null) {
      const at = t0 + (s + between(this.rng, 0, 2)) * SEC;
      this.line(at - SEC, 'daemon', `systemd[1]: Starting ${MARIADB_UNIT}...`);
      // Processes that fork in between take PIDs from the boot's counter too.
      const forks = (t: number, lo: number, hi: number): void => {
        for (let k = between(this.rng, lo, hi); k > 0; k--) freshPid(boot, t);
      };
      forks(at - SEC, 3, 6);
      const pid = freshPid(boot, at);
      boot.appPids.set('mariadbd', pid);
      const { lines, readyMs } = this.db.start(at, pid, this.shutdownBefore(t0));
      for (const l of lines) this.line(l.ms, 'daemon', l.text);
      this.line(readyMs, 'daemon', `systemd[1]: Started ${MARIADB_UNIT}.`);
      let t = readyMs;
      forks(t, 12, 30);
      for (const msg of ['Upgrading MySQL tables if necessary.', 'Checking for insecure root accounts.', 'Triggering myisam-recover for all MyISAM tables and aria-recover for all Aria tables']) {
        this.line(t, 'daemon', `/etc/mysql/debian-start[${freshPid(boot, t)}]: ${msg}`);
        // The script's subshells and the clients it runs take PIDs between its logger's.
        forks(t, 2, 12);
        t += between(this.rng, 0, 1) * SEC;
      }
      const loaded = this.db.loaded(readyMs + between(this.rng, 0, 2) * SEC, pid);
      this.line(loaded.ms, 'daemon', loaded.text);
    }
    // nginx once the network is up (its master forks two workers), serving from its Started line.
    if (this.web !== null) {
      const up = t0 + nginxUpMs(boot);
      this.line(up - SEC, 'daemon', `systemd[1]: Starting ${NGINX_UNIT}...`);
      this.line(up, 'daemon', `systemd[1]: Started ${NGINX_UNIT}.`);
    }
    // The applications' units come last (After=network-online.target), within APP_UP_MS.
    for (const app of this.apps) {
      s += between(this.rng, 0, 1);
      this.line(t0 + s * SEC, 'daemon', `systemd[1]: Started ${app}.service - ${APP_UNITS[app]}.`);
    }
  }

  /** An application's PID at t: its daemon's for the boot then running, null while it is not running. */
  appPidAt(app: string, t: number): number | null {
    const boot = this.boots.at(t);
    return t < boot.ms + APP_UP_MS || t >= boot.downMs ? null : appPid(boot, app);
  }

  /**
   * Connections from peers whose tick is at or before t join the producers (every earlier one
   * was taken when the machine was made up to an earlier instant, so none lies before what is
   * made): a probe at the instant sshd logs it, a typed session's login there.
   */
  private takeInbound(t: number): void {
    for (const p of this.inbox!.take(t)) {
      this.insertStep({ ms: p.lineMs, kind: p.login === null ? 'probe' : 'login', p, key: p.login === null ? '' : `${p.login}\u0000${p.address}:${p.port}` });
    }
  }

  private insertStep(step: HopStep): void {
    const h = this.inboundSteps;
    let i = h.length;
    while (i > this.inboundNext && h[i - 1]!.ms > step.ms) i--;
    h.splice(i, 0, step);
    if (step.ms < this.nextRunMs) this.nextRunMs = step.ms;
  }

  private inboundRun(step: HopStep): void {
    if (step.kind === 'probe') this.probeRun(step.p);
    else if (step.kind === 'login') this.hopLogin(step);
    else this.hopLogout(step);
  }

  /** Make every run that starts at or before t, then hand the lines due by t to their logs. */
  advanceTo(t: number): void {
    if (t > this.madeTo && this.inbox !== null) this.takeInbound(t);
    if (t > this.madeTo && t >= this.nextRunMs) {
      for (;;) {
        // A boot's producer runs at the old boot's shutdown, before anything else of that instant.
        let next = this.shutdownBefore(this.nextBoot);
        let which = -3;
        if (this.nextSync < next) { next = this.nextSync; which = -2; }
        for (let i = 0; i < this.cronNext.length; i++) if (this.cronNext[i]! < next) { next = this.cronNext[i]!; which = i; }
        for (let i = 0; i < this.timerNext.length; i++) if (this.timerNext[i]! < next) { next = this.timerNext[i]!; which = 100 + i; }
        const past = this.past[this.pastNext];
        if (past !== undefined && past.ms < next) { next = past.ms; which = -4; }
        const inbound = this.inboundSteps[this.inboundNext];
        if (inbound !== undefined && inbound.ms < next) { next = inbound.ms; which = -5; }
        if (this.web !== null && this.web.nextMs() < next) { next = this.web.nextMs(); which = -6; }
        if (next > t) {
          this.nextRunMs = next;
          break;
        }
        if (which === -6) {
          this.web!.run(this.webHost, this.webOut);
        } else if (which === -5) {
          this.inboundNext++;
          // Steps run are not held (with their probes).
          const rest = untaken(this.inboundSteps, this.inboundNext);
          if (rest !== null) {
            this.inboundSteps = rest;
            this.inboundNext = 0;
          }
          this.inboundRun(inbound!);
        } else if (which === -4) {
          this.pastNext++;
          const rest = untaken(this.past, this.pastNext);
          if (rest !== null) {
            this.past = rest;
            this.pastNext = 0;
          }
          this.pastRun(past!);
        } else if (which === -3) {
          this.bootRun(this.nextBoot);
          this.nextBoot = this.boots.nextBootAfter(this.nextBoot);
        } else if (which === -2) {
          this.syncRun(next);
          this.nextSync = next + Math.max(HOUR, exponential(this.rng, 2 * 86_400) * SEC);
        } else if (which >= 100) {
          const i = which - 100;
          this.timerRun(TIMERS[i]!, next);
          this.timerNext[i] = this.timerAfter(i, next);
        } else {
          const e = this.crontab.entries[which]!;
          this.cronRun(e, next);
          this.cronNext[which] = nextFire(e, next);
        }
      }
    }
    // Made up to t whether or not a producer ran (so nothing depends on how often advanceTo runs,
    // which inbound connections change).
    if (t > this.madeTo) {
      this.madeTo = t;
      if (this.inbox !== null) forgetBefore(this.boots.at(t), t); // inbound PIDs ahead lie after t
    }
    while (this.heap.size > 0 && this.heap.top().ms <= t) {
      const l = this.heap.pop();
      const to = this.byFacility.get(l.fac);
      if (to) for (const f of to) f.write(l.text, l.ms);
    }
  }

  /**
   * The pre-history: crontabs and job scripts, then the logs as a week of the machine's life
   * left them (rotated by logrotate along the way), all before `startMs`.
   */
  history(startMs: number): FileOp[] {
    const ops: FileOp[] = [];
    const boot = this.boots.at(startMs);
    const planted = Math.max(this.madeTo + 1, boot.ms) - DAY;
    for (const f of this.crontab.files) {
      ops.push({ action: 'file:create', job: 'history', cls: f.path.startsWith('/etc/') ? 'sys_config' : 'sys_script', path: f.path, owner: 'root', mode: f.mode, mtimeMs: planted - between(this.rng, 3600, 400 * 3600) * SEC, body: f.body });
    }
    this.upgradeHistory(this.historyFrom);
    while (this.nextRotation < startMs) {
      this.advanceTo(this.nextRotation);
      this.rotateAll(this.nextRotation, false);
    }
    this.advanceTo(startMs - SEC);
    forgetBefore(boot, startMs - SEC);
    for (const l of this.logs) {
      l.absorb();
      if (l.bytes === 0 && l.rotated === 0) l.mtimeMs = Math.max(planted, 0);
      ops.push(...l.plant());
    }
    return ops;
  }

  private rotateAll(at: number, emit: boolean): FileOp[] {
    const ops: FileOp[] = [];
    // logrotate runs as a systemd service; its start is logged before the files move.
    this.line(at, 'daemon', 'systemd[1]: Starting logrotate.service - Rotate log files...');
    // rsyslog's postrotate script sends it SIGHUP: it reopens its files and says so in the new one.
    const rs = this.boots.at(at).pids.rsyslogd;
    this.line(at + SEC, 'daemon', `rsyslogd[${rs}]: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="${rs}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`);
    this.line(at + SEC, 'daemon', 'systemd[1]: logrotate.service: Deactivated successfully.');
    this.line(at + SEC, 'daemon', 'systemd[1]: Finished logrotate.service - Rotate log files.');
    this.advanceTo(at);
    const day = new Date(at);
    for (const l of this.logs) {
      if (l.def.every === 'weekly' && day.getUTCDay() !== 0) continue;
      if (l.def.every === 'monthly' && day.getUTCDate() !== 1) continue;
      if (emit) {
        const f = l.flush(l.def.writer);
        if (f) ops.push(f);
      } else l.absorb();
      ops.push(...l.rotate(at, emit));
    }
    this.nextRotation = this.rotationAfter(at);
    return ops;
  }

  // ---- people: the homes model says when someone logs in, runs sudo, logs out ---------------

  /**
   * The earliest instant a person's lines may carry now: no log that takes them holds a later
   * line, no process has started later (PIDs follow time), and `login`'s last session is over.
   * It may lie before the producers' own instant: such lines still go out in time order.
   */
  sessionFloor(login: string): number {
    let floor = this.sessions.lastEnd(login);
    for (const fac of ['auth', 'daemon'] as const) for (const l of this.byFacility.get(fac) ?? []) if (l.pendingLastMs > floor) floor = l.pendingLastMs;
    const boot = this.boots.at(Math.max(this.madeTo, 0));
    return Math.max(floor, boot.pidAtMs, boot.ms + 2 * MIN);
  }

  /**
   * The sessions people had in the days the pre-history's logs cover: given before history(),
   * they are produced in time order with every other producer.
   */
  planPast(sessions: readonly PastSession[]): void {
    const steps: PastSessionStep[] = [];
    for (const s of sessions) {
      steps.push({ ms: s.startMs, kind: 'login', s });
      for (const x of s.sudo) steps.push({ ms: x.ms, kind: 'sudo', s, cmd: x.cmd });
      steps.push({ ms: s.endMs, kind: 'logout', s });
    }
    const rank = { login: 0, sudo: 1, logout: 2 } as const;
    this.past = steps.sort((a, b) => a.ms - b.ms || rank[a.kind] - rank[b.kind] || (a.s.login < b.s.login ? -1 : a.s.login > b.s.login ? 1 : 0));
    this.pastNext = 0;
  }

  private pastRun(p: PastSessionStep): void {
    const boot = this.boots.at(p.ms);
    if (p.ms < boot.ms + 2 * MIN || this.halted(p.ms)) return; // sshd is not up yet, or down
    if (p.kind === 'login') this.sessions.login(boot, p.ms, p.s.login, p.s.uid, p.s.from, this.auditSession(boot, 2));
    else if (p.kind === 'sudo') this.sessions.sudo(p.ms, p.s.login, p.s.cwd, p.cmd!);
    else this.sessions.logout(boot, p.ms, p.s.login);
  }

  /** When `login`'s last SSH session ended, by logout or shutdown (-Infinity before any). */
  lastSessionEnd(login: string): number {
    return this.sessions.lastEnd(login);
  }

  /** Whether `login` has an SSH session open now. */
  loggedIn(login: string): boolean {
    return this.sessions.isOpen(login);
  }

  /**
   * `login` (uid) logs in over SSH from `from` a few minutes before `at` (when they are first
   * seen at work), no earlier than sessionFloor(); returns the instant used.
   */
  login(at: number, login: string, uid: number, from: LoginSource): number {
    const lead = between(this.sessions.rng, 30, 900) * SEC;
    let t = Math.floor(Math.min(at, Math.max(at - lead, this.sessionFloor(login))) / SEC) * SEC;
    // The machine first lives up to the login (a shutdown before it ends the sessions then open).
    this.advanceTo(t);
    // A boot whose shutdown the machine has already made takes no more logins (the shutdown
    // would not end them): the person logs in once sshd is up again, if that is still before `at`.
    const b = this.boots.at(t);
    if (b.downMs <= this.madeTo) {
      const after = b.endMs + 2 * MIN;
      if (after > at) return t;
      t = Math.ceil(after / SEC) * SEC;
    }
    if (this.halted(t)) return t; // the machine is going down: sshd takes no login
    const boot = this.boots.at(t);
    this.sessions.login(boot, t, login, uid, from, this.auditSession(boot, 2));
    return t;
  }

  /** `login` runs `command` with sudo in `cwd` at `at`. */
  sudo(at: number, login: string, cwd: string, command: string): void {
    const t = Math.max(at, this.sessionFloor(login) + SEC, this.sessions.openedAt(login) + SEC);
    this.advanceTo(t);
    if (this.halted(t)) return;
    this.sessions.sudo(t, login, cwd, command);
  }

  /** `login` logs out at `at`, which the caller took no earlier than sessionFloor(). */
  logout(at: number, login: string): void {
    // A shutdown before `at` has ended the session already (then this logs nothing).
    this.advanceTo(at);
    this.sessions.logout(this.boots.at(at), at, login);
  }

  /** When the machine next acts on its own files (logrotate, a cleanup job). */
  nextDue(): number {
    let n = this.nextRotation;
    if (this.nextWrite < n) n = this.nextWrite;
    for (const s of this.sweepNext) if (s < n) n = s;
    return n;
  }

  /** The machine's own file operations at nextDue(). */
  runDue(): { at: number; ops: FileOp[] } {
    const at = this.nextDue();
    if (at === this.nextRotation) {
      this.advanceTo(at);
      return { at, ops: this.rotateAll(at, true) };
    }
    if (at === this.nextWrite) {
      this.advanceTo(at);
      const ops: FileOp[] = [];
      for (const l of this.logs) {
        const f = l.flush(l.def.writer);
        if (f) ops.push(f);
      }
      this.nextWrite += WRITE_OUT_EVERY;
      return { at, ops };
    }

    const i = this.sweepNext.indexOf(at);
    const days = this.sweeps[i]!.job!.deletesTmpOlderThanDays!;
    const ops: FileOp[] = [];
    // find -mtime +N: whole days of age greater than N.
    while (this.tmp.length > 0 && Math.floor((at - this.tmp[0]!.mtimeMs) / DAY) > days) {
      const f = this.tmp.shift()!;
      ops.push({ action: 'file:delete', job: 'cron', cls: f.cls, path: f.path });
    }
    this.sweepNext[i] = nextFire(this.sweeps[i]!, at) + SEC;
    return { at, ops };
  }

  /** How long the dump run of UTC day `day` takes (a pure draw: the lure's mtime asks it too). */
  private dumpRunMs(day: number): number {
    return between(indexedStream(day, this.seed, this.uuid, 'crontab', 'dump'), DUMP_RUN_SECONDS[0], DUMP_RUN_SECONDS[1]) * SEC;
  }

  /**
   * The end of the latest nightly dump run that ended at least `minAgeMs` before t (the instant
   * its `session closed` line carries, and the mtime of a dump it left in /var/backups), or null
   * when the decky runs no dump job. A night cron was not up for (a boot) has no run.
   */
  dumpEnd(t: number, minAgeMs: number): number | null {
    if (this.dump === null) return null;
    const e = this.dump.entry;
    for (let day = Math.floor((t - minAgeMs) / DAY), guard = 0; guard < 8; day--, guard++) {
      const start = day * DAY + e.hours[0]! * HOUR + e.minutes[0]! * MIN + SEC;
      const end = start + this.dumpRunMs(day);
      if (end > t - minAgeMs) continue;
      if (start < this.boots.at(start).ms + 2 * MIN) continue;
      return end;
    }
    return null;
  }

  /** Where a dump run of `date` (YYYY-MM-DD, UTC) leaves its dumps, in an order drawn by `r`. */
  dumpPlacements(r: Rng, date: string): string[] {
    if (this.dump === null) return [];
    const job = this.dump.job;
    const dbs = [...job.databases];
    if (dbs.length > 1 && r() < 0.5) dbs.reverse();
    return dbs.map((db) => dumpPath(job, db, date));
  }

  /** A file the planner made in /tmp (the cleanup job will find it). */
  addTmp(path: string, mtimeMs: number, cls: ContentClass): void {
    this.tmp.push({ path, mtimeMs, cls });
  }

  /** Logs holding lines not written out yet at t (after making the runs due by t). */
  pendingLogs(t: number): LogFile[] {
    this.advanceTo(t);
    const out: LogFile[] = [];
    for (const l of this.logs) if (l.pending !== '' && l.exists) out.push(l);
    return out;
  }

  /**
   * A job's report of one of its runs in the last day (kept when a run finds something worth a
   * look), named by the run's date and time: that run's line as the job's log has it, or null
   * when every recent run has its report already.
   */
  datedReport(t: number, r: Rng, used: { has(path: string): boolean }): { job: string; path: string; body: string; lastMs: number } | null {
    const jobs = this.crontab.entries.filter((e) => e.job?.log);
    if (jobs.length === 0) return null;
    const first = Math.floor(r() * jobs.length);
    for (let i = 0; i < jobs.length; i++) {
      const e = jobs[(first + i) % jobs.length]!;
      const job = e.job!;
      const log = this.logs.find((l) => l.def.path === job.log);
      // The newest run of the day that has ended, was not cut short by a shutdown, and whose line
      // the job's log already shows (the script appends the same line there); earlier runs of the
      // day stand in for one still going or not yet written out.
      let ran = this.lastRunBefore(e, t);
      let ms = 0;
      let ok = false;
      for (let back = 0; ran !== null && back < 48 && !ok; back++) {
        ms = ran + this.runLength(e, ran);
        ok = ms <= t && ms < this.boots.at(ran).downMs && (log === undefined || log.mtimeMs >= ms);
        if (!ok) {
          const prev = this.lastRunBefore(e, ran - SEC);
          ran = prev !== null && prev > t - DAY ? prev : null;
        }
      }
      if (!ok || ran === null || ran < this.boots.at(ran).ms + 2 * MIN) continue;
      const iso = new Date(ran).toISOString();
      const path = `/var/log/cron-jobs/${job.name}-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}.log`;
      if (used.has(path)) continue;
      // The run's own line, as its log has it (message and length are the run's, not drawn again).
      return { job: job.name, path, body: `${syslogStamp(ms)} ${this.host} ${job.name}: ${this.jobMessage(job, ran)}\n`, lastMs: ms };
    }
    return null;
  }

  /** The start (CRON line time) of an entry's last run at or before t within a day, or null. */
  private lastRunBefore(e: CronEntry, t: number): number | null {
    let m = nextFire(e, t - DAY);
    let last: number | null = null;
    while (m + SEC <= t) {
      last = m + SEC;
      m = nextFire(e, m);
    }
    return last;
  }
}
