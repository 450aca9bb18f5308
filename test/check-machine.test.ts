// Invariants 17 to 20 (the machine model of issue 12): one hand-broken timeline each, caught
// with the event named where there is one, and nothing else firing but reproduction (10).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck, type CheckReport } from '../src/check/index.js';
import { sourceFromFile } from '../src/check/source.js';
import type { Timeline, TimelineEvent } from '../src/timeline/types.js';
import { syntheticFleet } from '../bench/fleet.js';
import { bodyOf, inputs, planned, rehash, serialize, setBody, withConfig, writeTemp } from './check-helpers.js';

const BASE = planned('machine', inputs({ days: 9 }));
// Dump lures on every decky that can hold one (those whose nightly dump job leaves them).
const DUMPS = planned('dumps', withConfig({ canaryProbability: 0.5, canaryCapPerDecky: 6, weights: { canary: { canary_mysql_dump: 1 } }, canary: { dnsZone: 't.zone-lab.net' } }, { days: 4 }));

async function check(t: Timeline): Promise<CheckReport> {
  return runCheck(await sourceFromFile(writeTemp(serialize(t))));
}

function caught(r: CheckReport, invariant: number, eventId: string | null, alsoAllowed: number[] = []): void {
  const hits = r.violations.filter((v) => v.invariant === invariant);
  assert.ok(hits.length > 0, `invariant ${invariant} not reported; got ${JSON.stringify(r.byInvariant)}`);
  if (eventId) assert.ok(hits.some((v) => v.eventId === eventId), `event ${eventId} not named: ${JSON.stringify(hits.slice(0, 3))}`);
  const others = Object.keys(r.byInvariant).map(Number).filter((k) => k !== invariant && k !== 10 && !alsoAllowed.includes(k));
  assert.equal(others, [], `unexpected: ${JSON.stringify(r.violations.filter((v) => others.includes(v.invariant)).slice(0, 3))}`);
}

/** The last write of a path (nothing later touches its body), and the body length before it. */
function lastWrite(t: Timeline, path: string, pred: (appended: string) => boolean): { ev: TimelineEvent; from: number } {
  const byDecky = new Map<string, { ev: TimelineEvent; from: number }>();
  const prev = new Map<string, number>();
  for (const e of t.events) {
    if (e.kind !== 'file' || e.path !== path) continue;
    const k = e.decky.uuid;
    if (e.content === undefined) {
      byDecky.delete(k);
      prev.set(k, 0);
      continue;
    }
    const from = e.action === 'file:edit' ? (prev.get(k) ?? 0) : 0;
    prev.set(k, Buffer.byteLength(bodyOf(e)));
    byDecky.set(k, { ev: e, from });
  }
  for (const w of byDecky.values()) if (pred(bodyOf(w.ev).slice(w.from))) return w;
  throw new Error(`no last write of ${path} matches`);
}

/** Replace, in the appended part of a write, the last line matching `re` with `f(line)`. */
function editAppended(w: { ev: TimelineEvent; from: number }, re: RegExp, f: (line: string) => string): void {
  const body = bodyOf(w.ev);
  const head = body.slice(0, w.from);
  const lines = body.slice(w.from).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (re.test(lines[i]!)) {
      lines[i] = f(lines[i]!);
      setBody(w.ev, head + lines.join('\n'));
      return;
    }
  }
  throw new Error('no line to break');
}

test('the unbroken machine timeline is clean', async () => {
  const r = await check(structuredClone(BASE));
  assert.is(r.violationCount, 0, JSON.stringify(r.violations.slice(0, 3)));
});

test('17: a log that stops being written is caught at the end', async () => {
  const t = structuredClone(BASE);
  const uuid = t.header.inputs.fleet[0]!.uuid;
  const cut = Date.parse(t.header.inputs.end) - 3 * 86_400_000;
  t.events = t.events.filter((e) => !(e.decky.uuid === uuid && e.path === '/var/log/syslog' && e.action === 'file:edit' && Date.parse(e.at) > cut));
  const r = await check(t);
  caught(r, 17, null);
  assert.ok(r.violations.some((v) => v.invariant === 17 && v.path === '/var/log/syslog' && /stopped/.test(v.reason)));
});

test('17: a rotation newer than the file before it', async () => {
  const t = structuredClone(BASE);
  const gz = [...t.events].reverse().find((e) => e.action === 'file:create' && e.path === '/var/log/auth.log.2.gz')!;
  gz.mtime = gz.at.replace('Z', '.000000000Z');
  gz.atime = gz.mtime;
  const r = await check(t);
  caught(r, 17, null);
  assert.ok(r.violations.some((v) => v.path === '/var/log/auth.log.2.gz'));
});

test('17: a log archive whose gzip header is not stamped with its own mtime', async () => {
  const t = structuredClone(BASE);
  const gz = [...t.events].reverse().find((e) => e.action === 'file:create' && e.path === '/var/log/syslog.2.gz')!;
  const bytes = Buffer.from(gz.content!.data, 'base64');
  // logrotate's gzip reads the file on stdin and stamps the header with that file's mtime.
  assert.is(bytes.readUInt32LE(4), Math.floor(Date.parse(gz.mtime!.slice(0, 19) + 'Z') / 1000));
  bytes.writeUInt32LE(0, 4);
  setBody(gz, new Uint8Array(bytes));
  const r = await check(t);
  caught(r, 17, gz.id);
  assert.match(r.violations.filter((v) => v.eventId === gz.id).map((v) => v.reason).join(' | '), /gzip header says .*no time \(0\)/);
});

test('18: a cron job PID that goes back', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/auth.log', (a) => (a.match(/CRON\[\d+\]: pam_unix\(cron:session\): session opened/g) ?? []).length >= 2);
  editAppended(w, /CRON\[\d+\]: pam_unix\(cron:session\): session opened/, (l) => l.replace(/CRON\[\d+\]/, 'CRON[7]'));
  // The job's close now has no open of its PID (invariant 23 says so too).
  caught(await check(t), 18, w.ev.id, [23]);
});

test('18: a long-running daemon with a second PID in one boot', async () => {
  const t = structuredClone(BASE);
  // Every write-out of syslog holds an hourly cron run: one of its lines becomes timesyncd
  // (which speaks every day or two with its boot's PID) speaking with another PID.
  const w = lastWrite(t, '/var/log/syslog', (a) => / CRON\[\d+\]: \(root\) CMD /.test(a));
  editAppended(w, / CRON\[\d+\]: \(root\) CMD /, (l) => l.replace(/ CRON\[\d+\]: .*$/, ' systemd-timesyncd[99999]: Contacted time server 10.0.0.1:123.'));
  caught(await check(t), 18, null);
});

test('18: a daemon PID that comes back in a later boot is no PID change (the bench fleet\'s month, where it happens)', async () => {
  // 20 deckies of the benchmark fleet over 30 days: node-0011 reboots twice for kernel updates and
  // its systemd-logind runs as 471, then 404, then 471 again. One span per PID made that a
  // change from 471 to 404 "without a reboot".
  const t = planned('bench', inputs({ fleet: { file: 'bench.json', data: syntheticFleet(20) }, days: 30 }));
  const seen = new Map<string, Array<{ ms: number; pid: string }>>();
  for (const e of t.events) {
    if (e.kind !== 'file' || e.decky.name !== 'node-0011' || e.path !== '/var/log/auth.log' || e.content === undefined) continue;
    for (const m of bodyOf(e).matchAll(/^(\w+ +\d+ [\d:]+) \S+ systemd-logind\[(\d+)\]:/gm)) {
      const list = seen.get('logind') ?? [];
      // The plan starts on 2026-01-05 and its pre-history reaches back into December 2025.
      list.push({ ms: Date.parse(`${m[1]} ${m[1]!.startsWith('Dec') ? 2025 : 2026} UTC`), pid: m[2]! });
      seen.set('logind', list);
    }
  }
  const runs: string[] = [];
  for (const { pid } of (seen.get('logind') ?? []).sort((a, b) => a.ms - b.ms)) if (runs[runs.length - 1] !== pid) runs.push(pid);
  assert.ok(runs.length >= 3 && runs[0] === runs[2] && runs[0] !== runs[1], `logind PIDs by boot: ${runs.join(' ')}`);
  const r = await check(t);
  assert.equal(r.violations.filter((v) => v.invariant === 18), []);
});

/** A kernel's first line of a boot, in syslog's form, at the stamp of `line` (another syslog line). */
function bootLine(line: string, abi: number): string {
  return `${line.slice(0, line.indexOf(' ', 16))} kernel: [    0.000000] Linux version 6.1.0-${abi}-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.200-1 (2026-01-01)`;
}

test('25: a boot of a running machine that nobody shut down and no kernel install asked for', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/syslog', (a) => / CRON\[\d+\]: \(root\) CMD /.test(a));
  editAppended(w, / CRON\[\d+\]: \(root\) CMD /, (l) => `${l}\n${bootLine(l, 99)}`);
  const r = await check(t);
  caught(r, 25, null);
  const reasons = r.violations.filter((v) => v.invariant === 25).map((v) => v.reason).join(' | ');
  assert.match(reasons, /follows no shutdown/);
  assert.match(reasons, /follows no kernel install/);
});

test('25: a reboot into an older kernel', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/syslog', (a) => (a.match(/ CRON\[\d+\]: \(root\) CMD /g) ?? []).length >= 2);
  // After the last two hourly runs, two boots: the second into an older kernel than the first.
  const body = bodyOf(w.ev);
  const lines = body.split('\n');
  const cron = lines.map((l, i) => (/ CRON\[\d+\]: \(root\) CMD /.test(l) ? i : -1)).filter((i) => i >= 0);
  const [a, b] = cron.slice(-2) as [number, number];
  lines.splice(b + 1, 0, bootLine(lines[b]!, 97));
  lines.splice(a + 1, 0, bootLine(lines[a]!, 99));
  setBody(w.ev, lines.join('\n'));
  const r = await check(t);
  caught(r, 25, null);
  assert.match(r.violations.filter((v) => v.invariant === 25).map((v) => v.reason).join(' | '), /runs kernel ABI 97, not newer than the previous boot's 99/);
});

test('19: a cron line no crontab entry produces', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/cron.log', (a) => / CMD \(/.test(a));
  editAppended(w, / CMD \(/, (l) => l.replace(/CMD \(.*\)$/, 'CMD (/usr/local/sbin/sync-mirror.sh)'));
  caught(await check(t), 19, w.ev.id);
});

test('19: a crontab that runs a command the decky does not have', async () => {
  const t = structuredClone(BASE);
  const cd = t.events.find((e) => e.action === 'file:create' && e.path!.startsWith('/etc/cron.d/') && e.path !== '/etc/cron.d/tmp-sweep')!;
  const body = bodyOf(cd);
  const script = /\t(\/usr\/local\/sbin\/\S+)$/m.exec(body)![1]!;
  setBody(cd, body.replaceAll(script, '/usr/local/sbin/gone.sh'));
  const r = await check(t);
  caught(r, 19, cd.id);
  assert.ok(r.violations.some((v) => v.invariant === 19 && /gone\.sh, which is neither planted/.test(v.reason)));
});

test('dump lures: the unbroken timeline is clean, and each lure is a leftover of its decky\'s dump job', async () => {
  const lures = DUMPS.events.filter((e) => e.contentClass === 'canary_mysql_dump');
  assert.ok(lures.length >= 3, `${lures.length} dump lures`);
  for (const l of lures) assert.ok(DUMPS.events.some((e) => e.decky.uuid === l.decky.uuid && e.path === '/etc/cron.d/mysql-backup'), `${l.decky.name} has the dump job`);
  const r = await check(structuredClone(DUMPS));
  assert.is(r.violationCount, 0, JSON.stringify(r.violations.slice(0, 3)));
});

test('19: a dump lure whose mtime is not the end of a dump run', async () => {
  const t = structuredClone(DUMPS);
  const l = t.events.find((e) => e.contentClass === 'canary_mysql_dump')!;
  l.mtime = new Date(Date.parse(l.mtime!) - 3_600_000).toISOString().replace('.000Z', '.000000000Z');
  l.atime = l.mtime;
  const r = await check(t);
  caught(r, 19, l.id);
  assert.ok(r.violations.some((v) => v.invariant === 19 && /is not the end of a run of the dump job/.test(v.reason)));
});

test('19: a dump lure for a database the job does not dump', async () => {
  const t = structuredClone(DUMPS);
  const l = t.events.find((e) => e.contentClass === 'canary_mysql_dump')!;
  const script = bodyOf(t.events.find((e) => e.decky.uuid === l.decky.uuid && e.path === '/usr/local/sbin/mysql-backup.sh')!);
  const dbs = /^for db in (.+); do$/m.exec(script)![1]!.split(' ');
  const other = ['crm', 'billing', 'intranet', 'helpdesk', 'shop', 'hr'].find((d) => !dbs.includes(d))!;
  l.path = l.path!.replace(/\/[a-z]+-(\d{4})/, `/${other}-$1`);
  const r = await check(t);
  caught(r, 19, l.id);
});

test('19: a dump lure on a decky whose crontab runs no dump job', async () => {
  const t = structuredClone(DUMPS);
  const l = t.events.find((e) => e.contentClass === 'canary_mysql_dump')!;
  // The job's crontab file and script are gone (its cron lines then have no entry either).
  t.events = t.events.filter((e) => !(e.decky.uuid === l.decky.uuid && (e.path === '/etc/cron.d/mysql-backup' || e.path === '/usr/local/sbin/mysql-backup.sh')));
  const r = await check(t);
  caught(r, 19, l.id);
  assert.ok(r.violations.some((v) => v.invariant === 19 && v.eventId === l.id && /runs no dump job/.test(v.reason)));
});

test('17: an application log without a date in its name that stops while its directory goes on', async () => {
  const t = structuredClone(BASE);
  // A main file of an application from three days before the end (its retention keeps it)
  // becomes its undated current log.
  const day = new Date(Date.parse(t.header.inputs.end) - 3 * 86_400_000).toISOString().slice(0, 10);
  const first = t.events.find((e) => e.action === 'file:create' && e.job === undefined && /^\/var\/log\/([a-z]+)\/\1-\d{4}-\d{2}-\d{2}\.log$/.test(e.path ?? '') && e.path!.endsWith(`-${day}.log`))!;
  const [, app] = /^\/var\/log\/([a-z]+)\//.exec(first.path!)!;
  const later = t.events.some((e) => e.decky.uuid === first.decky.uuid && e.path?.startsWith(`/var/log/${app}/`) && e.mtime !== undefined && Date.parse(e.mtime) > Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000);
  assert.ok(later, 'the application writes on for days');
  const old = first.path!;
  for (const e of t.events) if (e.decky.uuid === first.decky.uuid && e.path === old) e.path = `/var/log/${app}/${app}.log`;
  const r = await check(t);
  caught(r, 17, null);
  assert.ok(r.violations.some((v) => v.invariant === 17 && v.path === `/var/log/${app}/${app}.log` && /stopped .* before the newest line of its directory/.test(v.reason)), JSON.stringify(r.violations.slice(0, 2)));
});

test('20: a line of one application in another\'s log', async () => {
  const t = structuredClone(BASE);
  // A file of the last day (no retention has deleted it).
  const ev = [...t.events].reverse().find((e) => e.action === 'file:create' && e.job === undefined && /^\/var\/log\/([a-z]+)\/\1-\d{4}-\d{2}-\d{2}\.log$/.test(e.path ?? ''))!;
  const app = ev.path!.split('/')[3]!;
  const other = app === 'mailer' ? 'worker' : 'mailer';
  // Only the last write of the file carries its whole body; break the create if nothing follows it.
  const w = lastWrite(t, ev.path!, () => true);
  editAppended(w, new RegExp(` ${app}\\[\\d+\\]: `), (l) => l.replace(` ${app}[`, ` ${other}[`));
  caught(await check(t), 20, w.ev.id);
});

test('20: a syslog line in nginx\'s access log', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/nginx/access.log', (s) => s.includes('"GET '));
  // At the line's own instant, as syslog stamps it: only the producer is wrong.
  editAppended(w, /"GET /, (l) => {
    const m = /\[(\d\d)\/(\w{3})\/\d{4}:(\d\d:\d\d:\d\d) /.exec(l)!;
    return `${m[2]} ${String(Number(m[1])).padStart(2, ' ')} ${m[3]} web-01 nginx[812]: ${l}`;
  });
  caught(await check(t), 20, w.ev.id);
});

test('20: a 504 in access.log without error.log\'s upstream timeout at that second', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/nginx/access.log', (s) => s.includes('" 200 '));
  editAppended(w, /" 200 \d+ /, (l) => l.replace(/" 200 \d+ /, '" 504 183 '));
  const r = await check(t);
  caught(r, 20, w.ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 20 && /a 504 .* without error\.log's upstream timeout/.test(v.reason)));
});

test('20: nginx logs on a decky that serves no web', async () => {
  const t = structuredClone(BASE);
  const web = t.header.inputs.fleet.find((d) => d.services.includes('http'))!;
  web.services = web.services.filter((s) => s !== 'http' && s !== 'https');
  rehash(t);
  const r = await check(t);
  const hits = r.violations.filter((v) => v.invariant === 20);
  assert.ok(hits.length > 0 && hits.every((v) => /^\/var\/log\/nginx\/.* on a decky that serves no web/.test(v.reason)), JSON.stringify(hits.slice(0, 3)));
});

/**
 * Lines of mariadbd appended to the database decky's last syslog write, at its last line's
 * second, as the server's PID of that boot writes them: `make(stamp, lsn)` gets the server's
 * own stamp of that second and the redo log's last sequence number in the decky's syslog.
 */
function appendDatabaseLines(t: Timeline, make: (own: string, lsn: number) => string[]): TimelineEvent {
  const db = t.header.inputs.fleet.find((d) => d.services.includes('mysql'))!;
  let lsn = -1;
  let pid = '';
  let ws: TimelineEvent | null = null;
  for (const e of t.events) {
    if (e.kind !== 'file' || e.decky.uuid !== db.uuid || e.path !== '/var/log/syslog' || e.content === undefined) continue;
    ws = e;
    for (const m of bodyOf(e).matchAll(/mariadbd\[(\d+)\]: .*?(?:InnoDB: (?:End of log at LSN=|Shutdown completed; log sequence number )(\d+))?$/gm)) {
      pid = m[1]!;
      if (m[2] !== undefined) lsn = Number(m[2]);
    }
  }
  assert.ok(lsn > 0 && ws !== null, 'the database decky restarted MariaDB in the plan');
  const body = bodyOf(ws).replace(/\n$/, '');
  const last = body.slice(body.lastIndexOf('\n') + 1);
  const ms = Date.parse(`${last.slice(0, 15)} ${ws.mtime!.slice(0, 4)} UTC`);
  const iso = new Date(ms).toISOString();
  const own = `${iso.slice(0, 10)} ${String(new Date(ms).getUTCHours()).padStart(2, ' ')}:${iso.slice(14, 19)}`;
  const prefix = last.slice(0, last.indexOf(' ', 16));
  setBody(ws, `${body}\n${make(own, lsn).map((m) => `${prefix} mariadbd[${pid}]: ${m}`).join('\n')}\n`);
  return ws;
}

test('27: a MariaDB start that does not find the redo log where the shutdown before it left it', async () => {
  const t = structuredClone(BASE);
  const ev = appendDatabaseLines(t, (own, lsn) => [`${own} 0 [Note] InnoDB: Shutdown completed; log sequence number ${lsn + 10}; transaction id 99`, `${own} 0 [Note] InnoDB: End of log at LSN=${lsn + 4096}`]);
  const r = await check(t);
  caught(r, 27, ev.id);
  assert.match(r.violations.filter((v) => v.invariant === 27).map((v) => v.reason).join(' | '), new RegExp(`starts at LSN \\d+, but the shutdown before it left the log at \\d+`));
});

test('27: a MariaDB line whose own stamp is not its second', async () => {
  const t = structuredClone(BASE);
  const ev = appendDatabaseLines(t, (own) => [`${own.slice(0, 11)}${own.slice(11).trim() === '23:59:59' ? ' 0:00:00' : '23:59:59'} 0 [Note] InnoDB: Buffer pool(s) load completed at 260110  5:01:35`]);
  caught(await check(t), 27, ev.id);
});

test('27: MariaDB on a decky with no database (no mysql service, no dump job)', async () => {
  const t = structuredClone(BASE);
  const db = t.header.inputs.fleet.find((d) => d.services.includes('mysql'))!;
  db.services = db.services.filter((s) => s !== 'mysql');
  rehash(t);
  // Without its dump job too: the crontab file that holds it is no longer planted.
  t.events = t.events.filter((e) => !(e.decky.uuid === db.uuid && e.path === '/etc/cron.d/mysql-backup'));
  const r = await check(t);
  const hits = r.violations.filter((v) => v.invariant === 27);
  assert.ok(hits.length === 1 && /MariaDB's lines on a decky with no database/.test(hits[0]!.reason), JSON.stringify(hits.slice(0, 3)));
});

test('22: a .bashrc that sets HISTTIMEFORMAT beside a history bash wrote without stamps', async () => {
  const t = structuredClone(BASE);
  const rc = t.events.find((e) => e.action === 'file:create' && e.path?.endsWith('/.bashrc'))!;
  const home = rc.path!.slice(0, -'/.bashrc'.length);
  assert.ok(t.events.some((e) => e.decky.uuid === rc.decky.uuid && e.path === `${home}/.bash_history`), 'the home has a history');
  setBody(rc, `${bodyOf(rc)}export HISTTIMEFORMAT="%F %T "\n`);
  const r = await check(t);
  caught(r, 22, null);
  assert.ok(r.violations.some((v) => v.invariant === 22 && v.path === `${home}/.bash_history` && /HISTTIMEFORMAT/.test(v.reason)), JSON.stringify(r.violations.slice(0, 2)));
});

test('20: a line in a log its producer never writes to', async () => {
  const t = structuredClone(BASE);
  const w = lastWrite(t, '/var/log/cron.log', (a) => / CMD \(/.test(a));
  const host = t.header.inputs.fleet.find((d) => d.uuid === w.ev.decky.uuid)!.hostname.split('.')[0]!;
  editAppended(w, / CMD \(/, (l) => `${l}\n${l.slice(0, 15)} ${host} sshd[4242]: Accepted publickey for root from 10.1.2.3 port 51234 ssh2`);
  caught(await check(t), 20, w.ev.id);
});

// 23: sessions in auth.log. Each break is in a write after the first two days (a close or a sudo
// in the first day of kept lines may belong to a login logrotate already dropped); the later writes
// of the live file carry the broken line too, and their previousSha256 follow.
function breakAuthLine(t: Timeline, re: RegExp, f: (line: string) => string): TimelineEvent {
  const start = Date.parse(t.header.inputs.start) + 2 * 86_400_000;
  let decky: string | null = null;
  let from = '';
  let to = '';
  let hit: TimelineEvent | null = null;
  let sha: string | null = null;
  const prev = new Map<string, number>();
  for (const e of t.events) {
    if (e.kind !== 'file' || e.path !== '/var/log/auth.log') continue;
    if (decky !== null && e.decky.uuid !== decky) continue;
    if (e.content === undefined) {
      if (decky !== null) break; // rotated: the broken line has left the live file
      prev.set(e.decky.uuid, 0);
      continue;
    }
    const body = bodyOf(e);
    if (decky === null) {
      const off = e.action === 'file:edit' ? (prev.get(e.decky.uuid) ?? 0) : 0;
      prev.set(e.decky.uuid, Buffer.byteLength(body));
      if (Date.parse(e.at) <= start) continue;
      const line = body.slice(off).split('\n').reverse().find((l) => re.test(l));
      if (line === undefined) continue;
      decky = e.decky.uuid;
      from = line;
      to = f(line);
      hit = e;
    } else if (e.action === 'file:edit') e.previousSha256 = sha!;
    setBody(e, body.replace(from, to));
    sha = e.content!.sha256;
  }
  if (hit === null) throw new Error(`no line of auth.log matches ${re}`);
  return hit;
}

test('23: a logout whose address and port are not its login\'s', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /Disconnected from user /, (l) => l.replace(/port \d+$/, 'port 1'));
  const r = await check(t);
  caught(r, 23, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 23 && /which no open session logged in/.test(v.reason)));
});

test('23: sshd closes a session another PID opened', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /pam_unix\(sshd:session\): session closed/, (l) => l.replace(/sshd\[\d+\]/, 'sshd[3]'));
  caught(await check(t), 23, ev.id);
});

test('23: a cron PAM session closed that was never opened', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /CRON\[\d+\]: pam_unix\(cron:session\): session closed/, (l) => l.replace(/CRON\[\d+\]/, 'CRON[5]'));
  caught(await check(t), 23, ev.id);
});

test('23: a sudo PAM session closed twice', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /sudo: pam_unix\(sudo:session\): session closed/, (l) => `${l}\n${l}`);
  const r = await check(t);
  caught(r, 23, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 23 && /sudo closes a PAM session it never opened/.test(v.reason)));
});

test('23: sudo by someone with no session open', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /sudo: +\S+ : TTY=/, (l) => l.replace(/sudo: +\S+ : /, 'sudo:  nobody : '));
  const r = await check(t);
  caught(r, 23, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 23 && /nobody runs sudo without an SSH session/.test(v.reason)));
});

test('23: a session left open across a reboot', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /New session \d+ of user /, (l) => `${l}\n${l.slice(0, l.indexOf(' systemd-logind['))} sshd[4100]: Server listening on 0.0.0.0 port 22.`);
  const r = await check(t);
  caught(r, 23, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 23 && /still open when the machine boots again/.test(v.reason)));
});

test('23: connections that never authenticated (banner probes) are not sessions', async () => {
  const t = structuredClone(BASE);
  breakAuthLine(t, /CRON\[\d+\]: pam_unix\(cron:session\): session closed/, (l) => {
    const head = l.slice(0, l.indexOf(' CRON['));
    return `${l}\n${head} sshd[77001]: error: kex_exchange_identification: Connection closed by remote host\n${head} sshd[77001]: Connection closed by 10.20.0.13 port 40022`;
  });
  const r = await check(t);
  assert.is(r.byInvariant[23] ?? 0, 0, JSON.stringify(r.violations.slice(0, 3)));
});

test('26: a login from a decky of the fleet with no connection from it then', async () => {
  const t = structuredClone(BASE);
  let hop = '';
  const ev = breakAuthLine(t, /Accepted publickey for \S+ from 10\.20\.0\.\d+ /, (l) => (hop = l));
  const address = /from (\S+) port/.exec(hop)![1]!;
  const src = t.header.inputs.fleet.find((d) => d.address === address)!.uuid;
  // The second the line is stamped with, in the year of the write that carries it.
  const sec = Math.floor(Date.parse(`${hop.slice(0, 15)} ${ev.at.slice(0, 4)} UTC`) / 1000);
  const before = t.events.length;
  t.events = t.events.filter((e) => !(e.kind === 'traffic' && e.traffic!.src.uuid === src && e.traffic!.dst.uuid === ev.decky.uuid && Math.abs(Math.floor(Date.parse(e.at) / 1000) - sec) <= 1));
  assert.ok(t.events.length < before, 'the hop had a connection to remove');
  const r = await check(t);
  caught(r, 26, ev.id, [9]);
  assert.ok(r.violations.some((v) => v.invariant === 26 && /which made no connection to this one then/.test(v.reason)));
});

test('26: a login from a decky of the fleet by someone without an account here', async () => {
  const t = structuredClone(BASE);
  const ev = breakAuthLine(t, /CRON\[\d+\]: pam_unix\(cron:session\): session closed/, (l) => {
    const head = l.slice(0, l.indexOf(' CRON['));
    return `${l}\n${head} sshd[77002]: Accepted publickey for mallory from 10.20.0.12 port 40022 ssh2: ED25519 SHA256:${'A'.repeat(43)}`;
  });
  const r = await check(t);
  caught(r, 26, ev.id, [23]);
  assert.ok(r.violations.some((v) => v.invariant === 26 && /mallory logs in from 10\.20\.0\.12 but has no account here/.test(v.reason)));
});

test.run();
