// `plan`: resolve inputs, simulate (in this thread or in worker threads), render.
import { InputError } from '../errors.js';
import { resolveInputs, type RawInputs } from '../inputs/resolve.js';
import type { PlanInputs } from '../inputs/types.js';
import { parallelTimelineChunks } from '../parallel/plan.js';
import { boundedHeap } from './heap.js';
import { buildContext, calendarDiagnostics, effectiveCanaryWeights } from '../sim/context.js';
import { EventCursor } from '../sim/plan.js';
import { makeHeader, renderTimeline, type RenderResult, type TimelineFormat } from '../timeline/render.js';

export interface PlannedTimeline {
  inputs: PlanInputs;
  warnings: string[];
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
  result: RenderResult;
}

/** The timeline text for a seed and resolved inputs (pure: same arguments, same chunks). */
export function timelineChunks(seed: string, inputs: PlanInputs, format: TimelineFormat, result: RenderResult = {}): Generator<string> {
  const ctx = buildContext(seed, inputs);
  return boundedHeap(renderTimeline(makeHeader(seed, inputs), new EventCursor(ctx), format, ctx.diagnostics, result));
}

export const MAX_WORKERS = 64;

/** Plan from raw inputs; `workers` > 1 shards the deckies over worker threads (same bytes). */
export function planTimeline(seed: string, raw: RawInputs, format: TimelineFormat, workers = 1): PlannedTimeline {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw new InputError(`--workers: expected a whole number from 1 to ${MAX_WORKERS}, got ${workers}`);
  const { inputs, warnings } = resolveInputs(raw);
  const result: RenderResult = {};
  warnings.push(...effectiveCanaryWeights(inputs.config).diagnostics, ...calendarDiagnostics(inputs));
  const chunks = workers > 1 ? parallelTimelineChunks(seed, inputs, format, workers, result) : timelineChunks(seed, inputs, format, result);
  return { inputs, warnings, chunks, result };
}
