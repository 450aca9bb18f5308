// Worker thread: simulates a shard of the fleet and streams encoded events back in batches.
// It produces one batch ahead of what the main thread has asked for, then waits (flow control
// keeps memory flat however long the horizon).
import { parentPort, workerData } from 'node:worker_threads';
import { buildContext } from '../sim/context.js';
import { EventCursor } from '../sim/plan.js';
import { encodeEvent } from '../timeline/encode.js';
import { SummaryBuilder } from '../timeline/summary.js';
import type { FromWorker, ShardJob } from './protocol.js';

const job = workerData as ShardJob;
const BYTES = 4 << 20;
const MAX_EVENT = 3 * 65536 * 2; // a 64 KiB body, escaped and UTF-8 encoded, fits
const port = parentPort!;

async function main(): Promise<void> {
  const ctx = buildContext(job.seed, job.inputs);
  const ranks = new Map([...job.inputs.fleet].map((d) => d.uuid).sort().map((u, i) => [u, i]));
  const summary = new SummaryBuilder();
  const keepQuiet = job.inputs.quiet;
  const events = new EventCursor(ctx, job.deckies.map((i) => job.inputs.fleet[i]!));
  let credit = 1;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  for (;;) {
    const ms = new Float64Array(job.batch);
    const rank = new Int32Array(job.batch);
    const tick = new Int32Array(job.batch);
    // Events are UTF-8 encoded here, in parallel, so the merging thread only copies bytes.
    let data = Buffer.allocUnsafe(BYTES);
    const ends = new Int32Array(job.batch);
    let used = 0;
    let n = 0;
    while (n < job.batch && used < BYTES - MAX_EVENT) {
      const ev = events.next();
      if (ev === null) break;
      if (!keepQuiet && ev.kind === 'quiet') continue;
      summary.add(ev);
      ms[n] = events.ms;
      rank[n] = ranks.get(ev.decky.uuid)!;
      tick[n] = ev.tick;
      const line = encodeEvent(ev);
      if (used + line.length * 3 > data.length) {
        const bigger = Buffer.allocUnsafe(Math.max(data.length * 2, used + line.length * 3));
        data.copy(bigger, 0, 0, used);
        data = bigger;
      }
      used += data.write(line, used);
      ends[n] = used;
      n++;
    }
    const last = n < job.batch && used < BYTES - MAX_EVENT;
    while (credit === 0) await new Promise<void>((r) => (wake = r));
    wake = null;
    credit--;
    if (n > 0) {
      const msg: FromWorker = { type: 'batch', ms: ms.slice(0, n), rank: rank.slice(0, n), tick: tick.slice(0, n), data: new Uint8Array(data.buffer, data.byteOffset, used), ends: ends.slice(0, n) };
      port.postMessage(msg, [msg.ms.buffer as ArrayBuffer, msg.rank.buffer as ArrayBuffer, msg.tick.buffer as ArrayBuffer, msg.ends.buffer as ArrayBuffer]);
    }
    if (last) break;
  }
  const done: FromWorker = { type: 'done', summary: summary.parts() };
  port.postMessage(done);
}

main().catch((e: Error) => port.postMessage({ type: 'error', message: e.message } satisfies FromWorker));
