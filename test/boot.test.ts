// A reboot as dmesg, syslog and unattended-upgrades show it: the kernel's first lines carry uptime
// 0 and uptimes never go back within a boot; every reboot in the horizon follows a kernel that
// unattended-upgrades installed (its dpkg log names it) and happens at the decky's own reboot
// time, the next boot runs that kernel, and the upgrade log has its run every morning. Over
// 60-day plans of several seeds, so that deckies reboot in the horizon; each seed planned once.
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelAfter, kernelAt, kernelName } from '../src/machine/kernels.js';
import { UPGRADES_DPKG_LOG, UPGRADES_LOG } from '../src/machine/upgrades.js';
import { type DeckyTree, bodyOf, materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { parseLogStamp, parseSyslogStamp } from '../src/util/time.js';
import { bodyBytes, eventsFor } from './helpers/plan.js';

const SEEDS = ['boot-1', 'boot-2', 'boot-3', 'boot-4'];
const DAYS = 60;
const DAY = 86_400_000;

interface Seen {
  seed: string;
  start: number;
  end: number;
  /** Per decky: boots (instant, kernel name) and shutdowns, from the live logs as written. */
  boots: Map<string, Array<{ ms: number; kernel: string }>>;
  shutdowns: Map<string, number[]>;
  trees: DeckyTree[];
  uptimeFaults: string[];
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
  const events = eventsFor(seed, { days: DAYS });
  const start = Date.parse(events.find((e) => e.job !== 'history')!.at.slice(0, 10) + 'T00:00:00Z');
  const s: Seen = { seed, start, end: start + DAYS * DAY, boots: new Map(), shutdowns: new Map(), trees: [], uptimeFaults: [] };
  const last = new Map<string, number>();
  newLines(events, '/var/log/syslog', (e, line) => {
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

const seen = SEEDS.map(look);

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
