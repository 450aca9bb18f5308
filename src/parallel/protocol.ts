// Messages between the parallel planner and its worker threads.
import type { PlanInputs } from '../inputs/types.js';
import type { SummaryParts } from '../timeline/summary.js';

export interface ShardJob {
  seed: string;
  inputs: PlanInputs;
  /** Indexes into inputs.fleet of the deckies this worker simulates. */
  deckies: number[];
  batch: number;
}

/** A batch of encoded events in timeline order, with their sort keys. */
export interface Batch {
  type: 'batch';
  ms: Float64Array;
  /** Rank of the event's decky uuid in uuid order (integer compare instead of strings). */
  rank: Int32Array;
  tick: Int32Array;
  /** UTF-8 bytes of the encoded events, back to back; event i ends at ends[i]. */
  data: Uint8Array;
  ends: Int32Array;
}

export interface Done {
  type: 'done';
  summary: SummaryParts;
}

export type FromWorker = Batch | Done | { type: 'error'; message: string };
export type ToWorker = { type: 'next' };
