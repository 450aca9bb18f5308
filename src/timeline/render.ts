// Rendering a timeline as text: the JSON document (one event per line inside `events`, so it
// streams and diffs line by line) or NDJSON. Pure: yields string chunks; the caller writes them.
// The framing helpers are shared with the parallel planner, which must produce the same bytes.
import type { PlanInputs } from '../inputs/types.js';
import { sha256Hex } from '../util/hash.js';
import { ENGINE_VERSION, GENERATOR_VERSION, TIMELINE_FORMAT, TIMELINE_VERSION } from '../version.js';
import { encodeEngineEvent } from './encode.js';
import { SummaryBuilder } from './summary.js';
import type { TimelineEvent, TimelineHeader, TimelineSummary } from './types.js';

export type TimelineFormat = 'json' | 'ndjson';

/**
 * The header's integrity hash: the versions, the seed and the inputs' hash, so a header that
 * claims another engine or generator version without updating it is caught on reading. It is
 * integrity, not authenticity (anyone can recompute it): `run --timeline` trusts only what this
 * engine re-derives from the header.
 */
export function headerSha256(h: Pick<TimelineHeader, 'format' | 'version' | 'engineVersion' | 'generatorVersion' | 'seed' | 'inputsSha256'>): string {
  return sha256Hex(JSON.stringify([h.format, h.version, h.engineVersion, h.generatorVersion, h.seed, h.inputsSha256]));
}

export function makeHeader(seed: string, inputs: PlanInputs): TimelineHeader {
  const h = {
    format: TIMELINE_FORMAT,
    version: TIMELINE_VERSION,
    engineVersion: ENGINE_VERSION,
    generatorVersion: GENERATOR_VERSION,
    seed,
    inputs,
    inputsSha256: sha256Hex(JSON.stringify(inputs)),
  };
  return { ...h, headerSha256: headerSha256(h) };
}

/** Text before the first event. */
export function openText(header: TimelineHeader, format: TimelineFormat): string {
  return format === 'json' ? `{"header":${JSON.stringify(header)},"events":[` : `${JSON.stringify({ header })}\n`;
}

/** One encoded event with its framing. */
export function eventText(line: string, format: TimelineFormat, first: boolean): string {
  return format === 'json' ? (first ? '\n' : ',\n') + line : line + '\n';
}

/** Text after the last event. */
export function closeText(summary: TimelineSummary, format: TimelineFormat, empty: boolean): string {
  return format === 'json' ? `${empty ? '' : '\n'}],"summary":${JSON.stringify(summary)}}\n` : `${JSON.stringify({ summary })}\n`;
}

export const CHUNK = 1 << 16;

/** The planner's event cursor (sim/plan.ts EventCursor): next event, or null at the end. */
export interface EventSource {
  next(): TimelineEvent | null;
}

export interface RenderResult {
  summary?: TimelineSummary;
  /** Progress while the chunks are taken: events rendered so far and the last one's time. */
  events?: number;
  lastAt?: string;
}

/**
 * Yield the timeline text in chunks of about 64 KiB. `result.summary` is filled at the end.
 * Quiet events are dropped from the output (and the summary) when inputs.quiet is false.
 * `events` must come straight from the planner (the encoder relies on the engine's event shape).
 */
export function* renderTimeline(header: TimelineHeader, events: EventSource, format: TimelineFormat, diagnostics: string[], result: RenderResult = {}): Generator<string> {
  const summary = new SummaryBuilder();
  const keepQuiet = header.inputs.quiet;
  let buf = openText(header, format);
  let first = true;
  let n = 0;
  for (let ev = events.next(); ev !== null; ev = events.next()) {
    if (!keepQuiet && ev.kind === 'quiet') continue;
    summary.add(ev);
    buf += eventText(encodeEngineEvent(ev), format, first);
    first = false;
    n++;
    if (buf.length >= CHUNK) {
      result.events = n;
      result.lastAt = ev.at;
      yield buf;
      buf = '';
    }
  }
  const s = summary.build(diagnostics);
  result.summary = s;
  result.events = n;
  yield buf + closeText(s, format, first);
}
