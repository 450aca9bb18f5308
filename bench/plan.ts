// `npm run bench`: planning throughput and memory, each measurement in a fresh child process.
//
//   node dist/bench/plan.js            full grid: 10, 100, 1000 deckies x 7, 30, 365 days
//   node dist/bench/plan.js --quick    10 and 100 deckies x 7 and 30 days
//
// Then (bench/commands.ts) the CLI commands users wait on, on the 100 x 30 timeline (100 x 7
// with --quick): each CI command's whole-process CPU against the parse floor, plan --out
// against the JSON.stringify floor, and start-up against bare Node, in paired rounds.
//
// Per cell: events/s and MB/s of NDJSON written to /dev/null (plan time only, process start-up
// excluded), and the child's peak RSS. Then the scaling exponent of time against
// deckies x days, 100 x 30 with the whole process pinned to one CPU, the JSON.stringify
// serialisation floor for 100 x 30, and the --workers 2 speed-up on the same cell.
import { execa } from 'execa';
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { timelineChunks } from '../src/app/plan.js';
import type { RenderResult } from '../src/timeline/render.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { parallelTimelineChunks } from '../src/parallel/plan.js';
import { commandsBench } from './commands.js';
import { plainPlannedEvents } from './events.js';
import { syntheticFleet } from './fleet.js';

interface Cell {
  deckies: number;
  days: number;
  workers: number;
  events: number;
  bytes: number;
  seconds: number;
  rssMiB: number;
}

const SELF = fileURLToPath(import.meta.url);

function inputs(deckies: number, days: number) {
  return resolveInputs({ fleet: { file: 'bench', data: syntheticFleet(deckies) }, days }).inputs;
}

async function child(deckies: number, days: number, workers: number): Promise<void> {
  const inp = inputs(deckies, days);
  const fd = openSync('/dev/null', 'w');
  const result: RenderResult = {};
  let bytes = 0;
  const t0 = performance.now();
  const chunks = workers > 1 ? parallelTimelineChunks('bench', inp, 'ndjson', workers, result) : timelineChunks('bench', inp, 'ndjson', result);
  // writeSync returns the bytes it wrote: no second pass over the output to count them.
  for await (const c of chunks) bytes += typeof c === 'string' ? writeSync(fd, c) : writeSync(fd, c);
  const seconds = (performance.now() - t0) / 1000;
  closeSync(fd);
  const cell: Cell = { deckies, days, workers, events: result.summary!.events, bytes, seconds, rssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(cell));
}

/** Engine time vs JSON.stringify time for the same events (the serialisation floor). */
async function floor(deckies: number, days: number): Promise<void> {
  const inp = inputs(deckies, days);
  const events = plainPlannedEvents('bench', inp);
  const fd = openSync('/dev/null', 'w');
  const t0 = performance.now();
  let buf = '';
  for (const e of events) {
    buf += JSON.stringify(e) + '\n';
    if (buf.length > 1 << 16) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  const seconds = (performance.now() - t0) / 1000;
  closeSync(fd);
  process.stdout.write(JSON.stringify({ events: events.length, seconds }));
}

/** A child run; `cpus` pins the whole process (V8's helper threads too) to those CPUs. */
async function once(args: string[], nodeFlags: string[] = [], cpus?: string): Promise<Cell> {
  const argv = ['--max-old-space-size=4096', ...nodeFlags, SELF, ...args];
  const r = cpus === undefined ? await execa('node', argv, { maxBuffer: 1 << 20 }) : await execa('taskset', ['-c', cpus, 'node', ...argv], { maxBuffer: 1 << 20 });
  return JSON.parse(String(r.stdout)) as Cell;
}

/**
 * A cell measured in fresh processes: the fastest of three runs (the machine is a shared VM whose
 * speed drifts by several per cent between runs), with the highest peak RSS of the three. Cells
 * that take over 20 s run once.
 */
async function run(args: string[], nodeFlags: string[] = [], cpus?: string): Promise<Cell> {
  const first = await once(args, nodeFlags, cpus);
  if (first.seconds > 20) return first;
  const all = [first, await once(args, nodeFlags, cpus), await once(args, nodeFlags, cpus)];
  const best = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...best, rssMiB: Math.max(...all.map((c) => c.rssMiB)) };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const fleets = quick ? [10, 100] : [10, 100, 1000];
  const horizons = quick ? [7, 30] : [7, 30, 365];
  console.log(`decnet-sim plan benchmark (node ${process.version}, NDJSON to /dev/null, one planning thread unless noted, fastest of 3 fresh processes for cells under 20 s)`);
  console.log('deckies  days      events   seconds    events/s     MB/s   peak RSS MiB');
  const cells: Cell[] = [];
  for (const d of fleets) {
    for (const h of horizons) {
      const c = await run(['--child', String(d), String(h), '1']);
      cells.push(c);
      console.log(`${String(d).padStart(7)} ${String(h).padStart(5)} ${fmt(c.events).padStart(11)} ${fmt(c.seconds, 2).padStart(9)} ${fmt(c.events / c.seconds).padStart(11)} ${fmt(c.bytes / 1e6 / c.seconds, 1).padStart(8)} ${fmt(c.rssMiB, 0).padStart(14)}`);
    }
  }
  // Least-squares slope of log(time) against log(deckies x days): 1.0 is linear scaling.
  const pts = cells.filter((c) => c.seconds > 0.5).map((c) => [Math.log(c.deckies * c.days), Math.log(c.seconds)] as const);
  if (pts.length >= 3) {
    const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    const slope = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
    console.log(`scaling exponent (time ~ (deckies x days)^k): k = ${slope.toFixed(3)} over ${pts.length} cells`);
  }
  const ref = cells.find((c) => c.deckies === 100 && c.days === 30);
  if (ref) {
    const f = JSON.parse(String((await execa('node', ['--max-old-space-size=4096', SELF, '--floor', '100', '30'])).stdout)) as { events: number; seconds: number };
    // "One core" above means one planning thread; V8's compiler and GC threads still use the
    // second core. Pinned to a single CPU they share it with the planning thread.
    try {
      const p = await run(['--child', '100', '30', '1'], [], '0');
      console.log(`pinned to one CPU (taskset -c 0), 100 x 30: ${fmt(p.seconds, 2)} s, ${fmt(p.events / p.seconds)} events/s`);
    } catch (e) {
      console.log(`pinned to one CPU: not measured (taskset failed: ${(e as Error).message.split('\n')[0]})`);
    }
    console.log(`serialisation floor, 100 x 30: JSON.stringify of the same ${fmt(f.events)} events takes ${fmt(f.seconds, 2)} s (${fmt(f.events / f.seconds)} events/s); plan takes ${fmt(ref.seconds / f.seconds, 2)}x the floor`);
    const w2 = await run(['--child', '100', '30', '2']);
    console.log(`--workers 2, 100 x 30: ${fmt(w2.seconds, 2)} s, ${fmt(w2.events / w2.seconds)} events/s, ${fmt(ref.seconds / w2.seconds, 2)}x the one-worker speed, peak RSS ${fmt(w2.rssMiB)} MiB`);
    // A single planning thread already keeps more than one core busy (V8's GC and compiler
    // threads), so on a 2-core machine two planning threads compete for the same cores. With V8
    // confined to the planning threads (--single-threaded) the speed-up of the sharding itself shows.
    const s1 = await run(['--child', '100', '30', '1'], ['--single-threaded']);
    const s2 = await run(['--child', '100', '30', '2'], ['--single-threaded']);
    console.log(`--workers 2 vs 1 with V8 helper threads off (node --single-threaded), 100 x 30: ${fmt(s1.seconds, 2)} s -> ${fmt(s2.seconds, 2)} s, ${fmt(s1.seconds / s2.seconds, 2)}x`);
  }
  await commandsBench({ deckies: 100, days: quick ? 7 : 30 });
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(Number(argv[1]), Number(argv[2]), Number(argv[3]));
else if (argv[0] === '--floor') await floor(Number(argv[1]), Number(argv[2]));
else await main();
