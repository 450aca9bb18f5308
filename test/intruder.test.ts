// The intruder's view (issue 12): a 30-day plan materialised into a directory tree per decky,
// and the commands someone who lands on a decky runs first (ls -la, find ... -printf | sort,
// find -newer, zcat) run against it. What they show is asserted, together with the machine's
// own consistency: rotations older than the live file, logs alive up to the end, one PID per
// daemon per boot, cron lines only from the planted crontab at its minutes, commands that
// exist, cleanup jobs that really delete.
import { execa } from 'execa';
import { gunzipSync } from 'fflate';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STANDARD_TOOLS } from '../src/machine/crontab.js';
import { MAIN_LOGS } from '../src/machine/logs.js';
import { bodyOf, type DeckyTree, type MaterialFile, materialise } from '../src/timeline/materialise.js';
import { parseSyslogStamp } from '../src/util/time.js';
import { ROOT } from './helpers/cli.js';
import { eventsFor, LURE_CALLBACKS } from './helpers/plan.js';
import { writeTree as writeTreeTo } from './helpers/tree.js';

const DAY = 86_400_000;
const TMP = mkdtempSync(join(tmpdir(), 'decnet-sim-intruder-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));

const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };
const config = { file: 'lures.json', data: { canary: LURE_CALLBACKS } };
const START = '2026-03-26T00:00:00Z';

interface Plan {
  seed: string;
  endMs: number;
  trees: DeckyTree[];
}

function planTrees(seed: string, days: number, raw: Record<string, unknown> = {}): Plan {
  const events = eventsFor(seed, { fleet: multiTz, config, start: START, days, ...raw });
  return { seed, endMs: Date.parse(START) + days * DAY, trees: materialise(events) };
}

/** Write a decky's tree under a fresh root: bodies, modes and mtimes as planned. */
function writeTree(tree: DeckyTree): string {
  return writeTreeTo(tree, join(TMP, `${tree.decky.name}-${Math.floor(Math.random() * 1e9).toString(36)}`));
}

function text(f: MaterialFile): string {
  const b = bodyOf(f.content);
  return f.path.endsWith('.gz') ? Buffer.from(gunzipSync(b)).toString('utf8') : b.toString('utf8');
}

function file(tree: DeckyTree, path: string): MaterialFile | undefined {
  return tree.files.find((f) => f.path === path);
}

/** A log's rotations, oldest first, then the live file. */
function family(tree: DeckyTree, path: string): MaterialFile[] {
  const out: MaterialFile[] = [];
  for (let k = 9; k >= 1; k--) {
    const f = file(tree, k === 1 ? `${path}.1` : `${path}.${k}.gz`);
    if (f) out.push(f);
  }
  const live = file(tree, path);
  if (live) out.push(live);
  return out;
}

function lines(tree: DeckyTree, path: string): Array<{ ms: number; line: string }> {
  const out: Array<{ ms: number; line: string }> = [];
  for (const f of family(tree, path)) {
    for (const line of text(f).split('\n')) {
      if (line === '') continue;
      out.push({ ms: parseSyslogStamp(line, f.mtimeMs)!, line });
    }
  }
  return out;
}

const PLANS: Plan[] = [];
function plans(): Plan[] {
  if (PLANS.length === 0) for (const seed of ['in-0', 'in-1', 'in-2']) PLANS.push(planTrees(seed, 30));
  return PLANS;
}

test('ls -la /var/log: live logs are the newest, then .1, then .2.gz and on; gzip archives are real', async () => {
  for (const p of plans()) {
    for (const tree of p.trees) {
      const root = writeTree(tree);
      const ls = await execa('ls', ['-la', '--time-style=+%s', join(root, 'var/log')]);
      const rows = new Map<string, { size: number; mtime: number; mode: string }>();
      for (const row of ls.stdout.split('\n')) {
        const m = /^([-drwx]{10})\s+\d+\s+\S+\s+\S+\s+(\d+)\s+(\d+)\s+(.+)$/.exec(row);
        if (m) rows.set(m[4]!, { mode: m[1]!, size: Number(m[2]), mtime: Number(m[3]) });
      }
      for (const def of MAIN_LOGS) {
        const name = def.path.slice('/var/log/'.length);
        const live = rows.get(name);
        assert.ok(live, `${p.seed} ${tree.decky.name}: ls shows ${name}`);
        assert.is(live!.mode, '-rw-r-----', `${name} is 0640`);
        assert.ok(live!.size > 0, `${p.seed} ${tree.decky.name}: ${name} is not empty at the end`);
        assert.ok(p.endMs / 1000 - live!.mtime < 86_400, `${name} was written within the last day`);
        let newer = live!.mtime;
        let seen = 0;
        for (let k = 1; k <= 7; k++) {
          const r = rows.get(k === 1 ? `${name}.1` : `${name}.${k}.gz`);
          if (!r) break;
          seen++;
          assert.ok(r.mtime < newer, `${p.seed} ${tree.decky.name}: ${name} rotation ${k} is older than the one before`);
          newer = r.mtime;
        }
        assert.is(seen, 7, `${name} keeps 7 rotations after 30 days`);
        assert.not.ok(rows.has(`${name}.8.gz`), 'nothing past the kept count');
        // The real gzip reads every archive.
        const gz = await execa('gzip', ['-t', join(root, 'var/log', `${name}.2.gz`), join(root, 'var/log', `${name}.7.gz`)], { reject: false });
        assert.is(gz.exitCode, 0, gz.stderr);
        const z = await execa('zcat', [join(root, 'var/log', `${name}.3.gz`)]);
        assert.match(z.stdout, /^[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d \S+ /);
      }
    }
  }
});

test('every main log is alive to the end and its lines ascend across rotations; each log holds only its producers', () => {
  for (const p of plans()) {
    const servers = new Set<string>();
    for (const tree of p.trees) {
      for (const def of MAIN_LOGS) {
        const all = lines(tree, def.path);
        assert.ok(all.length > 100, `${def.path}: ${all.length} lines`);
        for (let i = 1; i < all.length; i++) assert.ok(all[i]!.ms >= all[i - 1]!.ms, `${def.path} out of order: ${all[i]!.line}`);
        assert.ok(p.endMs - all[all.length - 1]!.ms < DAY, `${p.seed} ${tree.decky.name} ${def.path} last line ${all[all.length - 1]!.line}`);
        for (const { line } of all) {
          const tag = line.slice(16).split(' ')[1]!;
          if (def.path.endsWith('auth.log')) assert.match(tag, /^((CRON|sshd|systemd-logind)\[|sudo:$)/, line);
          if (def.path.endsWith('cron.log')) assert.match(tag, /^(CRON|cron)\[/, line);
          if (def.path.endsWith('daemon.log')) assert.match(tag, /^(systemd|systemd-timesyncd|rsyslogd|dbus-daemon)\[/, line);
          if (def.path.endsWith('syslog')) assert.not.match(tag, /^((sshd|systemd-logind)\[|sudo:)/, 'auth lines stay out of syslog');
        }
        // timesyncd talks to the servers it is configured with: the organisation's two, all month,
        // on every decky.
        if (def.path.endsWith('daemon.log')) {
          for (const { line } of all) {
            const m = /(?:reply from|time server) (\S+:123 \S+)\.$/.exec(line);
            if (m) servers.add(m[1]!);
          }
          assert.ok(servers.size <= 2, `${p.seed} ${tree.decky.name}: timesyncd servers ${[...servers].join(', ')}`);
        }
      }
      for (const f of tree.files) {
        const m = /^\/var\/log\/cron-jobs\/([a-z-]+?)(-\d{4}-\d{2}-\d{2}-\d{4})?\.log/.exec(f.path);
        if (!m) continue;
        for (const line of text(f).split('\n')) if (line) assert.is(line.slice(16).split(' ')[1], `${m[1]}:`, `${f.path} holds only its job: ${line}`);
      }
    }
  }
});

test('one PID per long-running daemon per boot; short-lived PIDs increase; kernel uptime agrees with the clock', () => {
  for (const p of plans()) {
    for (const tree of p.trees) {
      const all = [...lines(tree, '/var/log/syslog'), ...lines(tree, '/var/log/auth.log')].sort((a, b) => a.ms - b.ms);
      let boot = 0;
      let bootMs = -Infinity;
      const pids = new Map<string, number>();
      let lastCron = -1;
      let lastUptime = 0;
      for (const { ms, line } of all) {
        const kern = / kernel: \[\s*(\d+)\.\d{6}\] (.*)$/.exec(line);
        if (kern) {
          if (kern[2]!.startsWith('Linux version')) {
            boot++;
            bootMs = ms;
            pids.clear();
            lastCron = -1;
          }
          if (Number.isFinite(bootMs)) assert.ok(Math.abs(Number(kern[1]) - (ms - bootMs) / 1000) <= 1, `uptime ${kern[1]} at ${line}`);
          // dmesg's order: uptimes never go back within a boot.
          const up = Number(/\[\s*(\d+\.\d{6})\]/.exec(line)![1]);
          if (!kern[2]!.startsWith('Linux version')) assert.ok(up >= lastUptime, `${tree.decky.name}: uptime ${up} after ${lastUptime}: ${line}`);
          lastUptime = up;
          continue;
        }
        const d = /^\S+ +\S+ \S+ \S+ (cron|rsyslogd|systemd-logind|systemd-timesyncd|dbus-daemon)\[(\d+)\]/.exec(line);
        if (d) {
          const before = pids.get(d[1]!);
          if (before !== undefined) assert.is(Number(d[2]), before, `${tree.decky.name} boot ${boot}: ${d[1]} changed PID: ${line}`);
          pids.set(d[1]!, Number(d[2]));
        }
        const c = / CRON\[(\d+)\]: pam_unix\(cron:session\): session opened/.exec(line);
        if (c) {
          assert.ok(Number(c[1]) > lastCron, `cron job PIDs increase: ${line}`);
          lastCron = Number(c[1]);
        }
      }
    }
  }
  // A month rarely holds a reboot: test/boot.test.ts asserts boots over 60-day plans.
});

interface Entry {
  minutes: number[] | null;
  hours: number[] | null;
  dom: number | null;
  dow: number | null;
  command: string;
}

function crontab(tree: DeckyTree): Entry[] {
  const out: Entry[] = [];
  // A star, a star-slash step (every n from 0 below max), or a list.
  const field = (s: string, max = 60): number[] | null => {
    if (s === '*') return null;
    const step = /^\*\/(\d+)$/.exec(s);
    return step ? Array.from({ length: Math.ceil(max / Number(step[1])) }, (_, k) => k * Number(step[1])) : s.split(',').map(Number);
  };
  for (const f of tree.files) {
    if (f.path !== '/etc/crontab' && !f.path.startsWith('/etc/cron.d/')) continue;
    for (const row of text(f).split('\n')) {
      if (row === '' || row.startsWith('#') || /^[A-Z]+=/.test(row)) continue;
      const m = /^(\S+) (\S+)\t(\S+) \* (\S+)\t(\S+)\t(.+)$/.exec(row);
      assert.ok(m, `crontab line ${row}`);
      out.push({ minutes: field(m![1]!), hours: field(m![2]!, 24), dom: field(m![3]!)?.[0] ?? null, dow: field(m![4]!)?.[0] ?? null, command: m![6]! });
    }
  }
  return out;
}

test('cron lines come only from the planted crontab, at its minutes; every command it runs exists', () => {
  for (const p of plans()) {
    for (const tree of p.trees) {
      const entries = crontab(tree);
      assert.ok(entries.length >= 5, 'the run-parts entries, the jobs and the sweep');
      for (const e of entries) {
        const cmd = e.command.split(' ')[0]!;
        if (cmd.startsWith('/')) assert.ok(file(tree, cmd) || STANDARD_TOOLS.includes(cmd), `${tree.decky.name}: ${cmd} exists`);
        else assert.ok(STANDARD_TOOLS.includes(cmd), `${cmd} is a standard tool`);
        if (cmd.startsWith('/usr/local/')) assert.is(file(tree, cmd)!.mode, '0755');
      }
      let cronLines = 0;
      for (const { ms, line } of lines(tree, '/var/log/cron.log')) {
        const m = / CRON\[\d+\]: \((\S+)\) CMD \((.+)\)$/.exec(line);
        if (!m) continue;
        cronLines++;
        const d = new Date(ms - 1000);
        const ok = entries.some((e) => e.command === m[2] && (e.minutes === null || e.minutes.includes(d.getUTCMinutes())) && (e.hours === null || e.hours.includes(d.getUTCHours())) && (e.dom === null || e.dom === d.getUTCDate()) && (e.dow === null || e.dow % 7 === d.getUTCDay()) && d.getUTCSeconds() === 0);
        assert.ok(ok, `${tree.decky.name}: ${line} matches an entry at its minute`);
      }
      assert.ok(cronLines > 7 * 24, `${cronLines} cron runs in the 8 days the rotations keep`);
      // The hourly run-parts fires at one fixed minute on this decky.
      const hourly = new Set(lines(tree, '/var/log/cron.log').filter((l) => l.line.includes('cron.hourly')).map((l) => new Date(l.ms).getUTCMinutes()));
      assert.is(hourly.size, 1);
    }
  }
});

test('find /tmp -mtime +3 finds nothing: the sweep really deletes; find -newer and sort by mtime show a living machine', async () => {
  for (const p of plans()) {
    for (const tree of p.trees) {
      const root = writeTree(tree);
      const tmp = tree.files.filter((f) => f.path.startsWith('/tmp/'));
      for (const f of tmp) assert.ok(p.endMs - f.mtimeMs < 5 * DAY, `${f.path} is ${((p.endMs - f.mtimeMs) / DAY).toFixed(1)} days old`);
      // Sorted by mtime, newest first: the system logs are among the most recent files.
      const found = await execa('find', [root, '-type', 'f', '-printf', '%T@ %P\n']);
      const newest = found.stdout.split('\n').map((l) => ({ t: Number(l.split(' ')[0]), p: l.slice(l.indexOf(' ') + 1) })).sort((a, b) => b.t - a.t);
      assert.ok(newest.slice(0, 10).some((f) => f.p.startsWith('var/log/')), `${tree.decky.name}: ${newest.slice(0, 10).map((f) => f.p).join(', ')}`);
      // find -newer the crontab: the logs, yes; the crontab and job scripts themselves, no.
      const newer = await execa('find', [join(root, 'var/log'), join(root, 'etc'), join(root, 'usr'), '-type', 'f', '-newer', join(root, 'etc/crontab')]);
      const list = newer.stdout.split('\n').map((l) => l.slice(root.length));
      assert.ok(list.includes('/var/log/syslog'));
      assert.not.ok(list.includes('/etc/crontab'));
    }
  }
});

test('over 365 days the logs keep living: last lines within a day of the end, 7 rotations, bodies under 64 KiB', () => {
  const fleet = { file: 'one.json', data: { deckies: [multiTz.data.deckies[1]], personas: multiTz.data.personas } };
  const p = planTrees('in-year', 365, { fleet });
  for (const tree of p.trees) {
    for (const def of MAIN_LOGS) {
      const fam = family(tree, def.path);
      assert.is(fam.length, 8);
      const all = lines(tree, def.path);
      assert.ok(p.endMs - all[all.length - 1]!.ms < DAY, `${def.path}: ${all[all.length - 1]!.line}`);
      for (const f of fam) assert.ok(f.content.bytes <= 64 * 1024);
    }
  }
});

test.run();
