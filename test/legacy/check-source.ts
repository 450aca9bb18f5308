// Reference copy of src as it was before the one-pass reader (issue 17), kept only so
// test/reader-equivalence.test.ts can show that results and exit codes did not change.
// Where check, diff, verify and stats get a timeline from: a file (always through openTimeline,
// so truncated, tampered or wrong-version files are input errors, exit 2) or a plan made in
// memory from flags (streamed straight from the planner, never rendered to text).
import { InputError } from '../../src/errors.js';
import { type PlanFlagValues, rawInputsFromFlags } from '../../src/cli/flags.js';
import { inputsFromHeader, resolveInputs } from '../../src/inputs/resolve.js';
import type { PlanInputs } from '../../src/inputs/types.js';
import { buildContext } from '../../src/sim/context.js';
import { planEvents } from '../../src/sim/plan.js';
import { openTimeline, type TimelineReader } from './timeline-read.js';
import { makeHeader } from '../../src/timeline/render.js';
import type { TimelineEvent, TimelineHeader, TimelineSummary } from '../../src/timeline/types.js';
import { sha256Hex } from '../../src/util/hash.js';

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
  events(): AsyncGenerator<TimelineEvent>;
  /** The closing summary once events() has been consumed. */
  summary(): TimelineSummary | undefined;
}

/** SPEC 6 order: `at`, then decky uuid, then tick. Negative when a sorts before b. */
export function compareOrder(a: Pick<TimelineEvent, 'at' | 'tick' | 'decky'>, b: Pick<TimelineEvent, 'at' | 'tick' | 'decky'>): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.decky.uuid !== b.decky.uuid) return a.decky.uuid < b.decky.uuid ? -1 : 1;
  return a.tick - b.tick;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function* ordered(label: string, it: AsyncIterable<TimelineEvent>): AsyncGenerator<TimelineEvent> {
  let prev: TimelineEvent | undefined;
  let n = 0;
  for await (const ev of it) {
    n++;
    if (!ISO.test(ev.at)) throw new InputError(`${label}: event ${ev.id} (#${n}): at is not an ISO 8601 UTC instant with seconds and Z: ${JSON.stringify(ev.at)}`);
    if (prev && compareOrder(prev, ev) >= 0) {
      throw new InputError(`${label}: event ${ev.id} (#${n}) is out of order (events must be sorted by at, decky uuid, tick; edited file?)`);
    }
    prev = ev;
    yield ev;
  }
}

/**
 * The header's inputs, re-validated by inputsFromHeader. Fallback (to be removed once
 * src/inputs accepts it): the fleet parser rejects the resolved form's `"docker": null` and
 * `"address": null`, so those keys are left out for parsing and the resolved result must still
 * equal the header's inputs exactly.
 */
/** Open a timeline file: header checks, re-validated inputs, ordered events. */
export async function sourceFromFile(file: string): Promise<TimelineSource> {
  const reader: TimelineReader = await openTimeline(file);
  const { header } = reader;
  if (typeof header.engineVersion !== 'string' || typeof header.generatorVersion !== 'number') {
    throw new InputError(`${file}: header is incomplete (engineVersion, generatorVersion)`);
  }
  const inputs = inputsFromHeader(file, header.inputs);
  if (sha256Hex(JSON.stringify(inputs)) !== header.inputsSha256) {
    throw new InputError(`${file}: header.inputsSha256 does not match header.inputs (edited header?)`);
  }
  let done = false;
  return {
    label: file,
    file,
    format: reader.format,
    header,
    inputs,
    async *events() {
      yield* ordered(file, reader.events());
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
    async *events() {
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
export async function sourceFromFileOrFlags(command: string, file: string | undefined, flags: PlanFlagValues, planFlagUsed: boolean, warn: (w: string) => void): Promise<TimelineSource> {
  if (file) {
    if (planFlagUsed) throw new InputError(`${command}: give a timeline file or plan flags, not both`);
    return sourceFromFile(file);
  }
  const { inputs, warnings } = resolveInputs(rawInputsFromFlags(flags));
  warnings.forEach(warn);
  return sourceFromPlan(flags.seed, inputs);
}
