// Where check, diff, verify and stats get a timeline from: a file (always through openTimeline,
// so truncated, tampered or wrong-version files are input errors, exit 2) or a plan made in
// memory from flags (streamed straight from the planner, never rendered to text).
import { InputError } from '../errors.js';
import { timelinePath } from '../cli/files.js';
import { type PlanFlagValues, rawInputsFromFlags } from '../cli/flags.js';
import { horizonShare, PROGRESS_EVERY, type ProgressFn } from '../cli/progress.js';
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

export type FileSourceOptions = Pick<ReadOptions, 'onProgress' | 'label'>;

/**
 * Open a timeline file: header checks, re-validated inputs, ordered events. `opts.label` names
 * it in messages when it is not the path read (stdin spooled to a temporary file).
 */
export async function sourceFromFile(path: string, opts: FileSourceOptions = {}): Promise<TimelineSource> {
  const file = opts.label ?? path;
  const reader: TimelineReader = openTimeline(path, { ...opts, ordered: true });
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
    file: path,
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
export function sourceFromPlan(seed: string, inputs: PlanInputs, label = `plan --seed ${seed}`, opts: { onProgress?: ProgressFn } = {}): TimelineSource {
  const ctx = buildContext(seed, inputs);
  const keepQuiet = inputs.quiet;
  // Progress of a plan: events so far and the share of the plan's time span reached.
  const onProgress = opts.onProgress;
  const share = horizonShare(inputs.start, inputs.end);
  let n = 0;
  return {
    label,
    header: makeHeader(seed, inputs),
    inputs,
    *events() {
      for (const ev of planEvents(ctx)) {
        if (!keepQuiet && ev.kind === 'quiet') continue;
        if (onProgress && ++n % PROGRESS_EVERY === 0) onProgress({ done: n, fraction: share(ev.at) });
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
export async function sourceFromFileOrFlags(command: string, file: string | undefined, flags: PlanFlagValues, planFlagUsed: boolean, warn: (w: string) => void, opts: { onProgress?: ProgressFn } = {}): Promise<TimelineSource> {
  if (file) {
    if (planFlagUsed) throw new InputError(`${command}: give a timeline file or plan flags, not both`);
    return sourceFromArg(file, command, opts);
  }
  const { inputs, warnings } = resolveInputs(rawInputsFromFlags(flags));
  warnings.forEach(warn);
  return sourceFromPlan(flags.seed, inputs, undefined, opts);
}

/** The reader's progress (bytes of the file, events) as a ProgressFn tick. */
export function readProgress(onProgress: ProgressFn | undefined, phase?: string): ReadOptions['onProgress'] {
  if (!onProgress) return undefined;
  return (p) => onProgress({ done: p.events, fraction: p.totalBytes ? p.bytes / p.totalBytes : undefined, phase });
}

/** A timeline named on the command line: a path, or `-` for stdin. */
export async function sourceFromArg(arg: string, what: string, opts: { onProgress?: ProgressFn } = {}): Promise<TimelineSource> {
  const { path, label } = await timelinePath(arg, what);
  return sourceFromFile(path, { label, onProgress: readProgress(opts.onProgress) });
}
