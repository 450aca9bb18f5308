// Invariants of the machine model (issue 12), checked while the log lines stream past:
//   17 logs live and rotate: each main log's newest line within a day of the end, the live file
//      newer than `.1`, `.1` newer than `.2.gz` and so on; an application's log without a date
//      in its name does not stop more than a day before the newest line of its directory;
//   18 one PID per long-running daemon per boot (a boot is a kernel `Linux version` line), and
//      cron jobs' PIDs increase within a boot;
//   19 cron lines come from the planted crontab at its minutes, and every command it names is a
//      planted script or a standard tool; a database dump lure is a dump the decky's nightly dump
//      job leaves: the decky has the job, the dump's database is one the job's script dumps, its
//      name carries the run's date, and its mtime is the end of that run (the job's minute, plus
//      a run's length);
//   20 each log holds only what its producers write (an application's logs, under
//      /var/log/<app>/, only that application's lines; nginx's logs only nginx's lines in its
//      access and error formats, on a decky that serves the web, every 504 in access.log with
//      error.log's upstream timeout at that second);
//   25 a boot of a machine that was already running (older lines in its logs) follows its
//      shutdown (logind's reboot line in auth.log, minutes before) and unattended-upgrades'
//      "rebooting" after a kernel install (within 30 hours before), and runs a newer kernel
//      than the boot before it;
//   27 MariaDB only where it runs (a decky that serves the database, or whose nightly job dumps
//      a local one), its own stamps its lines' seconds, and its redo log continuous: each start
//      at the sequence number the shutdown before it left.
// Memory: a few numbers per decky and daemon, the crontab entries; never the lines.
import { DUMP_RUN_SECONDS, DUMP_SCRIPT, STANDARD_TOOLS } from '../machine/crontab.js';
import { MAIN_LOGS } from '../machine/logs.js';
import { UPGRADES_LOG } from '../machine/upgrades.js';
import { ACCESS_LINE, ERROR_LINE, NGINX_ACCESS_LOG, NGINX_ERROR_LOG } from '../machine/webserver.js';

export type Report = (invariant: number, decky: string, path: string | null, reason: string, eventId?: string | null) => void;

interface Entry {
  minutes: number[] | null;
  hours: number[] | null;
  dom: number | null;
  dow: number | null;
  command: string;
}

interface DeckyMachine {
  name: string;
  entries: Entry[];
  /** Boots seen in the live syslog with their kernel's ABI; shutdowns; unattended-upgrades' reboots. */
  boots: Array<{ ms: number; abi: number }>;
  shutdowns: number[];
  rebootWarnings: number[];
  /** The oldest line seen in any of its logs. */
  earliest: number;
  /**
   * Daemon -> PID -> the spans it was seen in ([first, last]; lines within RUN_GAP of a span join
   * it). A PID may come back in a later boot (early-boot PIDs repeat), so one span per PID would
   * cover the boots between.
   */
  daemons: Map<string, Map<number, Array<[number, number]>>>;
  lastCronPid: number;
  /** Newest line per main log family. */
  newest: Map<string, number>;
  planted: Set<string>;
  /** Applications' logs (/var/log/<app>/): newest line per directory and per undated file. */
  appNewest: Map<string, number>;
  undatedNewest: Map<string, { dir: string; newest: number }>;
  /** Commands the crontabs run (checked at the end: scripts are planted after the crontab). */
  commands: Array<{ cmd: string; path: string; eventId: string }>;
  /** The dump job's script: its output directory and the databases it dumps. */
  dump: { dir: string; databases: string[] } | null;
  /** Dump lures, checked at the end against the crontab and the script. */
  dumps: Array<{ path: string; mtimeMs: number; eventId: string }>;
  /** nginx: the upstream timeouts error.log has and the 504s access.log has (instant, client, request), paired at the end. */
  timeouts: Set<string>;
  gatewayTimeouts: Array<{ key: string; eventId: string }>;
  /** MariaDB: the first of its lines (checked against the decky's services at the end), and where its redo log stands. */
  database: { path: string; eventId: string } | null;
  lsn: number | null;
}

const DAEMON_TAGS = new Set(['cron', 'rsyslogd', 'systemd-logind', 'systemd-timesyncd', 'dbus-daemon', 'mariadbd']);
const PRODUCERS: Record<string, RegExp> = {
  '/var/log/auth.log': /^(CRON|sshd|systemd-logind|sudo)(\[\d+\])?:$/,
  '/var/log/cron.log': /^(CRON|cron)\[\d+\]:$/,
  '/var/log/daemon.log': /^(systemd|systemd-timesyncd|rsyslogd|dbus-daemon|mariadbd|\/etc\/mysql\/debian-start)\[\d+\]:$/,
  '/var/log/syslog': /^(?!(sshd|sudo|systemd-logind)\[)\S+$/,
};
const DAY = 86_400_000;
/** An application's log: /var/log/<app>/<name>.log (the machine's own directories aside). */
const APP_LOG = /^\/var\/log\/(?!cron-jobs\/|apt\/|installer\/|journal\/|unattended-upgrades\/|nginx\/)([a-z][a-z0-9_-]*)\/([^/]+\.log)$/;

// A crontab time field: null for a star, the values of a star-slash step below `max`, or the list.
function field(s: string, max = 60): number[] | null {
  if (s === '*') return null;
  const step = /^\*\/(\d+)$/.exec(s);
  if (step) return Array.from({ length: Math.ceil(max / Number(step[1])) }, (_, k) => k * Number(step[1]));
  return s.split(',').map(Number);
}

/** The main log a path belongs to (live or rotated), or null. */
export function mainLogOf(path: string): string | null {
  for (const d of MAIN_LOGS) if (path === d.path || path.startsWith(`${d.path}.`)) return d.path;
  return null;
}

/**
 * Lines of a daemon's PID this close to one of its spans join it: far shorter than any boot, so a
 * span never reaches across a boot into the next but one.
 */
const RUN_GAP = 10 * 60_000;

export class MachineChecker {
  private readonly deckies = new Map<string, DeckyMachine>();

  private decky(uuid: string, name: string): DeckyMachine {
    let d = this.deckies.get(uuid);
    if (!d) this.deckies.set(uuid, (d = { name, entries: [], boots: [], shutdowns: [], rebootWarnings: [], earliest: Infinity, daemons: new Map(), lastCronPid: -1, newest: new Map(), appNewest: new Map(), undatedNewest: new Map(), planted: new Set(), commands: [], dump: null, dumps: [], timeouts: new Set(), gatewayTimeouts: [], database: null, lsn: null }));
    return d;
  }

  /** A crontab file planted or changed: its entries replace nothing (files only add entries). */
  crontab(uuid: string, name: string, path: string, body: string, report: Report, eventId: string): void {
    const d = this.decky(uuid, name);
    for (const row of body.split('\n')) {
      if (row.trim() === '' || row.startsWith('#') || /^[A-Z_]+=/.test(row)) continue;
      const m = /^(\S+)\s+(\S+)\s+(\S+)\s+\S+\s+(\S+)\s+(\S+)\s+(.+)$/.exec(row);
      if (!m) {
        report(19, name, path, `crontab line is not "m h dom mon dow user command": ${JSON.stringify(row.slice(0, 60))}`, eventId);
        continue;
      }
      const e: Entry = { minutes: field(m[1]!), hours: field(m[2]!, 24), dom: field(m[3]!)?.[0] ?? null, dow: field(m[4]!)?.[0] ?? null, command: m[6]! };
      d.entries.push(e);
      const cmd = e.command.split(' ')[0]!;
      if (!STANDARD_TOOLS.includes(cmd)) d.commands.push({ cmd, path, eventId });
    }
  }

  /** The dump job's script planted: where it writes (`out=<dir>/$db-$day.sql`) and what it dumps. */
  dumpScript(uuid: string, name: string, body: string): void {
    const dbs = /^for db in ([a-z0-9_ ]+); do$/m.exec(body);
    const out = /^\s*out=(\/\S+)\/\$db-\$day\.sql$/m.exec(body);
    this.decky(uuid, name).dump = dbs && out ? { dir: out[1]!, databases: dbs[1]!.trim().split(/\s+/) } : null;
  }

  /** A database dump lure (checked at the end, when the crontab and script are known). */
  dumpLure(uuid: string, name: string, path: string, mtimeMs: number, eventId: string): void {
    this.decky(uuid, name).dumps.push({ path, mtimeMs, eventId });
  }

  private checkDump(d: DeckyMachine, x: { path: string; mtimeMs: number; eventId: string }, report: Report): void {
    const entry = d.entries.find((e) => e.command === DUMP_SCRIPT);
    if (!entry || !d.dump) {
      report(19, d.name, x.path, 'a database dump on a decky whose crontab runs no dump job', x.eventId);
      return;
    }
    const m = /^(\/.+)\/([a-z0-9_]+)-(\d{4}-\d{2}-\d{2})\.sql$/.exec(x.path);
    if (!m || m[1] !== d.dump.dir || !d.dump.databases.includes(m[2]!)) {
      report(19, d.name, x.path, `the dump job writes ${d.dump.dir}/<${d.dump.databases.join('|')}>-<date>.sql, not this file`, x.eventId);
      return;
    }
    // The run of that date: cron starts it a second into its minute; it lasts a bounded time.
    const day = Date.parse(`${m[3]}T00:00:00Z`);
    const ok = (entry.hours ?? []).some((h) => (entry.minutes ?? []).some((min) => {
      const start = day + h * 3_600_000 + min * 60_000 + 1000;
      return x.mtimeMs >= start + DUMP_RUN_SECONDS[0] * 1000 && x.mtimeMs < start + (DUMP_RUN_SECONDS[1] + 1) * 1000;
    }));
    if (!ok) report(19, d.name, x.path, `the dump's mtime ${new Date(x.mtimeMs).toISOString()} is not the end of a run of the dump job on ${m[3]}`, x.eventId);
  }

  /** A main log planted by the machine (the rotation and liveness rules apply to it). */
  planted(uuid: string, name: string, path: string): void {
    const log = mainLogOf(path);
    if (log) this.decky(uuid, name).planted.add(log);
  }

  /**
   * A new line of nginx's logs (live or rotated): its own formats only. A 504 is nginx giving up
   * on the upstream, which error.log records at the same second for the same client and request
   * (paired at the end: the two logs are written out in either order).
   */
  private nginxLine(d: DeckyMachine, path: string, ms: number, line: string, report: Report, eventId: string): void {
    if (path.startsWith(NGINX_ACCESS_LOG)) {
      const m = ACCESS_LINE.exec(line);
      if (!m) return report(20, d.name, path, `not a line of nginx's access log: ${JSON.stringify(line.slice(0, 80))}`, eventId);
      if (m[12] === '504') d.gatewayTimeouts.push({ key: `${ms} ${m[1]} ${m[9]} ${m[10]}`, eventId });
    } else if (path.startsWith(NGINX_ERROR_LOG)) {
      const m = ERROR_LINE.exec(line);
      if (!m) return report(20, d.name, path, `not a line of nginx's error log: ${JSON.stringify(line.slice(0, 80))}`, eventId);
      const t = /, client: (\S+), server: \S+, request: "(\S+) (\S+) HTTP\/1\.[01]"/.exec(line);
      if (t && line.includes(' upstream timed out ')) d.timeouts.add(`${ms} ${t[1]} ${t[2]} ${t[3]}`);
    } else report(20, d.name, path, 'nginx writes only access.log and error.log', eventId);
  }

  /**
   * A line of MariaDB or its start script in syslog: the server's own stamp is the line's second,
   * and InnoDB's redo log never goes back; each start finds it exactly where the shutdown before
   * left it (a clean shutdown writes nothing after its last number).
   */
  private databaseLine(d: DeckyMachine, path: string, ms: number, line: string, report: Report, eventId: string): void {
    const tag = / (mariadbd|\/etc\/mysql\/debian-start)\[\d+\]: (.*)$/.exec(line);
    if (!tag) return;
    d.database ??= { path, eventId };
    if (tag[1] !== 'mariadbd') return;
    const own = /^(\d{4}-\d{2}-\d{2}) ([ \d]\d):(\d{2}):(\d{2}) 0 \[/.exec(tag[2]!);
    if (own && Date.parse(`${own[1]}T${own[2]!.trim().padStart(2, '0')}:${own[3]}:${own[4]}Z`) !== ms) report(27, d.name, path, `mariadbd's own stamp is not the line's time: ${JSON.stringify(line.slice(0, 80))}`, eventId);
    const start = /InnoDB: End of log at LSN=(\d+)$/.exec(tag[2]!);
    const stop = /InnoDB: Shutdown completed; log sequence number (\d+);/.exec(tag[2]!);
    if (start) {
      const lsn = Number(start[1]);
      if (d.lsn !== null && lsn !== d.lsn) report(27, d.name, path, `InnoDB starts at LSN ${lsn}, but the shutdown before it left the log at ${d.lsn}`, eventId);
      d.lsn = lsn;
    } else if (stop) {
      const lsn = Number(stop[1]);
      if (d.lsn !== null && lsn < d.lsn) report(27, d.name, path, `InnoDB shuts down at LSN ${lsn}, behind the ${d.lsn} it started at`, eventId);
      d.lsn = lsn;
    }
  }

  /** One new line of a log. */
  line(uuid: string, name: string, path: string, ms: number, line: string, report: Report, eventId: string): void {
    const d = this.decky(uuid, name);
    if (ms < d.earliest) d.earliest = ms;
    if (path.startsWith('/var/log/nginx/')) return this.nginxLine(d, path, ms, line, report, eventId);
    if ((path === UPGRADES_LOG || path === `${UPGRADES_LOG}.1`) && line.endsWith(' WARNING Found /var/run/reboot-required, rebooting')) d.rebootWarnings.push(ms);
    const rest = line.slice(16);
    const sp = rest.indexOf(' ');
    const tag = rest.slice(sp + 1, rest.indexOf(' ', sp + 1));
    const log = mainLogOf(path);
    if (log !== null && path === log) {
      d.newest.set(log, Math.max(d.newest.get(log) ?? -Infinity, ms));
      const rule = PRODUCERS[log];
      if (rule && !rule.test(tag)) report(20, name, path, `${tag} does not write to ${log}: ${JSON.stringify(line.slice(0, 80))}`, eventId);
    }
    const job = /^\/var\/log\/cron-jobs\/([a-z-]+?)(-\d{4}-\d{2}-\d{2}-\d{4})?\.log$/.exec(path);
    if (job && tag !== `${job[1]}:`) report(20, name, path, `a line of ${tag} in ${job[1]}'s own log`, eventId);
    const app = log === null && !job ? APP_LOG.exec(path) : null;
    if (app) {
      const dir = app[1]!;
      if (!tag.startsWith(`${dir}[`) || !/^[a-z-]+\[\d+\]:$/.test(tag)) report(20, name, path, `a line of ${tag} in ${dir}'s own log`, eventId);
      d.appNewest.set(dir, Math.max(d.appNewest.get(dir) ?? -Infinity, ms));
      if (!/\d{4}-\d{2}-\d{2}/.test(app[2]!)) d.undatedNewest.set(path, { dir, newest: Math.max(d.undatedNewest.get(path)?.newest ?? -Infinity, ms) });
    }
    if (log !== path) return; // rotated copies repeat lines already seen
    if (/ kernel: \[\s*0\.\d+\] Linux version /.test(line)) {
      d.boots.push({ ms, abi: Number(/ Linux version 6\.1\.0-(\d+)-/.exec(line)?.[1] ?? NaN) });
    }
    const pm = /^([a-z-]+)\[(\d+)\]:$/.exec(tag);
    if (pm && DAEMON_TAGS.has(pm[1]!)) {
      let pids = d.daemons.get(pm[1]!);
      if (!pids) d.daemons.set(pm[1]!, (pids = new Map()));
      const pid = Number(pm[2]);
      let spans = pids.get(pid);
      if (!spans) pids.set(pid, (spans = []));
      // Lines of one log come in time order, those of different logs interleave: join the span
      // the line falls in or near, else start one.
      const within = (sp: [number, number]): boolean => ms >= sp[0] - RUN_GAP && ms <= sp[1] + RUN_GAP;
      const tail = spans[spans.length - 1];
      const near = tail && within(tail) ? tail : spans.find(within);
      if (near) {
        near[0] = Math.min(near[0], ms);
        near[1] = Math.max(near[1], ms);
      } else spans.push([ms, ms]);
    }
    if (log === '/var/log/syslog') this.databaseLine(d, path, ms, line, report, eventId);
    if (log === '/var/log/auth.log' && line.endsWith(' The system will reboot now!')) d.shutdowns.push(ms);
    if (log === '/var/log/auth.log') {
      if (/ sshd\[\d+\]: Server listening on 0\.0\.0\.0/.test(line)) d.lastCronPid = -1; // a new boot
      const c = / CRON\[(\d+)\]: pam_unix\(cron:session\): session opened/.exec(line);
      if (c) {
        const pid = Number(c[1]);
        if (pid <= d.lastCronPid) report(18, name, path, `cron job PID ${pid} is not above the previous job's ${d.lastCronPid} in the same boot`, eventId);
        d.lastCronPid = pid;
      }
    }
    if (log === '/var/log/cron.log') {
      const m = / CRON\[\d+\]: \((\S+)\) CMD \((.+)\)$/.exec(line);
      if (m) {
        const t = new Date(ms);
        const fires = d.entries.some((e) => e.command === m[2] && (e.minutes === null || e.minutes.includes(t.getUTCMinutes())) && (e.hours === null || e.hours.includes(t.getUTCHours())) && (e.dom === null || e.dom === t.getUTCDate()) && (e.dow === null || e.dow % 7 === t.getUTCDay()));
        if (!fires) report(19, name, path, `no crontab entry runs ${JSON.stringify(m[2]!.slice(0, 60))} at ${line.slice(7, 12)}`, eventId);
      }
    }
  }

  private checkReboots(d: DeckyMachine, report: Report): void {
    const boots = [...d.boots].sort((a, b) => a.ms - b.ms);
    for (let i = 0; i < boots.length; i++) {
      const b = boots[i]!;
      const at = new Date(b.ms).toISOString();
      if (i > 0 && !(b.abi > boots[i - 1]!.abi)) report(25, d.name, '/var/log/syslog', `the boot at ${at} runs kernel ABI ${b.abi}, not newer than the previous boot's ${boots[i - 1]!.abi}`);
      if (d.earliest >= b.ms - 5 * 60_000) continue; // the machine's first boot: nothing ran before it
      if (!d.shutdowns.some((s) => s < b.ms && s >= b.ms - 180_000)) report(25, d.name, '/var/log/auth.log', `the boot at ${at} follows no shutdown (logind's reboot line in the minutes before)`);
      if (!d.rebootWarnings.some((s) => s < b.ms && s >= b.ms - 30 * 3_600_000)) report(25, d.name, UPGRADES_LOG, `the boot at ${at} follows no kernel install that asked for a reboot`);
    }
  }

  /**
   * At the end: PIDs per boot, and per decky and main log the rotation order and liveness, from
   * the final mtimes (`mtimeOf(uuid, path)`, undefined when the path is gone).
   */
  finish(endMs: number, mtimeOf: (uuid: string, path: string) => number | undefined, report: Report, servicesOf: (uuid: string) => readonly string[] | undefined = () => undefined): void {
    for (const [uuid, d] of this.deckies) {
      const services = servicesOf(uuid);
      if (d.database !== null && services !== undefined && !services.includes('mysql') && !d.entries.some((e) => e.command === DUMP_SCRIPT)) report(27, d.name, d.database.path, `MariaDB's lines on a decky with no database (services ${services.join(', ')}, no nightly dump job)`, d.database.eventId);
      for (const c of d.commands) if (!c.cmd.startsWith('/') || mtimeOf(uuid, c.cmd) === undefined) report(19, d.name, c.path, `the crontab runs ${c.cmd}, which is neither planted on the decky nor a standard tool`, c.eventId);
      for (const x of d.dumps) this.checkDump(d, x, report);
      for (const g of d.gatewayTimeouts) if (!d.timeouts.has(g.key)) report(20, d.name, NGINX_ACCESS_LOG, `a 504 (${g.key}) without error.log's upstream timeout at that second`, g.eventId);
      for (const [daemon, pids] of d.daemons) {
        const ivs = [...pids.entries()].flatMap(([pid, spans]) => spans.map((sp) => [pid, sp] as const)).sort((a, b) => a[1][0] - b[1][0]);
        for (let i = 1; i < ivs.length; i++) {
          const [p0, [, last]] = ivs[i - 1]!;
          const [p1, [first]] = ivs[i]!;
          if (p0 === p1) continue;
          if (!d.boots.some((b) => b.ms > last - 1000 && b.ms <= first)) report(18, d.name, null, `${daemon} changed its PID from ${p0} to ${p1} without a reboot`);
        }
      }
      this.checkReboots(d, report);
      // An application goes on writing its current log: one without a date in its name that
      // stops while the dated files beside it go on is a log nobody writes any more.
      for (const [path, { dir, newest }] of d.undatedNewest) {
        const dirNewest = d.appNewest.get(dir)!;
        if (dirNewest - newest > DAY && mtimeOf(uuid, path) !== undefined) report(17, d.name, path, `the log stopped ${((dirNewest - newest) / DAY).toFixed(1)} days before the newest line of its directory`);
      }
      for (const log of d.planted) {
        const live = mtimeOf(uuid, log);
        if (live === undefined) {
          report(17, d.name, log, 'the log is gone at the end');
          continue;
        }
        const newest = d.newest.get(log);
        if (newest === undefined || endMs - newest > DAY) report(17, d.name, log, `the log stopped: its newest line is ${newest === undefined ? 'missing' : `${((endMs - newest) / DAY).toFixed(1)} days before the end`}`);
        let prev = live;
        for (let k = 1; k < 64; k++) {
          const p = k === 1 ? `${log}.1` : `${log}.${k}.gz`;
          const m = mtimeOf(uuid, p);
          if (m === undefined) break;
          if (m >= prev) report(17, d.name, p, `rotation ${k} is not older than the file before it`);
          prev = m;
        }
      }
    }
  }
}
