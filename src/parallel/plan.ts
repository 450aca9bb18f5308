// The parallel planner (`plan --workers N`): the fleet is split into N shards, N - 1 simulated
// by worker threads and one by this thread, which also merges every shard's
// encoded events by (time, decky uuid, tick): the order of the sequential planner, so the bytes
// are identical for every N.
import { Worker } from 'node:worker_threads';
import { RuntimeFailure } from '../errors.js';
import type { PlanInputs } from '../inputs/types.js';
import { calendarDiagnostics, effectiveCanaryWeights } from '../sim/context.js';
import { closeText, makeHeader, openText, type RenderResult, type TimelineFormat } from '../timeline/render.js';
import { SummaryBuilder, type SummaryParts } from '../timeline/summary.js';
import type { Batch, FromWorker, ShardJob } from './protocol.js';
import { isoSeconds } from '../util/time.js';
import { ShardProducer } from './shard.js';

/** Share of the work kept by the merging thread, relative to a worker's share. */
const LOCAL_WEIGHT = 1;
/** Batches the merging thread may simulate ahead of the merge while it waits for a worker. */
const LOCAL_AHEAD = 32;

interface Shard {
  batch: Batch | null;
  /** The batch's bytes as a Buffer view (copied from without allocating per event). */
  bytes: Buffer | null;
  pos: number;
  refill(): Promise<void> | void;
  summary: SummaryParts | null;
  stop(): Promise<unknown>;
}

interface LocalShard extends Shard {
  /** Simulate one more batch ahead of the merge; false when the queue is full or the shard done. */
  ahead(): boolean;
}

function localShard(producer: ShardProducer): LocalShard {
  // Batches simulated ahead (while a worker was still starting or behind); null marks the end.
  const queue: Array<Batch | null> = [];
  let ended = false;
  const s: LocalShard = {
    batch: null,
    bytes: null,
    pos: 0,
    summary: null,
    refill() {
      s.batch = queue.length > 0 ? queue.shift()! : producer.fill();
      s.pos = 0;
      s.bytes = s.batch ? Buffer.from(s.batch.data.buffer, s.batch.data.byteOffset, s.batch.data.byteLength) : null;
      if (!s.batch) s.summary = producer.parts();
    },
    ahead() {
      if (ended || queue.length >= LOCAL_AHEAD) return false;
      const b = producer.fill();
      queue.push(b);
      if (b === null) ended = true;
      return true;
    },
    stop: async () => undefined,
  };
  return s;
}

const immediate = () => new Promise<void>((r) => setImmediate(r));

/**
 * Wait for a worker's next batch, simulating the local shard ahead meanwhile: a worker takes a
 * while to start (a fresh isolate loads and compiles the engine), and this thread would
 * otherwise sit idle.
 */
async function waitFor(p: Promise<void> | void, local: LocalShard): Promise<void> {
  if (!(p instanceof Promise)) return;
  let settled = false;
  const q = p.finally(() => {
    settled = true;
  });
  while (!settled && local.ahead()) await Promise.race([q, immediate()]);
  await q;
}

function workerShard(job: ShardJob): Shard {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
  const queue: FromWorker[] = [];
  let waiting: ((m: FromWorker) => void) | null = null;
  const deliver = (m: FromWorker) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else queue.push(m);
  };
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ type: 'error', message: e.message }));
  const receive = (): Promise<FromWorker> => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => (waiting = r)));
  const s: Shard = {
    batch: null,
    bytes: null,
    pos: 0,
    summary: null,
    async refill() {
      const m = await receive();
      if (m.type === 'error') throw new RuntimeFailure(`planner worker failed: ${m.message}`);
      if (m.type === 'done') {
        s.batch = null;
        s.bytes = null;
        s.summary = m.summary;
        return;
      }
      s.batch = m;
      s.pos = 0;
      s.bytes = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      worker.postMessage({ type: 'next' });
    },
    stop: () => worker.terminate(),
  };
  return s;
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

/** Deal deckies to shards in proportion to their weights (shard 0 is the local one). */
function deal(count: number, shards: number): number[][] {
  const weights = Array.from({ length: shards }, (_, i) => (i === 0 ? LOCAL_WEIGHT : 1));
  const out: number[][] = weights.map(() => []);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let s = 1; s < shards; s++) if ((out[s]!.length + 1) / weights[s]! < (out[best]!.length + 1) / weights[best]!) best = s;
    out[best]!.push(i);
  }
  return out;
}

export async function* parallelTimelineChunks(seed: string, inputs: PlanInputs, format: TimelineFormat, workers: number, result: RenderResult = {}, batch = 2048): AsyncGenerator<string | Uint8Array> {
  const diagnostics = [...effectiveCanaryWeights(inputs.config).diagnostics, ...calendarDiagnostics(inputs)];
  const n = Math.max(1, Math.min(workers, inputs.fleet.length));
  const parts = deal(inputs.fleet.length, n);
  // Workers first, so they load while this thread starts on its own shard.
  const shards: Shard[] = [];
  for (let w = 1; w < n; w++) shards.push(workerShard({ seed, inputs, deckies: parts[w]!, batch }));
  const local = localShard(new ShardProducer(seed, inputs, parts[0]!, batch));
  shards.unshift(local);
  try {
    local.refill();
    for (const s of shards.slice(1)) await waitFor(s.refill(), local);
    yield openText(makeHeader(seed, inputs), format);
    const json = format === 'json';
    let out = Buffer.allocUnsafe(1 << 20);
    let used = 0;
    let first = true;
    let n = 0;
    let lastMs = 0;
    for (;;) {
      let best: Shard | null = null;
      for (const s of shards) if (s.batch && (best === null || less(s, best))) best = s;
      if (best === null) break;
      const b = best.batch!;
      const start = best.pos === 0 ? 0 : b.ends[best.pos - 1]!;
      const end = b.ends[best.pos]!;
      if (used + end - start + 2 > out.length) {
        result.events = n;
        result.lastAt = isoSeconds(lastMs);
        yield out.subarray(0, used);
        out = Buffer.allocUnsafe(Math.max(1 << 20, end - start + 2));
        used = 0;
      }
      if (json) {
        if (!first) out[used++] = 0x2c; // ,
        out[used++] = 0x0a;
      }
      used += best.bytes!.copy(out, used, start, end);
      if (!json) out[used++] = 0x0a;
      first = false;
      n++;
      lastMs = b.ms[best.pos]!;
      if (++best.pos >= b.ends.length) await waitFor(best.refill(), local);
    }
    if (used > 0) yield out.subarray(0, used);
    const summary = SummaryBuilder.merge(shards.map((s) => s.summary!), diagnostics);
    result.summary = summary;
    result.events = n;
    yield closeText(summary, format, first);
  } finally {
    await Promise.all(shards.map((s) => s.stop()));
  }
}
