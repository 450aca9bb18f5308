// A shard of the fleet turned into batches of UTF-8 encoded events with their sort keys. Used by
// the worker threads and, for one shard, by the merging thread itself.
import type { PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { EventCursor } from '../sim/plan.js';
import { encodeEngineEvent } from '../timeline/encode.js';
import { SummaryBuilder, type SummaryParts } from '../timeline/summary.js';
import type { Batch } from './protocol.js';

const BYTES = 2 << 20;
const MAX_EVENT = 3 * 65536 * 2; // a 64 KiB body, escaped and UTF-8 encoded, fits

/** Rank of each decky uuid in uuid order: an integer key that sorts like the uuid string. */
export function uuidRanks(inputs: PlanInputs): Map<string, number> {
  return new Map(inputs.fleet.map((d) => d.uuid).sort().map((u, i) => [u, i]));
}

export class ShardProducer {
  private readonly cursor: EventCursor;
  private readonly ranks: Map<string, number>;
  private readonly summary = new SummaryBuilder();
  private readonly keepQuiet: boolean;
  private finished = false;

  constructor(
    seed: string,
    inputs: PlanInputs,
    deckies: readonly number[],
    private readonly batch: number,
  ) {
    this.cursor = new EventCursor(buildContext(seed, inputs), deckies.map((i) => inputs.fleet[i]!));
    this.ranks = uuidRanks(inputs);
    this.keepQuiet = inputs.quiet;
  }

  /** The next batch, or null when the shard is exhausted. */
  fill(): Batch | null {
    if (this.finished) return null;
    const cap = this.batch;
    const ms = new Float64Array(cap);
    const rank = new Int32Array(cap);
    const tick = new Int32Array(cap);
    const ends = new Int32Array(cap);
    // Not from the shared pool, so the whole buffer can be transferred without a copy.
    let data = Buffer.allocUnsafeSlow(BYTES);
    let used = 0;
    let n = 0;
    while (n < cap && used < BYTES - MAX_EVENT) {
      const ev = this.cursor.next();
      if (ev === null) {
        this.finished = true;
        break;
      }
      if (!this.keepQuiet && ev.kind === 'quiet') continue;
      this.summary.add(ev);
      ms[n] = this.cursor.ms;
      rank[n] = this.ranks.get(ev.decky.uuid)!;
      tick[n] = ev.tick;
      const line = encodeEngineEvent(ev);
      if (used + line.length * 3 > data.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(data.length * 2, used + line.length * 3));
        data.copy(bigger, 0, 0, used);
        data = bigger;
      }
      used += data.write(line, used);
      ends[n] = used;
      n++;
    }
    if (n === 0) return null;
    return { type: 'batch', ms, rank, tick, data: new Uint8Array(data.buffer, 0, used), ends: ends.subarray(0, n) };
  }

  parts(): SummaryParts {
    return this.summary.parts();
  }
}
