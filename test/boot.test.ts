// A reboot as dmesg, syslog and unattended-upgrades show it: the kernel's first lines carry uptime
// 0 and uptimes never go back within a boot; every reboot in the horizon follows a kernel that
// unattended-upgrades installed (its dpkg log names it) and happens at the decky's own reboot
// time, the next boot runs that kernel, and the upgrade log has its run every morning. Over
// 60-day plans of several seeds, so that deckies reboot in the horizon; each seed planned once.
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelAfter, kernelAt, kernelName } from '../src/machine/kernels.js';
import { APT_HISTORY_LOG, DPKG_LOG, UPGRADES_DPKG_LOG, UPGRADES_LOG } from '../src/machine/upgrades.js';
import { type DeckyTree, bodyOf, materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { parseLogStamp, parseSyslogStamp } from '../src/util/time.js';
import { APP_LOGS } from '../src/realism/words.js';
import { bodyBytes, eventsFor } from './helpers/plan.js';

const SEEDS = ['boot-1', 'boot-2', 'boot-3', 'boot-4'];
const DAYS = 60;
// Debian's kernels of early 2026 come out on Jan 8, Jan 29 and Mar 8: two reboots in the horizon,
// the last within the applications' shortest retention of the end.
const START = '2026-01-20T00:00:00Z';
const DAY = 86_400_000;

interface Seen {
  seed: string;
  start: number;
  end: number;
  /** Per decky: boots (instant, kernel name) and shutdowns, from the live logs as written. */
  boots: Map<string, Array<{ ms: number; kernel: string }>>;
  shutdowns: Map<string, number[]>;
  /** Per decky: the applications systemd started, with the instants. */
  started: Map<string, Array<{ ms: number; app: string }>>;
  trees: DeckyTree[];
  uptimeFaults: string[];
  /** Per decky: rsyslogd's "was HUPed" lines (logrotate's postrotate, once a day). */
  hups: Map<string, number>;
  /** Per decky: systemd's Starting and Started lines of services (instant, verb, unit). */
  units: Map<string, Array<{ ms: number; verb: string; unit: string }>>;
}

/** New lines of a live log, event by event (an edit appends to what the decky's file held). */
function newLines(events: TimelineEvent[], path: string, each: (e: TimelineEvent, line: string) => void): void {
  const seen = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'file' || e.path !== path || !e.content || e.job === 'history') continue;
    const body = bodyBytes(e).toString('utf8');
    const from = e.action === 'file:edit' ? (seen.get(e.decky.uuid) ?? 0) : 0;
    seen.set(e.decky.uuid, body.length);
    for (const line of body.slice(from).split('\n')) if (line !== '') each(e, line);
  }
}

function look(seed: string): Seen {
  const events = eventsFor(seed, { start: START, days: DAYS });
  const start = Date.parse(events.find((e) => e.job !== 'history')!.at.slice(0, 10) + 'T00:00:00Z');
  const s: Seen = { seed, start, end: start + DAYS * DAY, boots: new Map(), shutdowns: new Map(), started: new Map(), trees: [], uptimeFaults: [], hups: new Map(), units: new Map() };
  const last = new Map<string, number>();
  newLines(events, '/var/log/syslog', (e, line) => {
    if (/ rsyslogd\[\d+\]: \[origin software="rsyslogd" .*\] rsyslogd was HUPed$/.test(line)) s.hups.set(e.decky.name, (s.hups.get(e.decky.name) ?? 0) + 1);
    const u = / systemd\[1\]: (Starting|Started) ([a-z-]+\.service) - /.exec(line);
    if (u) {
      const list = s.units.get(e.decky.name) ?? [];
      list.push({ ms: parseSyslogStamp(line, s.end)!, verb: u[1]!, unit: u[2]! });
      s.units.set(e.decky.name, list);
    }
    const st = / systemd\[1\]: Started ([a-z]+)\.service - /.exec(line);
    if (st && APP_LOGS.includes(st[1]!)) {
      const list = s.started.get(e.decky.name) ?? [];
      list.push({ ms: parseSyslogStamp(line, s.end)!, app: st[1]! });
      s.started.set(e.decky.name, list);
    }
    const k = / kernel: \[\s*(\d+\.\d{6})\] (.*)$/.exec(line);
    if (!k) return;
    const up = Number(k[1]);
    const prev = last.get(e.decky.name) ?? -1;
    if (k[2]!.startsWith('Linux version')) {
      if (up !== 0) s.uptimeFaults.push(line);
      const list = s.boots.get(e.decky.name) ?? [];
      list.push({ ms: parseSyslogStamp(line, s.end)!, kernel: /^Linux version (\S+)/.exec(k[2]!)![1]! });
      s.boots.set(e.decky.name, list);
    } else if (prev >= 0 && up < prev) s.uptimeFaults.push(`${e.decky.name}: uptime ${up} after ${prev}: ${line}`);
    last.set(e.decky.name, up);
  });
  newLines(events, '/var/log/auth.log', (e, line) => {
    if (!line.endsWith('The system will reboot now!')) return;
    const list = s.shutdowns.get(e.decky.name) ?? [];
    list.push(parseSyslogStamp(line, s.end)!);
    s.shutdowns.set(e.decky.name, list);
  });
  s.trees = materialise(events);
  return s;
}

// Planned once for the tests below and released after them: uvu runs every suite in one process,
// and four 60-day plans kept for its whole life took CI's heap past its limit.
let seen: Seen[] = [];
test.before(() => {
  seen = SEEDS.map(look);
});
test.after(() => {
  seen = [];
});

/** Every line of a log and its rotations, oldest first. */
function family(tree: DeckyTree, path: string): string[] {
  const files = tree.files.filter((f) => f.path === path || f.path.startsWith(`${path}.`));
  const order = (p: string) => (p === path ? 0 : Number(/\.(\d+)(\.gz)?$/.exec(p)![1]));
  files.sort((a, b) => order(b.path) - order(a.path));
  return files.flatMap((f) => {
    const raw = bodyOf(f.content);
    return (f.path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter((l) => l !== '');
  });
}

test('kernel lines of a boot: uptime 0 first, then ascending', () => {
  let boots = 0;
  for (const s of seen) {
    assert.equal(s.uptimeFaults, [], s.seed);
    // logrotate's daily run makes rsyslogd reopen its files, which it logs in the new syslog.
    for (const tree of s.trees) assert.ok((s.hups.get(tree.decky.name) ?? 0) >= DAYS - 1, `${s.seed} ${tree.decky.name}: ${s.hups.get(tree.decky.name)} HUPs in ${DAYS} days`);
    for (const b of s.boots.values()) boots += b.length;
  }
  assert.ok(boots >= 2, `only ${boots} reboots in the horizons`);
});

test('each reboot follows a kernel unattended-upgrades installed, at the decky\'s reboot time, and boots that kernel', () => {
  let reboots = 0;
  for (const s of seen) {
    for (const tree of s.trees) {
      const name = tree.decky.name;
      const boots = s.boots.get(name) ?? [];
      const downs = s.shutdowns.get(name) ?? [];
      assert.is(downs.length, boots.length, `${s.seed} ${name}: a shutdown for each boot`);
      const uu = family(tree, UPGRADES_LOG);
      const dpkg = family(tree, UPGRADES_DPKG_LOG);
      // Installs: the dpkg log's kernel, the instant the run that installed it said it would reboot.
      const installs: Array<{ kernel: string; ms: number }> = [];
      for (const l of dpkg) {
        const m = /^Setting up linux-image-(6\.1\.0-\d+-amd64) /.exec(l);
        if (m) installs.push({ kernel: m[1]!, ms: NaN });
      }
      const rebooting = uu.filter((l) => l.endsWith('WARNING Found /var/run/reboot-required, rebooting')).map((l) => parseLogStamp(l, s.end)!);
      assert.is(rebooting.length, installs.length, `${s.seed} ${name}: one "rebooting" line per kernel installed`);
      installs.forEach((x, i) => (x.ms = rebooting[i]!));
      // apt's history and dpkg's own log record the same installs.
      const history = family(tree, APT_HISTORY_LOG).filter((l) => l.startsWith('Install: ')).map((l) => /linux-image-(\S+):amd64/.exec(l)![1]);
      const dpkgDone = family(tree, DPKG_LOG).filter((l) => / status installed linux-image-6/.test(l)).map((l) => /linux-image-(\S+):amd64/.exec(l)![1]);
      assert.equal(history, installs.map((x) => x.kernel), `${s.seed} ${name}: apt's history`);
      assert.equal(dpkgDone, installs.map((x) => x.kernel), `${s.seed} ${name}: dpkg.log`);
      const timesOfDay = new Set(downs.map((d) => d % DAY));
      assert.ok(timesOfDay.size <= 1, `${s.seed} ${name}: reboots at several times of day`);
      for (let i = 0; i < boots.length; i++) {
        const b = boots[i]!;
        const d = downs[i]!;
        assert.ok(d < b.ms && b.ms - d <= 120_000, `${s.seed} ${name}: boot ${new Date(b.ms).toISOString()} not just after its shutdown`);
        const tod = d % DAY;
        assert.ok(tod >= 2 * 3_600_000 && tod <= 5.5 * 3_600_000 && tod % 1_800_000 < 2_000, `${s.seed} ${name}: reboot at ${new Date(d).toISOString()} is not a round time of night`);
        // The newest kernel installed before the shutdown, within the day before it, is the one booted.
        const inst = installs.filter((x) => x.ms < d).pop();
        assert.ok(inst !== undefined && d - inst.ms < DAY, `${s.seed} ${name}: no kernel installed in the day before the reboot at ${new Date(d).toISOString()}`);
        assert.is(b.kernel, inst!.kernel, `${s.seed} ${name}: booted another kernel than the one installed`);
        if (i > 0) assert.ok(b.kernel !== boots[i - 1]!.kernel, `${s.seed} ${name}: rebooted into the same kernel`);
        reboots++;
      }
      // One run a morning, every day of the horizon (the machine is never down at 06:10-07:00).
      const runs = uu.filter((l) => l.endsWith(' INFO Starting unattended upgrades script')).map((l) => parseLogStamp(l, s.end)!);
      for (let day = s.start; day < s.end - DAY; day += DAY) {
        const n = runs.filter((t) => t >= day && t < day + DAY).length;
        assert.is(n, 1, `${s.seed} ${name}: ${n} runs on ${new Date(day).toISOString().slice(0, 10)}`);
      }
    }
  }
  assert.ok(reboots >= 6, `only ${reboots} reboots`);
});

test('applications stop at a shutdown and start after the boot: no line while down, one PID per boot', () => {
  let checked = 0;
  let restarts = 0;
  for (const s of seen) {
    for (const tree of s.trees) {
      const name = tree.decky.name;
      const boots = s.boots.get(name) ?? [];
      const downs = s.shutdowns.get(name) ?? [];
      const started = s.started.get(name) ?? [];
      const apps = APP_LOGS.filter((a) => tree.files.some((f) => f.path.startsWith(`/var/log/${a}/`)));
      for (const b of boots) {
        for (const app of apps) assert.ok(started.some((x) => x.app === app && x.ms >= b.ms && x.ms - b.ms <= 30_000), `${s.seed} ${name}: ${app} not started after the boot at ${new Date(b.ms).toISOString()}`);
      }
      // The boot each instant falls in (index into boots; -1 the one before the horizon's first),
      // or null while the machine is down or the applications are starting.
      const bootOf = (t: number): number | null => {
        for (let i = 0; i < downs.length; i++) if (t >= downs[i]! && t < boots[i]!.ms + 30_000) return null;
        let k = -1;
        while (k + 1 < boots.length && boots[k + 1]!.ms <= t) k++;
        return k;
      };
      for (const app of apps) {
        const pids = new Map<number, number>();
        for (const f of tree.files.filter((x) => x.path.startsWith(`/var/log/${app}/`))) {
          for (const line of bodyOf(f.content).toString('utf8').split('\n')) {
            const m = new RegExp(` ${app}\\[(\\d+)\\]: `).exec(line);
            if (!m) continue;
            const t = parseSyslogStamp(line, s.end)!;
            const k = bootOf(t);
            assert.ok(k !== null, `${s.seed} ${name}: ${app} wrote while the machine was down or starting: ${line}`);
            const pid = Number(m[1]);
            const had = pids.get(k!);
            assert.ok(had === undefined || had === pid, `${s.seed} ${name}: ${app} has PIDs ${had} and ${pid} in one boot`);
            pids.set(k!, pid);
            checked++;
          }
        }
        const distinct = new Set(pids.values());
        assert.is(distinct.size, pids.size, `${s.seed} ${name}: ${app} kept its PID across a reboot`);
        if (pids.size > 1) restarts++;
      }
    }
  }
  assert.ok(checked > 1000 && restarts >= 3, `${checked} lines, ${restarts} applications seen over a reboot`);
});

test('a boot starts its units as systemd logs them: Starting then Started for the units that tell systemd they are ready, Started alone for cron and dbus', () => {
  const NOTIFY = ['systemd-journald.service', 'systemd-udevd.service', 'systemd-timesyncd.service', 'systemd-logind.service', 'rsyslog.service', 'ssh.service'];
  let boots = 0;
  for (const s of seen) {
    for (const [name, list] of s.boots) {
      const units = s.units.get(name) ?? [];
      for (const b of list) {
        const early = units.filter((u) => u.ms >= b.ms && u.ms <= b.ms + 20_000);
        for (const unit of [...NOTIFY, 'cron.service', 'dbus.service']) {
          const starting = early.findIndex((u) => u.unit === unit && u.verb === 'Starting');
          const started = early.findIndex((u) => u.unit === unit && u.verb === 'Started');
          assert.ok(started >= 0, `${s.seed} ${name}: ${unit} not started after the boot at ${new Date(b.ms).toISOString()}`);
          if (NOTIFY.includes(unit)) assert.ok(starting >= 0 && starting < started, `${s.seed} ${name}: ${unit} Started without its Starting`);
          else assert.is(starting, -1, `${s.seed} ${name}: ${unit} is a simple unit, systemd logs no Starting for it`);
        }
        boots++;
      }
    }
  }
  assert.ok(boots >= 8, `only ${boots} boots seen`);
});

test('a timer\'s daily instant is drawn afresh each day (no fixed step from one day to the next)', () => {
  let decks = 0;
  for (const s of seen) {
    for (const tree of s.trees) {
      const starts = family(tree, UPGRADES_LOG).filter((l) => l.endsWith(' INFO Starting unattended upgrades script')).map((l) => parseLogStamp(l, s.end)! % DAY);
      if (starts.length < 30) continue;
      // Day-to-day steps of the time of day, to the minute: independent days rarely take the
      // same step twice running (about one in fifty in a 50-minute window).
      const steps = starts.slice(1).map((t, i) => Math.round((t - starts[i]!) / 60_000));
      const repeats = steps.slice(1).filter((k, i) => k === steps[i]).length;
      assert.ok(repeats / (steps.length - 1) < 0.15, `${s.seed} ${tree.decky.name}: the same step twice running ${repeats} times in ${steps.length - 1}`);
      decks++;
    }
  }
  assert.ok(decks >= 8, `${decks} deckies`);
});

test('kernel releases: ABI and upstream patch climb with the date; a release follows each', () => {
  let prev = kernelAt(Date.parse('2023-01-01'));
  for (let t = Date.parse('2023-06-01'); t < Date.parse('2030-01-01'); t += 5 * DAY) {
    const k = kernelAt(t);
    assert.ok(k.ms <= t && k.abi >= prev.abi && k.patch >= prev.patch && k.ms >= prev.ms, kernelName(k));
    const n = kernelAfter(k.abi);
    assert.ok(n.ms > t && n.abi > k.abi && n.ms - k.ms <= 75 * DAY, `${kernelName(n)} after ${kernelName(k)}`);
    prev = k;
  }
});

test.run();
