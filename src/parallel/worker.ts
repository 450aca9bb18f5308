// Worker thread: simulates a shard of the fleet and streams encoded events back in batches.
// It produces a few batches ahead of what the main thread has asked for, then waits (flow
// control keeps memory flat however long the horizon).
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ShardJob } from './protocol.js';
import { ShardProducer } from './shard.js';

const job = workerData as ShardJob;
const port = parentPort!;

async function main(): Promise<void> {
  const producer = new ShardProducer(job.seed, job.inputs, job.deckies, job.batch);
  // Batches sent ahead of the main thread's requests (flow control keeps memory bounded).
  let credit = 4;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  for (let b = producer.fill(); b !== null; b = producer.fill()) {
    while (credit === 0) await new Promise<void>((r) => (wake = r));
    wake = null;
    credit--;
    port.postMessage(b, [b.ms.buffer, b.rank.buffer, b.tick.buffer, b.ends.buffer, b.data.buffer] as ArrayBuffer[]);
  }
  port.postMessage({ type: 'done', summary: producer.parts() } satisfies FromWorker);
}

main().catch((e: Error) => port.postMessage({ type: 'error', message: e.message } satisfies FromWorker));
