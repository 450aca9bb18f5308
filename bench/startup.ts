// Start-up and output benchmark of the built CLI (part of `npm run bench`):
//   - `--version` and `plan --days 1` against a bare `node -e ''`, measured in the same run;
//   - `plan --out FILE` against `plan > FILE` for the same bytes (100 deckies x 7 days).
// Each command runs in fresh processes, interleaved round by round so that the machine's drift
// hits every command alike; figures are medians. CPU is the children's user + system time as
// bash's `times` reports it; wall is measured around the same bash process.
//   node dist/bench/startup.js [--rounds N]
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticFleet } from './fleet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'run.js');

interface Sample {
  wall: number;
  cpu: number;
}

function q(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** Run a shell line once; CPU from `times` (second line: children's user and system time). */
async function sample(line: string): Promise<Sample> {
  const t0 = performance.now();
  const r = await execa('bash', ['-c', `${line}\ntimes`], { cwd: ROOT, maxBuffer: 1 << 20 });
  const wall = (performance.now() - t0) / 1000;
  const rows = String(r.stdout).trim().split('\n');
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(rows[rows.length - 1]!);
  if (!m) throw new Error(`bench: cannot read the times of: ${line}`);
  const cpu = Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
  return { wall, cpu };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function compare(rounds: number, lines: Record<string, string>, after?: () => void): Promise<Record<string, { wall: number; cpu: number }>> {
  const got: Record<string, Sample[]> = {};
  for (const k of Object.keys(lines)) got[k] = [];
  // One warm-up round (file cache), then the measured rounds.
  for (let r = -1; r < rounds; r++) {
    for (const [k, line] of Object.entries(lines)) {
      const s = await sample(line);
      if (r >= 0) got[k]!.push(s);
      after?.();
    }
  }
  const out: Record<string, { wall: number; cpu: number }> = {};
  for (const [k, ss] of Object.entries(got)) out[k] = { wall: median(ss.map((s) => s.wall)), cpu: median(ss.map((s) => s.cpu)) };
  return out;
}

function ms(x: number): string {
  return `${(x * 1000).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--rounds');
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 9;
  const node = process.execPath;
  console.log(`\nstart-up (built CLI, median of ${rounds} fresh processes each, interleaved; CPU = user + system)`);
  const st = await compare(rounds, {
    bare: `${q(node)} -e ''`,
    version: `${q(node)} ${q(BIN)} --version > /dev/null`,
    help: `${q(node)} ${q(BIN)} --help > /dev/null`,
    plan: `${q(node)} ${q(BIN)} plan --days 1 > /dev/null`,
  });
  const base = st.bare!;
  console.log('command                        wall      CPU   CPU vs bare node');
  for (const [k, label] of [['bare', "node -e ''"], ['version', 'decnet-sim --version'], ['help', 'decnet-sim --help'], ['plan', 'decnet-sim plan --days 1']] as const) {
    const c = st[k]!;
    console.log(`${label.padEnd(28)} ${ms(c.wall).padStart(7)} ${ms(c.cpu).padStart(8)}   ${(c.cpu / base.cpu).toFixed(2)}x (wall ${(c.wall / base.wall).toFixed(2)}x)`);
  }
  console.log(`target: --version within 3x of bare node: ${st.version!.cpu <= 3 * base.cpu ? 'met' : 'NOT met'}`);

  const dir = mkdtempSync(join(tmpdir(), 'sim-bench-out-'));
  try {
    const fleet = join(dir, 'fleet.json');
    writeFileSync(fleet, JSON.stringify(syntheticFleet(100)));
    const redirected = join(dir, 'redirected.ndjson');
    const out = join(dir, 'out.ndjson');
    const args = `plan --fleet ${q(fleet)} --days 7 --format ndjson`;
    const outRounds = Math.max(3, Math.min(rounds, 5));
    const o = await compare(outRounds, {
      redirect: `${q(node)} ${q(BIN)} ${args} > ${q(redirected)}`,
      out: `${q(node)} ${q(BIN)} ${args} --out ${q(out)} --no-progress 2> /dev/null`,
    });
    const same = readFileSync(out).equals(readFileSync(redirected));
    const mb = statSync(out).size / 1e6;
    console.log(`\nplan --out FILE vs plan > FILE (100 deckies x 7 days, NDJSON, ${mb.toFixed(1)} MB, median of ${outRounds} each, interleaved)`);
    console.log(`plan > FILE      wall ${ms(o.redirect!.wall).padStart(8)}   CPU ${ms(o.redirect!.cpu).padStart(8)}`);
    console.log(`plan --out FILE  wall ${ms(o.out!.wall).padStart(8)}   CPU ${ms(o.out!.cpu).padStart(8)}   ${(o.out!.wall / o.redirect!.wall).toFixed(3)}x the redirection's wall time, same bytes: ${same ? 'yes' : 'NO'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
