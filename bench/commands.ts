// `npm run bench` (second part) and `npm run bench:commands`: what users wait on, measured as
// whole-process CPU (every thread, start-up included) of the real CLI on the 100 x 30 timeline.
//
// Each round runs every measurement once, back to back, and each command is set against the
// floor measured in the same round; the figures are medians over the rounds (this machine is
// shared: rounds can differ by tens of per cent, so the spread of the ratios is printed too).
//   - CI commands (stats, verify, diff A A, check) against the parse floor: a bare Node process
//     (bench/parse-floor.ts, nothing else imported) that reads the file in 1 MiB chunks and
//     JSON.parses every line.
//   - `plan --out FILE` against the JSON.stringify floor: JSON.stringify of the same events
//     (planned beforehand, untimed) written to a file; and `plan > FILE` beside it.
//   - start-up: `--version` and `plan --days 1` against `node -e ''`.
//
//   node dist/bench/commands.js [--rounds N] [--deckies N] [--days N]
import { execa } from 'execa';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveInputs } from '../src/inputs/resolve.js';
import { plainPlannedEvents } from './events.js';
import { syntheticFleet } from './fleet.js';

const SELF = fileURLToPath(import.meta.url);
const HERE = dirname(SELF);
const CPU_EXIT = join(HERE, 'cpu-exit.js');
const BIN = join(HERE, '..', '..', 'bin', 'run.js');

interface Run {
  cpu: number;
  wall: number;
  exitCode: number;
}

/** One child process; stdout to `stdout` (a file) or discarded. */
async function measure(args: string[], tmp: string, stdout?: string): Promise<Run> {
  const cpuFile = join(tmp, 'cpu.json');
  rmSync(cpuFile, { force: true });
  // The child writes straight into the file (its own descriptor, as with `> FILE` in a shell).
  const fd = stdout ? openSync(stdout, 'w') : null;
  const t0 = performance.now();
  const r = await execa('node', ['--max-old-space-size=4096', '--import', CPU_EXIT, ...args], {
    reject: false,
    env: { BENCH_CPU_OUT: cpuFile },
    // A descriptor number is handed to the child as is (execa's types only name the stream forms).
    stdout: (fd ?? 'ignore') as 'ignore',
    stderr: 'pipe',
  });
  const wall = (performance.now() - t0) / 1000;
  if (fd !== null) closeSync(fd);
  if (r.exitCode !== 0 && !(args.includes('check') && r.exitCode === 1)) console.log(`  (exit ${r.exitCode}: ${args.slice(1).join(' ')}: ${String(r.stderr).split('\n').filter((l) => !l.startsWith('warning')).join(' ').slice(0, 200)})`);
  let cpu: number;
  try {
    cpu = (JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuSeconds: number }).cpuSeconds;
  } catch {
    throw new Error(`bench child failed (${args.join(' ')}): ${String(r.stderr).split('\n')[0]}`);
  }
  return { cpu, wall, exitCode: r.exitCode ?? -1 };
}

/** The serialisation floor: CPU of JSON.stringify of the planned events, written to a file. */
function stringifyFloor(fleet: string, days: number, out: string): void {
  const inp = resolveInputs({ fleet: { file: fleet, data: JSON.parse(readFileSync(fleet, 'utf8')) }, days }).inputs;
  const events = plainPlannedEvents('bench', inp);
  const fd = openSync(out, 'w');
  const c0 = process.cpuUsage();
  let buf = '';
  for (const e of events) {
    buf += JSON.stringify(e) + '\n';
    if (buf.length >= 1 << 16) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  const u = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ cpuSeconds: (u.user + u.system) / 1e6, events: events.length }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

export async function commandsBench(opts: { rounds?: number; deckies?: number; days?: number } = {}): Promise<void> {
  const rounds = opts.rounds ?? 3;
  const deckies = opts.deckies ?? 100;
  const days = opts.days ?? 30;
  const tmp = mkdtempSync(join(tmpdir(), 'decnet-sim-bench-'));
  try {
    const fleet = join(tmp, 'fleet.json');
    writeFileSync(fleet, JSON.stringify(syntheticFleet(deckies)));
    const file = join(tmp, 'timeline.ndjson');
    const planArgs = ['plan', '--fleet', fleet, '--days', String(days), '--seed', 'bench', '--format', 'ndjson'];
    const rows = new Map<string, { cpu: number[]; ratio: number[]; exit: number }>();
    const put = (name: string, r: Run, floor: number): void => {
      let row = rows.get(name);
      if (!row) rows.set(name, (row = { cpu: [], ratio: [], exit: r.exitCode }));
      row.cpu.push(r.cpu);
      row.ratio.push(r.cpu / floor);
    };
    let events = 0;
    for (let round = 0; round < rounds; round++) {
      // Plan first: its output is the timeline the CI commands read.
      const sf = await execa('node', ['--max-old-space-size=4096', SELF, '--stringify-floor', fleet, String(days), join(tmp, 'floor.ndjson')]);
      const sfloor = JSON.parse(String(sf.stdout)) as { cpuSeconds: number; events: number };
      events = sfloor.events;
      put('JSON.stringify floor', { cpu: sfloor.cpuSeconds, wall: 0, exitCode: 0 }, sfloor.cpuSeconds);
      put('plan --out FILE', await measure([BIN, ...planArgs, '--out', file], tmp), sfloor.cpuSeconds);
      put('plan > FILE', await measure([BIN, ...planArgs], tmp, join(tmp, 'stdout.ndjson')), sfloor.cpuSeconds);
      const floor = await measure([join(HERE, 'parse-floor.js'), file], tmp);
      put('parse floor', floor, floor.cpu);
      put('stats FILE', await measure([BIN, 'stats', file], tmp), floor.cpu);
      put('stats FILE --json', await measure([BIN, 'stats', file, '--json'], tmp), floor.cpu);
      put('verify FILE', await measure([BIN, 'verify', file], tmp), floor.cpu);
      put('diff FILE FILE', await measure([BIN, 'diff', file, file], tmp), floor.cpu);
      put('check FILE', await measure([BIN, 'check', file], tmp), floor.cpu);
      const bare = await measure(['-e', ''], tmp);
      put("node -e ''", bare, bare.cpu);
      put('--version', await measure([BIN, '--version'], tmp), bare.cpu);
      put('plan --days 1 (default fleet)', await measure([BIN, 'plan', '--days', '1'], tmp), bare.cpu);
    }
    const group = (title: string, names: string[], against: string): void => {
      console.log(title);
      for (const n of names) {
        const r = rows.get(n)!;
        const lo = Math.min(...r.ratio);
        const hi = Math.max(...r.ratio);
        console.log(`  ${n.padEnd(30)} ${median(r.cpu).toFixed(2).padStart(7)} s CPU  ${median(r.ratio).toFixed(2).padStart(6)}x ${against} (rounds ${lo.toFixed(2)} to ${hi.toFixed(2)})${r.exit !== 0 ? `  exit ${r.exit}` : ''}`);
      }
    };
    console.log(`\nCLI commands, ${deckies} deckies x ${days} days (${events.toLocaleString('en-US')} events, NDJSON), whole-process CPU with start-up, median of ${rounds} paired rounds:`);
    group('plan against the JSON.stringify floor of the same events:', ['JSON.stringify floor', 'plan --out FILE', 'plan > FILE'], 'the floor');
    group('CI commands against the parse floor (read + JSON.parse every line):', ['parse floor', 'stats FILE', 'stats FILE --json', 'verify FILE', 'diff FILE FILE', 'check FILE'], 'the floor');
    group("start-up against a bare node -e '':", ["node -e ''", '--version', 'plan --days 1 (default fleet)'], 'bare node');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--stringify-floor') stringifyFloor(argv[1]!, Number(argv[2]), argv[3]!);
else if (process.argv[1] === SELF) await commandsBench({ rounds: arg('--rounds', 3), deckies: arg('--deckies', 100), days: arg('--days', 30) });
