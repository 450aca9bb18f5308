// `npm run bench:upstream`: the Python original's planner against this engine on the same fleet
// and virtual horizon, equal work per plan (body, sha256, one JSON line written), loop CPU only.
//
//   UPSTREAM_DIR=/path/to/DECNET npm run bench:upstream [-- --deckies N --days N --rounds N]
//
// UPSTREAM_DIR is a folder holding the original's `decnet/` package (a clone of its repository);
// nothing of it is vendored here. bench/upstream_planner.py drives it: per tick of each decky,
// traffic or file 50/50, and a file tick asks the original's realism planner (`pick`) for that
// decky. Ours runs in a fresh Node process: the NDJSON timeline written to /dev/null.
import { execa } from 'execa';
import { existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timelineChunks } from '../src/app/plan.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import type { RenderResult } from '../src/timeline/render.js';
import { buildOrganisation } from '../src/world/organisation.js';
import { syntheticFleet } from './fleet.js';

const SELF = fileURLToPath(import.meta.url);
const HARNESS = join(dirname(SELF), '..', '..', 'bench', 'upstream_planner.py');

interface Counts {
  cpuSeconds: number;
  fileUnits: number;
  allUnits: number;
}

function inputs(deckies: number, days: number) {
  return resolveInputs({ fleet: { file: 'bench', data: syntheticFleet(deckies) }, days }).inputs;
}

/** Ours, in this (fresh) process: loop CPU of planning and writing the NDJSON timeline. */
function ours(deckies: number, days: number): void {
  const inp = inputs(deckies, days);
  const fd = openSync('/dev/null', 'w');
  const result: RenderResult = {};
  const c0 = process.cpuUsage();
  for (const c of timelineChunks('bench', inp, 'ndjson', result)) writeSync(fd, c);
  const u = process.cpuUsage(c0);
  closeSync(fd);
  const k = result.summary!.byKind;
  const out: Counts = { cpuSeconds: (u.user + u.system) / 1e6, fileUnits: k.file ?? 0, allUnits: (k.file ?? 0) + (k.traffic ?? 0) };
  process.stdout.write(JSON.stringify(out));
}

async function upstream(dir: string, deckies: number, days: number, mode: 'fleet' | 'decky'): Promise<Counts & { python: string }> {
  const inp = inputs(deckies, days);
  const org = buildOrganisation('bench', inp);
  const job = {
    seed: 'bench',
    mode,
    // The addresses the organisation gives the personas (a fleet file may leave `email` empty).
    personas: inp.personas.map((p) => ({ name: p.name, email: p.email || org.colleagues.find((c) => c.name === p.name)!.email, role: p.role, active_hours: p.active_hours })),
    deckies: inp.fleet.map((d) => ({ uuid: d.uuid, name: d.name, address: d.address, personas: d.personas })),
    startMs: Date.parse(inp.start),
    endMs: Date.parse(inp.end),
    interval: inp.interval,
  };
  const r = await execa('python3', [HARNESS], { input: JSON.stringify(job), env: { UPSTREAM_DIR: dir }, reject: false });
  if (r.exitCode !== 0) throw new Error(`the original's planner failed: ${String(r.stderr).trim().split('\n').slice(-1)[0]}`);
  const o = JSON.parse(String(r.stdout)) as { plans: number; traffic: number; cpuSeconds: number; python: string };
  return { cpuSeconds: o.cpuSeconds, fileUnits: o.plans, allUnits: o.plans + o.traffic, python: o.python };
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

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const dir = process.env.UPSTREAM_DIR;
  if (!dir) {
    console.log('bench:upstream compares this engine with the Python original, which is not shipped here.');
    console.log('Get it:  git clone https://github.com/4nt11/DECNET /some/where/DECNET');
    console.log('Run:     UPSTREAM_DIR=/some/where/DECNET npm run bench:upstream   (the folder that holds decnet/; needs python3 with pydantic 2)');
    return;
  }
  const root = resolve(dir);
  if (!existsSync(join(root, 'decnet', 'realism', 'planner.py'))) {
    console.error(`UPSTREAM_DIR: ${root} does not hold the original's decnet/realism/planner.py`);
    process.exitCode = 2;
    return;
  }
  const deckies = arg('--deckies', 100);
  const days = arg('--days', 30);
  const rounds = arg('--rounds', 3);
  const o: Counts[] = [];
  const u: Array<Counts & { python: string }> = [];
  const ud: Array<Counts & { python: string }> = [];
  for (let i = 0; i < rounds; i++) {
    const r = await execa('node', ['--max-old-space-size=4096', SELF, '--ours', String(deckies), String(days)]);
    o.push(JSON.parse(String(r.stdout)) as Counts);
    u.push(await upstream(root, deckies, days, 'fleet'));
    ud.push(await upstream(root, deckies, days, 'decky'));
  }
  const rate = (xs: Counts[], k: 'fileUnits' | 'allUnits'): number[] => xs.map((c) => c[k] / c.cpuSeconds);
  console.log(`${deckies} deckies x ${days} days, interval 900 s; loop CPU only (start-up and imports excluded); median of ${rounds} paired rounds (node ${process.version}, python ${u[0]!.python})`);
  console.log(`  original (${root}), planner given the whole fleet per call as its orchestrator does: ${fmt(median(u.map((c) => c.fileUnits)))} file plans, ${fmt(median(u.map((c) => c.allUnits)))} lines with traffic, ${median(u.map((c) => c.cpuSeconds)).toFixed(2)} s CPU`);
  console.log(`  original, planner given only the ticking decky (its cheapest use): ${fmt(median(ud.map((c) => c.fileUnits)))} file plans, ${fmt(median(ud.map((c) => c.allUnits)))} lines, ${median(ud.map((c) => c.cpuSeconds)).toFixed(2)} s CPU`);
  console.log(`  decnet-sim:  ${fmt(median(o.map((c) => c.fileUnits)))} file events, ${fmt(median(o.map((c) => c.allUnits)))} with traffic (quiet ticks written too, counted in the time, not in the work), ${median(o.map((c) => c.cpuSeconds)).toFixed(2)} s CPU`);
  for (const [mode, us] of [['whole fleet per call', u], ['ticking decky only', ud]] as const) {
    for (const [label, k] of [['file plans per CPU second', 'fileUnits'], ['file and traffic lines per CPU second', 'allUnits']] as const) {
      const ro = rate(o, k);
      const ru = rate(us, k);
      const ratios = ro.map((x, i) => x / ru[i]!);
      console.log(`  ${label} (original: ${mode}): original ${fmt(median(ru))}, decnet-sim ${fmt(median(ro))}: ${median(ratios).toFixed(1)}x (rounds ${Math.min(...ratios).toFixed(1)} to ${Math.max(...ratios).toFixed(1)})`);
    }
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--ours') ours(Number(argv[1]), Number(argv[2]));
else await main();
