// `plan`: resolve inputs, simulate, render. Returns what the command reports.
import { resolveInputs, type RawInputs } from '../inputs/resolve.js';
import type { PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { planEvents } from '../sim/plan.js';
import { makeHeader, renderTimeline, type RenderResult, type TimelineFormat } from '../timeline/render.js';

export interface PlannedTimeline {
  inputs: PlanInputs;
  warnings: string[];
  chunks: Generator<string>;
  result: RenderResult;
}

/** The timeline text for a seed and resolved inputs (pure: same arguments, same chunks). */
export function timelineChunks(seed: string, inputs: PlanInputs, format: TimelineFormat, result: RenderResult = {}): Generator<string> {
  const ctx = buildContext(seed, inputs);
  return renderTimeline(makeHeader(seed, inputs), planEvents(ctx), format, ctx.diagnostics, result);
}

export function planTimeline(seed: string, raw: RawInputs, format: TimelineFormat): PlannedTimeline {
  const { inputs, warnings } = resolveInputs(raw);
  const result: RenderResult = {};
  const ctx = buildContext(seed, inputs);
  warnings.push(...ctx.diagnostics);
  return { inputs, warnings, chunks: renderTimeline(makeHeader(seed, inputs), planEvents(ctx), format, ctx.diagnostics, result), result };
}
