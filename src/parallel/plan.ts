// The parallel planner (`plan --workers N`): deckies are dealt round-robin to N worker threads,
// each streams its shard's encoded events in timeline order, and this thread merges them by
// (time, decky uuid, tick), the same order as the sequential planner: the bytes are identical
// for every N.
import { Worker } from 'node:worker_threads';
import { RuntimeFailure } from '../errors.js';
import type { PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { closeText, makeHeader, openText, type RenderResult, type TimelineFormat } from '../timeline/render.js';
import { SummaryBuilder, type SummaryParts } from '../timeline/summary.js';
import type { Batch, FromWorker, ShardJob } from './protocol.js';

interface Shard {
  worker: Worker;
  batch: Batch | null;
  pos: number;
  done: boolean;
  queue: FromWorker[];
  waiting: ((m: FromWorker) => void) | null;
  summary: SummaryParts | null;
}

function receive(s: Shard): Promise<FromWorker> {
  const m = s.queue.shift();
  if (m) return Promise.resolve(m);
  return new Promise((resolve) => (s.waiting = resolve));
}

/** Pull the next batch of a shard (or mark it done). */
async function refill(s: Shard): Promise<void> {
  const m = await receive(s);
  if (m.type === 'error') throw new RuntimeFailure(`planner worker failed: ${m.message}`);
  if (m.type === 'done') {
    s.done = true;
    s.batch = null;
    s.summary = m.summary;
    return;
  }
  s.batch = m;
  s.pos = 0;
  s.worker.postMessage({ type: 'next' });
}

function less(a: Shard, b: Shard): boolean {
  const x = a.batch!;
  const y = b.batch!;
  const i = a.pos;
  const j = b.pos;
  if (x.ms[i] !== y.ms[j]) return x.ms[i]! < y.ms[j]!;
  if (x.rank[i] !== y.rank[j]) return x.rank[i]! < y.rank[j]!;
  return x.tick[i]! < y.tick[j]!;
}

/** Output buffer: framing and event bytes are copied in, flushed when full. */
class Out {
  buf = Buffer.allocUnsafe(1 << 20);
  used = 0;

  ensure(n: number): Buffer | null {
    if (this.used + n <= this.buf.length) return null;
    const full = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(Math.max(1 << 20, n));
    this.used = 0;
    return full;
  }
}

export async function* parallelTimelineChunks(seed: string, inputs: PlanInputs, format: TimelineFormat, workers: number, result: RenderResult = {}, batch = 2048): AsyncGenerator<string | Uint8Array> {
  const diagnostics = buildContext(seed, inputs).diagnostics;
  const n = Math.max(1, Math.min(workers, inputs.fleet.length));
  const shards: Shard[] = [];
  for (let w = 0; w < n; w++) {
    const deckies: number[] = [];
    for (let i = w; i < inputs.fleet.length; i += n) deckies.push(i);
    const job: ShardJob = { seed, inputs, deckies, batch };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
    const s: Shard = { worker, batch: null, pos: 0, done: false, queue: [], waiting: null, summary: null };
    worker.on('message', (m: FromWorker) => {
      if (s.waiting) {
        const w2 = s.waiting;
        s.waiting = null;
        w2(m);
      } else s.queue.push(m);
    });
    worker.on('error', (e) => {
      const m: FromWorker = { type: 'error', message: e.message };
      if (s.waiting) s.waiting(m);
      else s.queue.push(m);
    });
    shards.push(s);
  }
  try {
    await Promise.all(shards.map(refill));
    yield openText(makeHeader(seed, inputs), format);
    const json = format === 'json';
    const out = new Out();
    let first = true;
    for (;;) {
      let best: Shard | null = null;
      for (const s of shards) if (s.batch && (best === null || less(s, best))) best = s;
      if (best === null) break;
      const b = best.batch!;
      const start = best.pos === 0 ? 0 : b.ends[best.pos - 1]!;
      const end = b.ends[best.pos]!;
      const full = out.ensure(end - start + 2);
      if (full) yield full;
      if (json) {
        if (!first) out.buf[out.used++] = 0x2c; // ,
        out.buf[out.used++] = 0x0a;
      }
      out.buf.set(b.data.subarray(start, end), out.used);
      out.used += end - start;
      if (!json) out.buf[out.used++] = 0x0a;
      first = false;
      if (++best.pos >= b.ends.length) await refill(best);
    }
    if (out.used > 0) yield out.buf.subarray(0, out.used);
    const summary = SummaryBuilder.merge(shards.map((s) => s.summary!), diagnostics);
    result.summary = summary;
    yield closeText(summary, format, first);
  } finally {
    await Promise.all(shards.map((s) => s.worker.terminate()));
  }
}
