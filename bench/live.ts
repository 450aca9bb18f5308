// Live execution benchmark (needs a Docker engine and the simtest/busybox:1 image; see
// scripts/docker-test-env.sh). Measures, in one run:
//  - the bare round trip `docker exec <c> true`,
//  - one driver write (read-back check, temp file, chmod, chown, touch, rename) and one probe,
//  - a whole plan applied by `run` (state, journal, lanes) at --concurrency 1 and 4,
//  - `bake` of 100 deckies x 30 days, and the tar packer's output rate,
// and prints actions per second, the per-action overhead against the bare round trip, and the
// speed-up of 4 lanes over 1.
//   npm run bench:live            (BENCH_DAYS, BENCH_INTERVAL, BENCH_REPS override the size;
//                                  BENCH_ONLY=bake runs only the bake part)
import { execa } from 'execa';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { stateYear } from './state-year.js';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bake } from '../src/bake/bake.js';
import { LayerBuilder } from '../src/bake/layer.js';
import { packLayer } from '../src/bake/tar.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { DockerDriver } from '../src/live/docker.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import { runLive } from '../src/live/run.js';
import { sha256Hex } from '../src/util/hash.js';

const IMAGE = process.env.SIMTEST_IMAGE ?? 'simtest/busybox:1';
const REPS = Number(process.env.BENCH_REPS ?? 40);
const DAYS = process.env.BENCH_DAYS ?? '1';
const INTERVAL = Number(process.env.BENCH_INTERVAL ?? 900);
const LANES = 4;
const names = Array.from({ length: LANES }, (_, i) => `simtest-bench-${i}`);

async function dk(args: string[]): Promise<string> {
  const r = await execa('docker', args, { reject: false });
  if (r.exitCode !== 0) throw new Error(`docker ${args[0]}: ${String(r.stderr).trim()}`);
  return String(r.stdout);
}

async function fresh(): Promise<void> {
  await execa('docker', ['rm', '-f', ...names], { reject: false });
  await Promise.all(names.map((n) => dk(['run', '-d', '--init', '--network', 'none', '--label', 'simtest=1', '--name', n, IMAGE, 'sleep', '1000000'])));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function main(): Promise<void> {
  if ((await execa('docker', ['info'], { reject: false })).exitCode !== 0) {
    console.error('bench:live needs a Docker engine: run scripts/docker-test-env.sh start');
    process.exit(2);
  }
  await fresh();
  const c = names[0]!;
  const driver = new DockerDriver();
  const body = Buffer.from('x'.repeat(1024) + '\n');
  const sha = sha256Hex(body);
  // Warm up, then interleave so drift affects both the same way.
  for (let i = 0; i < 3; i++) await dk(['exec', c, 'true']);
  const bare: number[] = [];
  const write: number[] = [];
  const probe: number[] = [];
  for (let i = 0; i < REPS; i++) {
    bare.push(await timeIt(() => execa('docker', ['exec', c, 'true'])));
    write.push(await timeIt(() => driver.write({ container: c, docker: null, path: `/home/johnsmith/bench/f-${i}.txt`, mode: '0644', owner: 'johnsmith', mtime: '2026-01-05T09:30:00.123456789Z', atime: '2026-01-05T09:30:00.123456789Z', dirTime: '2026-01-05T09:30:00.123456789Z', dirMode: '0755', expectSha: null, newSha: sha, body })));
    probe.push(await timeIt(() => driver.probe({ container: c, docker: null, address: '127.0.0.1', port: 22, timeoutSeconds: 2 })));
  }

  // The engine's own ceiling: bare round trips on 4 containers at once vs one after another.
  const N = REPS;
  const seqMs = await timeIt(async () => {
    for (let i = 0; i < N; i++) await execa('docker', ['exec', names[i % LANES]!, 'true']);
  });
  const parMs = await timeIt(() => Promise.all(names.map(async (n) => {
    for (let i = 0; i < N / LANES; i++) await execa('docker', ['exec', n, 'true']);
  })));
  const ceiling = seqMs / parMs;

  // Whole runs through the CLI's code path.
  const dir = mkdtempSync(join(tmpdir(), 'simtest-bench-'));
  const fleet = join(dir, 'fleet.json');
  const fleetDoc = { deckies: names.map((n, i) => ({ name: `b${i}`, container: n, address: '127.0.0.1' })) };
  writeFileSync(fleet, JSON.stringify(fleetDoc));
  const runs: Record<number, { ms: number; calls: number; events: number }> = {};
  for (const conc of [1, LANES]) {
    await fresh();
    const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
    const t = performance.now();
    const rep = await runLive({
      seed: 'bench',
      raw: { fleet: { file: fleet, data: fleetDoc }, start: '2026-01-05T00:00:00Z', days: Number(DAYS), interval: INTERVAL },
      pace: 'asap',
      concurrency: conc,
      state: join(dir, `state-${conc}.db`),
      progress: false,
      signals: false,
      err: sink,
    });
    const ms = performance.now() - t;
    const s = rep.summary as { events: number; failed: number };
    if (s.failed > 0) throw new Error(`bench run at concurrency ${conc} had failures`);
    runs[conc] = { ms, calls: 0, events: s.events };
  }
  // Calls = file + traffic events (quiet ones make none): count from the state of one run.
  const { StateStore } = await import('../src/state/store.js');
  const st = await StateStore.open(join(dir, 'state-1.db'), { create: false });
  const calls = (st.all<{ n: number }>("SELECT COUNT(*) AS n FROM applied_events WHERE kind != 'quiet'")[0]!).n;
  st.close({ save: false });
  for (const k of Object.keys(runs)) runs[Number(k)]!.calls = calls;
  const stateBytes = statSync(join(dir, 'state-1.db')).size;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  rmSync(dir, { recursive: true, force: true });
  await execa('docker', ['rm', '-f', ...names], { reject: false });

  const b = median(bare);
  const w = median(write);
  const p = median(probe);
  const r1 = runs[1]!;
  const r4 = runs[LANES]!;
  const perAction1 = r1.ms / r1.calls;
  const speedup = r1.ms / r4.ms;
  const line = (k: string, v: string) => console.log(`${k.padEnd(44)} ${v}`);
  console.log(`live bench: ${cpus().length} cores, ${REPS} samples each, plan of ${r1.events} events (${calls} docker calls) on ${LANES} deckies`);
  line('bare `docker exec <c> true` (median)', `${b.toFixed(1)} ms`);
  line('driver write, 1 KiB (median)', `${w.toFixed(1)} ms  (${(w / b).toFixed(2)}x bare)`);
  line('driver SSH probe (median)', `${p.toFixed(1)} ms  (${(p / b).toFixed(2)}x bare)`);
  line('run --concurrency 1: actions per second', `${(r1.calls / (r1.ms / 1000)).toFixed(1)}  (${perAction1.toFixed(1)} ms per action, ${(perAction1 / b).toFixed(2)}x bare)`);
  line(`run --concurrency ${LANES}: actions per second`, `${(r4.calls / (r4.ms / 1000)).toFixed(1)}`);
  line(`speed-up, concurrency ${LANES} vs 1`, `${speedup.toFixed(2)}x`);
  line(`engine ceiling: bare exec, ${LANES} at once vs 1`, `${ceiling.toFixed(2)}x  (what this machine allows at all)`);
  line('target: per-action overhead <= 1.3x bare', perAction1 / b <= 1.3 ? 'met' : `missed (${(perAction1 / b).toFixed(2)}x)`);
  line(`target: concurrency ${LANES} >= 2.5x faster than 1`, speedup >= 2.5 ? 'met' : `missed (${speedup.toFixed(2)}x)`);
  line('state file per 1,000 applied events', `${((stateBytes / calls) * 1000 / 1024).toFixed(1)} KiB  (${(stateBytes / 1024).toFixed(0)} KiB for ${calls} calls)`);
  line('peak RSS of this process', `${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  if (process.env.BENCH_SKIP_YEAR !== '1') {
    console.log('');
    await stateYear();
  }
}

/**
 * bake: 100 deckies x 30 days to layers on disk (plan, materialise, pack, write: what the
 * operator waits for), and the tar output rate of the packer alone over the same layers (median
 * of 3 passes, one core: the packer is single-threaded JavaScript).
 */
async function bakeBench(): Promise<void> {
  const fleetDoc = { deckies: Array.from({ length: 100 }, (_, i) => ({ name: `d${String(i).padStart(3, '0')}`, services: ['ssh'] })) };
  const raw = { fleet: { file: 'fleet.json', data: fleetDoc }, start: '2026-01-05T00:00:00Z', days: 30 };
  const dir = mkdtempSync(join(tmpdir(), 'simtest-bake-'));
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  try {
    const t = performance.now();
    const rep = await bake({ seed: 'bench', raw, outDir: dir, err: sink });
    const wholeS = (performance.now() - t) / 1000;
    const { inputs } = resolveInputs(raw);
    const b = new LayerBuilder(Date.parse(inputs.end), Date.parse(inputs.start));
    for (const ev of planEvents(buildContext('bench', inputs))) b.apply(ev);
    const layers = b.layers(inputs.fleet, inputs.personas);
    const rates: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      let bytes = 0;
      const t0 = performance.now();
      for (const l of layers) bytes += await packLayer(l.entries, () => {});
      rates.push(bytes / 1e6 / ((performance.now() - t0) / 1000));
    }
    const line = (k: string, v: string) => console.log(`${k.padEnd(44)} ${v}`);
    line('bake 100 deckies x 30 days (plan to files)', `${wholeS.toFixed(2)} s, ${(rep.tarBytes / 1e6).toFixed(1)} MB of layers, ${(rep.tarBytes / 1e6 / wholeS).toFixed(1)} MB/s`);
    line('bake: tar output of the packer (median of 3)', `${median(rates).toFixed(1)} MB/s`);
    line('target: tar output >= 100 MB/s on one core', median(rates) >= 100 ? 'met' : `missed (${median(rates).toFixed(1)} MB/s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// BENCH_ONLY=bake measures the bake alone (no Docker engine needed).
(process.env.BENCH_ONLY === 'bake' ? bakeBench() : main().then(bakeBench)).catch((e) => {
  console.error(`bench:live failed: ${(e as Error).message}`);
  process.exit(1);
});
