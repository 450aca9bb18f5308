// Where check, diff, verify and stats get a timeline from: a file (always through openTimeline,
// so truncated, tampered or wrong-version files are input errors, exit 2) or a plan made in
// memory from flags (streamed straight from the planner, never rendered to text).
import { InputError } from '../errors.js';
import { type PlanFlagValues, rawInputsFromFlags } from '../cli/flags.js';
import { inputsFromHeader, resolveInputs } from '../inputs/resolve.js';
import type { PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { planEvents } from '../sim/plan.js';
import { compareOrder, openTimeline, type ReadOptions, type TimelineReader } from '../timeline/read.js';
import { makeHeader } from '../timeline/render.js';
import type { TimelineEvent, TimelineHeader, TimelineSummary } from '../timeline/types.js';
import { sha256Hex } from '../util/hash.js';

export interface TimelineSource {
  /** The file name, or a description such as `plan --seed 42` for an in-memory plan. */
  label: string;
  /** Set when the timeline comes from a file. */
  file?: string;
  format?: 'json' | 'ndjson';
  header: TimelineHeader;
  /** The header's inputs, re-validated. */
  inputs: PlanInputs;
  /** Events in order; each source can be read once. Out-of-order events are an input error. */
  events(): Generator<TimelineEvent>;
  /** The closing summary once events() has been consumed. */
  summary(): TimelineSummary | undefined;
  /** The file's reader (files only), for commands that compare raw lines before decoding. */
  reader?: TimelineReader;
}

export { compareOrder };

/** Open a timeline file: header checks, re-validated inputs, ordered events. */
export async function sourceFromFile(file: string, opts: Pick<ReadOptions, 'onProgress'> = {}): Promise<TimelineSource> {
  const reader: TimelineReader = openTimeline(file, { ...opts, ordered: true });
  const { header } = reader;
  let inputs: PlanInputs;
  try {
    if (typeof header.engineVersion !== 'string' || typeof header.generatorVersion !== 'number') {
      throw new InputError(`${file}: header is incomplete (engineVersion, generatorVersion)`);
    }
    inputs = inputsFromHeader(file, header.inputs);
    if (sha256Hex(JSON.stringify(inputs)) !== header.inputsSha256) {
      throw new InputError(`${file}: header.inputsSha256 does not match header.inputs (edited header?)`);
    }
  } catch (e) {
    reader.close();
    throw e;
  }
  let done = false;
  return {
    label: file,
    file,
    format: reader.format,
    header,
    inputs,
    reader,
    *events() {
      yield* reader.events();
      done = true;
    },
    summary: () => (done ? reader.summary() : undefined),
  };
}

/** A plan made in memory (same events as `plan` would print for these arguments). */
export function sourceFromPlan(seed: string, inputs: PlanInputs, label = `plan --seed ${seed}`): TimelineSource {
  const ctx = buildContext(seed, inputs);
  const keepQuiet = inputs.quiet;
  return {
    label,
    header: makeHeader(seed, inputs),
    inputs,
    *events() {
      for (const ev of planEvents(ctx)) {
        if (!keepQuiet && ev.kind === 'quiet') continue;
        yield ev;
      }
    },
    summary: () => undefined,
  };
}

/**
 * What check and stats read: the timeline file when one is named (plan flags are then an
 * error), else a plan made in memory from the flags. Input warnings go to `warn`.
 */
export async function sourceFromFileOrFlags(command: string, file: string | undefined, flags: PlanFlagValues, planFlagUsed: boolean, warn: (w: string) => void, opts: Pick<ReadOptions, 'onProgress'> = {}): Promise<TimelineSource> {
  if (file) {
    if (planFlagUsed) throw new InputError(`${command}: give a timeline file or plan flags, not both`);
    return sourceFromFile(file, opts);
  }
  const { inputs, warnings } = resolveInputs(rawInputsFromFlags(flags));
  warnings.forEach(warn);
  return sourceFromPlan(flags.seed, inputs);
}
