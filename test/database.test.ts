// MariaDB on the deckies that serve the database (src/machine/database.ts), read as an intruder
// reads syslog around the reboots: one server PID per boot, the start and the shutdown in the
// order systemd and the server print them, and an InnoDB redo log that resumes where it stopped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inputsFor } from './helpers/plan.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { MARIADB_LINE } from '../src/machine/database.js';
import { systemdTimespan } from '../src/util/time.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Line {
  ms: number;
  text: string;
}

/** The lines the live syslog gained, per decky, in the order they were written (the plan starts in January 2026). */
function syslogLines(events: readonly TimelineEvent[]): Map<string, Line[]> {
  const prev = new Map<string, string>();
  const out = new Map<string, Line[]>();
  for (const e of events) {
    if (e.kind !== 'file' || e.path !== '/var/log/syslog' || !e.content) continue;
    const body = e.content.data;
    const before = prev.get(e.decky.name) ?? '';
    const added = e.action === 'file:edit' && body.startsWith(before) ? body.slice(before.length) : body;
    prev.set(e.decky.name, body);
    const list = out.get(e.decky.name) ?? [];
    for (const text of added.split('\n')) {
      const m = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) \S+ (.*)$/.exec(text);
      if (!m) continue;
      const month = MONTHS.indexOf(m[1]!);
      list.push({ ms: Date.UTC(month === 11 ? 2025 : 2026, month, Number(m[2]!.trim()), +m[3]!, +m[4]!, +m[5]!), text: m[6]! });
    }
    out.set(e.decky.name, list);
  }
  return out;
}

const ownStamp = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${String(new Date(ms).getUTCHours()).padStart(2, ' ')}:${iso.slice(14, 19)}`;
};

test('MariaDB runs only where the decky has a database (served, or dumped nightly by its own job): one PID per boot, started after the network and stopped before rsyslogd, its redo log resuming where each shutdown left it (2 seeds x 10 deckies x 60 days)', () => {
  let restarts = 0;
  let starts = 0;
  let local = 0;
  for (const seed of ['db-1', 'db-2']) {
    const fleet = Array.from({ length: 10 }, (_, i) => ({ name: `dbh-${i + 1}`, services: i < 8 ? ['ssh', 'mysql'] : ['ssh'], address: `10.31.0.${11 + i}`, personas: ['John Smith'] }));
    const ctx = buildContext(seed, inputsFor({ days: 60, fleet: { file: 'db-fleet', data: { deckies: fleet } } } as never));
    const events = [...planEvents(ctx)];
    const lines = syslogLines(events);
    const dumping = new Set(events.filter((e) => e.path === '/etc/cron.d/mysql-backup').map((e) => e.decky.name));
    for (const { name, services } of fleet) {
      const all = lines.get(name) ?? [];
      const db = all.filter((l) => /^(mariadbd|\/etc\/mysql\/debian-start)\[/.test(l.text));
      // A decky that serves no database may still run one for its own jobs (its nightly dump):
      // bound to the loopback address, as Debian configures it.
      if (!services.includes('mysql') && !dumping.has(name)) {
        assert.equal(db, [], `${name} has no database but logs MariaDB`);
        continue;
      }
      local += services.includes('mysql') ? 0 : 1;
      const bind = services.includes('mysql') ? '0.0.0.0' : '127.0.0.1';
      assert.ok(db.every((l) => !l.text.includes('Server socket created on IP: ') || l.text.includes(`IP: '${bind}', port: '3306'.`)), `${name}: the server binds elsewhere than ${bind}`);
      // One boot's lines: from a kernel's first line to the next (the shutdown ends the segment).
      const segments: Line[][] = [[]];
      for (const l of all) {
        if (/^kernel: \[\s+0\.0+\] Linux version /.test(l.text)) segments.push([]);
        segments[segments.length - 1]!.push(l);
      }
      let lastStop: number | null = null;
      let lastTrx = -1;
      for (const seg of segments) {
        const server = seg.filter((l) => l.text.startsWith('mariadbd['));
        if (server.length === 0) continue;
        for (const l of server) {
          assert.match(l.text, MARIADB_LINE);
          if (!l.text.includes(': Version: ')) assert.ok(l.text.includes(`]: ${ownStamp(l.ms)} 0 [`), `${name}: the server's own stamp is not its line's second: ${l.text}`);
        }
        const pids = new Set(server.map((l) => /^mariadbd\[(\d+)\]/.exec(l.text)![1]));
        assert.is(pids.size, 1, `${name}: mariadbd with PIDs ${[...pids].join(', ')} in one boot`);
        const pid = Number([...pids][0]);
        const idx = (re: RegExp): number => seg.findIndex((l) => re.test(l.text));
        const banner = idx(/^mariadbd\[\d+\]: .* Starting MariaDB 10\.11\.14-MariaDB-0\+deb12u2 source revision [0-9a-f]{40} server_uid \S{28} as process \d+$/);
        if (banner >= 0) {
          starts++;
          assert.ok(seg[banner]!.text.endsWith(`as process ${pid}`), `${name}: the banner names another process: ${seg[banner]!.text}`);
          const boot = seg[0]!.ms;
          assert.ok(seg[banner]!.ms - boot >= 3_000 && seg[banner]!.ms - boot <= 16_000, `${name}: the server starts ${(seg[banner]!.ms - boot) / 1000} s into its boot`);
          const starting = idx(/^systemd\[1\]: Starting mariadb\.service - MariaDB 10\.11\.14 database server\.\.\.$/);
          const ready = idx(/ \/usr\/sbin\/mariadbd: ready for connections\.$/);
          const started = idx(/^systemd\[1\]: Started mariadb\.service - MariaDB 10\.11\.14 database server\.$/);
          const loaded = idx(/ InnoDB: Buffer pool\(s\) load completed at /);
          assert.ok(starting >= 0 && starting < banner && banner < ready && ready < started && started < loaded, `${name}: start out of order (${starting}, ${banner}, ${ready}, ${started}, ${loaded})`);
          const scripts = seg.filter((l) => l.text.startsWith('/etc/mysql/debian-start[')).map((l) => Number(/\[(\d+)\]/.exec(l.text)![1]));
          assert.is(scripts.length, 3, `${name}: debian-start logged ${scripts.length} checks`);
          assert.ok(scripts.every((p, i) => p > pid && (i === 0 || p > scripts[i - 1]!)), `${name}: debian-start's PIDs ${scripts.join(' ')} after mariadbd ${pid}`);
          const end = Number(/End of log at LSN=(\d+)$/.exec(seg[idx(/ InnoDB: End of log at LSN=/)]!.text)![1]);
          const trx = Number(/; transaction id (\d+)$/.exec(seg[idx(/ InnoDB: log sequence number \d+; transaction id \d+$/)]!.text)![1]);
          if (lastStop !== null) {
            restarts++;
            assert.is(end, lastStop, `${name}: InnoDB starts at ${end} after a shutdown at ${lastStop}`);
            assert.is(trx, lastTrx, `${name}: the transaction id ${trx} at a start after a shutdown at ${lastTrx}`);
          }
          lastStop = end;
        }
        const stop = idx(/ InnoDB: Shutdown completed; log sequence number \d+;/);
        if (stop >= 0) {
          const lsn = Number(/log sequence number (\d+);/.exec(seg[stop]!.text)![1]);
          if (lastStop !== null) assert.ok(lsn > lastStop, `${name}: the redo log went from ${lastStop} to ${lsn} over a boot`);
          lastStop = lsn;
          lastTrx = Number(/; transaction id (\d+)$/.exec(seg[stop]!.text)![1]);
          const spent = seg[idx(/^systemd\[1\]: Stopped mariadb\.service /) + 1]?.text ?? '(none)';
          assert.ok(/^systemd\[1\]: mariadb\.service: Consumed (\d+d )?(\d+h )?(\d+min )?(\d+(\.\d{3})?s|\d+ms) CPU time\.$/.test(spent) || /: Consumed (\d+d )?(\d+h )?\d+(h|min) CPU time\.$/.test(spent), `${name}: after Stopped: ${spent}`);
          const stopping = idx(/^systemd\[1\]: Stopping mariadb\.service /);
          const normal = idx(/ \(initiated by: unknown\): Normal shutdown$/);
          const complete = idx(/ \/usr\/sbin\/mariadbd: Shutdown complete$/);
          const stopped = idx(/^systemd\[1\]: Stopped mariadb\.service /);
          const rsyslog = idx(/^rsyslogd\[\d+\]: .*exiting on signal 15\.$/);
          assert.ok(stopping >= 0 && stopping <= normal && normal < stop && stop < complete && complete < stopped && stopped < rsyslog, `${name}: shutdown out of order (${stopping}, ${normal}, ${stop}, ${complete}, ${stopped}, ${rsyslog})`);
        }
      }
    }
  }
  assert.ok(starts >= 16, `only ${starts} starts of MariaDB`);
  assert.ok(local >= 1, 'no decky ran a local database for its dump job: the test shows nothing about them');
  assert.ok(restarts >= 16, `only ${restarts} restarts after a shutdown: the test shows nothing about the redo log across reboots`);
});

test('the admins of a database decky look at MariaDB; nobody on a machine without one does', () => {
  const fleet = Array.from({ length: 6 }, (_, i) => ({ name: `dbh-${i + 1}`, services: i < 3 ? ['ssh', 'mysql'] : ['ssh'], address: `10.31.0.${11 + i}`, personas: ['John Smith', 'Priya Raman'] }));
  const events = [...planEvents(buildContext('db-homes', inputsFor({ days: 45, fleet: { file: 'db-fleet', data: { deckies: fleet } } } as never)))];
  const last = new Map<string, string>();
  for (const e of events) if (e.kind === 'file' && e.path?.endsWith('/.bash_history') && e.content) last.set(`${e.decky.name} ${e.path}`, e.content.data);
  const looks = new Map<string, number>();
  for (const [key, body] of last) {
    const name = key.split(' ')[0]!;
    looks.set(name, (looks.get(name) ?? 0) + body.split('\n').filter((c) => /mariadb/.test(c)).length);
  }
  for (const { name, services } of fleet) {
    const local = events.some((e) => e.decky.name === name && e.path === '/etc/cron.d/mysql-backup');
    if (services.includes('mysql')) assert.ok((looks.get(name) ?? 0) > 0, `nobody on ${name} ever looked at MariaDB`);
    else if (!local) assert.is(looks.get(name) ?? 0, 0, `${name} has no database but its histories run mariadb`);
  }
});

test('CPU time as systemd writes it: largest units first, seconds with their milliseconds, zero units left out', () => {
  assert.is(systemdTimespan(43_241), '43.241s');
  assert.is(systemdTimespan(62_345), '1min 2.345s');
  assert.is(systemdTimespan(31_000), '31s');
  assert.is(systemdTimespan(3_600_746), '1h 746ms');
  assert.is(systemdTimespan(2 * 86_400_000 + 4 * 3_600_000 + 20 * 60_000 + 31_150), '2d 4h 20min 31.150s');
});

test.run();
