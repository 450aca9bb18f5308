// The bounded-state benchmark: `run --follow` over a simulated year of 100 deckies, with a fake
// Docker (an in-process runner that answers the write script's status lines) and a clock that
// jumps ahead instead of sleeping, so a year takes minutes. Everything else is the real code
// path: planning, lanes, state, journal, saves, history pruning. Prints the state file size and
// the process RSS every simulated month, per 1,000 applied events, and the peaks.
//   node dist/bench/state-year.js   (BENCH_DECKIES, BENCH_DAYS, BENCH_INTERVAL, BENCH_SAVE_EVERY)
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../src/live/clock.js';
import { DockerDriver, type Runner } from '../src/live/docker.js';
import { requestOf } from '../src/live/protocol.js';
import { runLive } from '../src/live/run.js';

const DECKIES = Number(process.env.BENCH_DECKIES ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const INTERVAL = Number(process.env.BENCH_INTERVAL ?? 900);
const SAVE_EVERY = Number(process.env.BENCH_SAVE_EVERY ?? 5000);
const MiB = 1024 * 1024;

/** Answers like the script in a container where every write, rename and delete lands and every probe gets a banner. */
const fakeDocker: Runner = async (_argv, input) => {
  const req = requestOf(input ?? '');
  let stdout = 'ERROR unknown operation\n';
  if (req.op === 'write') stdout = 'WROTE\n';
  else if (req.op === 'move') stdout = 'MOVED\n'; // logrotate's renames and cleanup deletes
  else if (req.op === 'probe') stdout = 'OK nc SSH-2.0-OpenSSH_9.2p1\n';
  else if (req.op === 'logins') stdout = req.fields.names!.split(' ').map((n, i) => `LOGIN ${n} ${1000 + i} ${1000 + i} /home/${n}\n`).join('') + 'DONE\n';
  return { exitCode: 0, stdout, stderr: '', timedOut: false };
};

export async function stateYear(print: (s: string) => void = console.log): Promise<{ peakState: number; peakRss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'simtest-bench-state-'));
  const personas = Array.from({ length: 8 }, (_, i) => ({ name: `Person ${String.fromCharCode(65 + i)}`, email: `p${i}@corp.test`, role: 'staff', active_hours: '08:00-19:00', timezone: ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'][i % 4] }));
  const fleetDoc = { deckies: Array.from({ length: DECKIES }, (_, i) => ({ name: `d${String(i).padStart(3, '0')}`, services: ['ssh'], address: `10.0.${i >> 8}.${i & 255}` , personas: [personas[i % 8]!.name, personas[(i + 3) % 8]!.name] })), personas };
  const fleet = join(dir, 'fleet.json');
  writeFileSync(fleet, JSON.stringify(fleetDoc));
  const state = join(dir, 'state.db');
  let now = Date.parse('2026-01-05T00:00:00Z');
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(ms, 1);
      await new Promise((r) => setImmediate(r));
    },
  };
  const size = (): number => {
    let n = 0;
    for (const f of [state, `${state}.journal`]) {
      try {
        n += statSync(f).size;
      } catch {
        /* not yet */
      }
    }
    return n;
  };
  let peakState = 0;
  let peakRss = 0;
  let nextMonth = 30;
  const t0 = performance.now();
  print(`state bench: run --follow, ${DECKIES} deckies x ${DAYS} days, interval ${INTERVAL} s, fake docker, save every ${SAVE_EVERY} groups`);
  print(`${'day'.padStart(5)} ${'applied'.padStart(10)} ${'state MiB'.padStart(10)} ${'RSS MiB'.padStart(9)} ${'state B/1k ev'.padStart(14)} ${'RSS KiB/1k ev'.padStart(14)} ${'wall s'.padStart(7)}`);
  const sample = (applied: number, day: number): void => {
    const st = size();
    const rss = process.memoryUsage().rss;
    peakState = Math.max(peakState, st);
    peakRss = Math.max(peakRss, rss);
    const k = Math.max(1, applied / 1000);
    print(`${String(day).padStart(5)} ${String(applied).padStart(10)} ${(st / MiB).toFixed(2).padStart(10)} ${(rss / MiB).toFixed(1).padStart(9)} ${(st / k).toFixed(0).padStart(14)} ${(rss / 1024 / k).toFixed(1).padStart(14)} ${((performance.now() - t0) / 1000).toFixed(0).padStart(7)}`);
  };
  const start = now;
  const rep = await runLive({
    raw: { fleet: { file: fleet, data: fleetDoc }, days: DAYS, interval: INTERVAL },
    seed: 'bench-year',
    follow: true,
    state,
    clock,
    driver: new DockerDriver({ runner: fakeDocker }),
    concurrency: 8,
    saveEvery: SAVE_EVERY,
    heartbeatSeconds: 3600,
    progress: false,
    signals: false,
    err: { write: () => true } as unknown as NodeJS.WritableStream,
    onTally: (t) => {
      const day = Math.floor((now - start) / 86_400_000);
      if (day >= nextMonth) {
        nextMonth += 30;
        sample(t.applied, day);
      }
    },
  });
  const s = rep.summary as { applied: number; failed: number };
  sample(s.applied, DAYS);
  print(`peak state file ${(peakState / MiB).toFixed(2)} MiB (target < 64), peak RSS ${(peakRss / MiB).toFixed(1)} MiB (target < 256), ${s.applied} events applied, ${s.failed} failed`);
  if (process.env.BENCH_KEEP) print(`state kept in ${state}`);
  else rmSync(dir, { recursive: true, force: true });
  return { peakState, peakRss };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  stateYear().catch((e) => {
    console.error(`state bench failed: ${(e as Error).stack}`);
    process.exit(1);
  });
}
