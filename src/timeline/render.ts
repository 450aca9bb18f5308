// Rendering a timeline as text: the JSON document (one event per line inside `events`, so it
// streams and diffs line by line) or NDJSON. Pure: yields string chunks; the caller writes them.
import type { PlanInputs } from '../inputs/types.js';
import { sha256Hex } from '../util/hash.js';
import { ENGINE_VERSION, GENERATOR_VERSION, TIMELINE_FORMAT, TIMELINE_VERSION } from '../version.js';
import { encodeEvent } from './encode.js';
import { SummaryBuilder } from './summary.js';
import type { TimelineEvent, TimelineHeader, TimelineSummary } from './types.js';

export type TimelineFormat = 'json' | 'ndjson';

export function makeHeader(seed: string, inputs: PlanInputs): TimelineHeader {
  return {
    format: TIMELINE_FORMAT,
    version: TIMELINE_VERSION,
    engineVersion: ENGINE_VERSION,
    generatorVersion: GENERATOR_VERSION,
    seed,
    inputs,
    inputsSha256: sha256Hex(JSON.stringify(inputs)),
  };
}

const CHUNK = 1 << 16;

export interface RenderResult {
  summary?: TimelineSummary;
}

/**
 * Yield the timeline text in chunks of about 64 KiB. `result.summary` is filled at the end.
 * Quiet events are dropped from the output (and the summary) when inputs.quiet is false.
 */
export function* renderTimeline(header: TimelineHeader, events: Iterable<TimelineEvent>, format: TimelineFormat, diagnostics: string[], result: RenderResult = {}): Generator<string> {
  const summary = new SummaryBuilder();
  const keepQuiet = header.inputs.quiet;
  let buf = format === 'json' ? `{"header":${JSON.stringify(header)},"events":[` : `${JSON.stringify({ header })}\n`;
  let first = true;
  for (const ev of events) {
    if (!keepQuiet && ev.kind === 'quiet') continue;
    summary.add(ev);
    if (format === 'json') {
      buf += (first ? '\n' : ',\n') + encodeEvent(ev);
    } else {
      buf += encodeEvent(ev) + '\n';
    }
    first = false;
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  const s = summary.build(diagnostics);
  result.summary = s;
  buf += format === 'json' ? `${first ? '' : '\n'}],"summary":${JSON.stringify(s)}}\n` : `${JSON.stringify({ summary: s })}\n`;
  yield buf;
}
