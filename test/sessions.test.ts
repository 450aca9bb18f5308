// Sessions in auth.log (issue 12 item 5), read as an intruder reads them: `zcat -f
// /var/log/auth.log*`, then `last`-style pairing of logins and logouts. Property-style over
// seeds, the multi-zone fleet, 21 days materialised.
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { idsOf } from '../src/bake/owners.js';
import { PersonaCalendar, windowAt } from '../src/sim/schedule.js';
import { bodyOf, materialise } from '../src/timeline/materialise.js';
import { parseSyslogStamp } from '../src/util/time.js';
import { ROOT } from './helpers/cli.js';
import { eventsFor, inputsFor } from './helpers/plan.js';

const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };
const RAW = { fleet: multiTz, start: '2026-03-02T00:00:00Z', days: 21 };
const SEEDS = ['ss-0', 'ss-1', 'ss-2'];
const inp = inputsFor(RAW);
test('auth.log shows each persona logging in over SSH during their working hours, every session closed, with the decky\'s uids', () => {
  let sessions = 0;
  let sudos = 0;
  let inHours = 0;
  let closes = 0;
  let managers = 0;
  let onCron = 0;
  for (const seed of SEEDS) {
    const events = eventsFor(seed, RAW);
    for (const tree of materialise(events)) {
      const decky = inp.fleet.find((d) => d.name === tree.decky.name)!;
      const logins = [...new Set(decky.personas.map((n) => inp.personas.find((p) => p.name === n)!.login))];
      const ids = idsOf(decky, logins);
      // Every rotation, oldest first, then the live file: one stream of lines.
      const logs = tree.files.filter((f) => /^\/var\/log\/auth\.log(\.\d+(\.gz)?)?$/.test(f.path));
      if (logs.length === 0) continue;
      const order = (p: string) => (p === '/var/log/auth.log' ? 0 : Number(/\.(\d+)/.exec(p)![1]));
      logs.sort((a, b) => order(b.path) - order(a.path));
      const lines = logs.flatMap((f) => {
        const raw = bodyOf(f.content);
        return (f.path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter((l) => l !== '');
      });
      const times = lines.map((l) => parseSyslogStamp(l, Date.parse(RAW.start) + 21 * 86_400_000)!);
      // systemd's side in syslog: a user's manager starts with their first session and stops
      // ten seconds after their last one ends, so slices are created and removed in turn.
      const sys = tree.files.filter((f) => /^\/var\/log\/syslog(\.\d+(\.gz)?)?$/.test(f.path)).sort((a, b) => order(b.path.replace('syslog', 'auth.log')) - order(a.path.replace('syslog', 'auth.log')));
      const slices = new Map<string, boolean>();
      for (const f of sys) {
        const raw = bodyOf(f.content);
        for (const l of (f.path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n')) {
          if (/ kernel: .* Linux version /.test(l)) slices.clear();
          const c = / systemd\[1\]: (Created|Removed) slice user-(\d+)\.slice/.exec(l);
          if (!c) continue;
          const up = c[1] === 'Created';
          const was = slices.get(c[2]!);
          if (was !== undefined) assert.is.not(was, up, `${tree.decky.name}: slice of ${c[2]} ${c[1].toLowerCase()} twice in a row: ${l}`);
          slices.set(c[2]!, up);
          if (!up) managers++;
        }
      }
      for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!, `${tree.decky.name}: auth lines in time order at ${lines[i]}`);
      const open = new Map<string, { pid: string; port: string; from: string; at: number; session: string | null }>();
      let lastSession = 0;
      // Seconds of cron's lines (its PAM sessions), and logouts by second.
      const cronAt = new Set(lines.flatMap((l, i) => (/ CRON\[\d+\]: /.test(l) ? [times[i]] : [])));
      const closedAt = new Map<number, string>();
      const lastSudo = new Map<string, number>();
      lines.forEach((l, i) => {
        const acc = /sshd\[(\d+)\]: Accepted publickey for (\S+) from (\S+) port (\d+) ssh2: (ED25519|RSA) SHA256:[A-Za-z0-9+/]{43}$/.exec(l);
        if (acc) {
          const [, pid, login, from, port] = acc;
          assert.ok(logins.includes(login!), `${tree.decky.name}: ${login} is a login of the decky`);
          assert.not.ok(open.has(login!), `${tree.decky.name}: ${login} logs in twice without logging out`);
          assert.match(lines[i + 1]!, new RegExp(`sshd\\[${pid}\\]: pam_unix\\(sshd:session\\): session opened for user ${login}\\(uid=${ids.get(login!)!.uid}\\) by \\(uid=0\\)$`));
          const s = /systemd-logind\[\d+\]: New session (\d+) of user (\S+)\.$/.exec(lines[i + 2]!);
          assert.ok(s && s[2] === login, lines[i + 2]);
          open.set(login!, { pid: pid!, port: port!, from: from!, at: times[i]!, session: s![1]! });
          // Within a boot logind numbers sessions upwards (a reboot starts again).
          if (Number(s![1]) <= lastSession) assert.ok(lines.slice(0, i).some((x) => /Server listening on 0\.0\.0\.0 port 22/.test(x)), 'numbers restart only after a boot');
          lastSession = Number(s![1]);
          sessions++;
          // The person logs in while at work: inside (or just before) their working window.
          const persona = decky.personas.map((n) => inp.personas.find((p) => p.name === n)!).find((p) => p.login === login)!;
          const cal = new PersonaCalendar(persona, { seed });
          if (windowAt(cal, times[i]!) !== null || windowAt(cal, times[i]! + 15 * 60_000) !== null) inHours++;
          return;
        }
        const sudo = /sudo: +(\S+) : TTY=pts\/\d+ ; PWD=(\S+) ; USER=root ; COMMAND=(\/\S+.*)$/.exec(l);
        if (sudo) {
          if (!open.has(sudo[1]!) && times[i]! - times[0]! < 2 * 86_400_000) return; // logged in before the oldest rotation kept
          assert.ok(open.has(sudo[1]!), `${tree.decky.name}: sudo by ${sudo[1]} who is not logged in at ${lines[i]}`);
          assert.match(lines[i + 1]!, new RegExp(`sudo: pam_unix\\(sudo:session\\): session opened for user root\\(uid=0\\) by ${sudo[1]}\\(uid=${ids.get(sudo[1]!)!.uid}\\)$`));
          // One terminal, one command at a time: the person's previous sudo has ended (a close
          // since it), and never two in one second.
          const prev = lastSudo.get(sudo[1]!);
          if (prev !== undefined && times[i]! - times[prev]! < 60_000) {
            assert.ok(times[i]! > times[prev]!, `${tree.decky.name}: two sudos by ${sudo[1]} in one second at ${lines[i]}`);
            assert.ok(lines.slice(prev + 2, i).some((x) => x.endsWith('sudo: pam_unix(sudo:session): session closed for user root')), `${tree.decky.name}: ${sudo[1]} runs sudo while the previous one still runs: ${lines[i]}`);
          }
          lastSudo.set(sudo[1]!, i);
          sudos++;
          return;
        }
        const closed = /sshd\[(\d+)\]: pam_unix\(sshd:session\): session closed for user (\S+)$/.exec(l);
        if (closed) {
          const o = open.get(closed[2]!);
          // The login may be in a rotation logrotate has already dropped (the oldest file kept).
          if (!o && times[i]! - times[0]! < 2 * 86_400_000) return;
          assert.ok(o, `${tree.decky.name}: ${closed[2]} logs out without a login at ${lines[i]}`);
          assert.is(closed[1], o!.pid, 'the same sshd process closes the session');
          // The session's own process logs the client's disconnect: another PID, a child of the
          // monitor, just before (other processes' lines, a probe's, may come in between).
          const near = lines.slice(Math.max(0, i - 6), i);
          // A reboot closes the sessions still open: no client disconnects then.
          const rebooting = near.some((x) => x.endsWith('The system will reboot now!'));
          const re = new RegExp(`sshd\\[(\\d+)\\]: Received disconnect from ${o!.from.replace(/\./g, '\\.')} port ${o!.port}:11: disconnected by user$`);
          let k = near.length - 1;
          while (k >= 0 && !re.test(near[k]!)) k--;
          const dis = k < 0 ? null : re.exec(near[k]!);
          assert.ok(rebooting || (dis && Number(dis[1]) > Number(o!.pid)), `${tree.decky.name}: no disconnect of ${closed[2]} before ${lines[i]}`);
          if (!rebooting) assert.ok(near.slice(k + 1).some((x) => new RegExp(`sshd\\[${dis![1]}\\]: Disconnected from user ${closed[2]} `).test(x)), `${tree.decky.name}: ${near.join(' | ')}`);
          assert.ok(times[i]! > o!.at, 'a session lasts');
          // Exits are people's: two logins do not end in the same second, nor do they keep
          // landing on the second cron starts a job.
          const other = closedAt.get(times[i]!);
          assert.ok(other === undefined || other === closed[2], `${tree.decky.name}: ${other} and ${closed[2]} log out in the same second at ${lines[i]}`);
          closedAt.set(times[i]!, closed[2]!);
          closes++;
          if (cronAt.has(times[i]!)) onCron++;
          open.delete(closed[2]!);
        }
        if (/Server listening on 0\.0\.0\.0 port 22/.test(l)) open.clear();
      });
      // What is still open is a session of someone at work at the end of the horizon (a
      // weekend worker's window runs through both days of the weekend).
      for (const [login, o] of open) assert.ok(o.at > Date.parse(RAW.start) + 18 * 86_400_000, `${tree.decky.name}: ${login}'s session from ${new Date(o.at).toISOString()} never closes`);
      // bash writes the history when a session ends: its mtime is a logout of that login (lines
      // reach the live log in batches, so a logout after its last write, or in the very second
      // of its last line, may not be there yet: it goes out with the next batch).
      const written = Math.floor(logs.find((f) => f.path === '/var/log/auth.log')!.mtimeMs / 1000) * 1000;
      for (const f of tree.files.filter((x) => x.path.endsWith("/.bash_history") && x.mtimeMs < written && x.mtimeMs >= times[0]!)) {
        const login = f.owner;
        const t = Math.floor(f.mtimeMs / 1000) * 1000;
        const out = lines.some((l, i) => times[i] === t && l.includes(`session closed for user ${login}`));
        assert.ok(out, `${tree.decky.name}: ${f.path} written at ${f.mtime} when no session of ${login} ended`);
      }
    }
  }
  assert.ok(sessions > 50, `${sessions} sessions`);
  assert.ok(managers >= 10, `${managers} user managers started and stopped`);
  assert.ok(sudos >= 3, `${sudos} sudo lines`);
  // Cron logs in a few of a day's 86,400 seconds: a logout in one is chance (generator 21: 56 of 82).
  assert.ok(onCron / closes < 0.05, `${onCron} of ${closes} logouts in a second cron logged in`);
  assert.ok(inHours / sessions >= 0.95, `${inHours} of ${sessions} logins in working time`);
});

test.run();
