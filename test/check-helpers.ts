// Shared by the check, diff, verify and stats tests: timelines planned in process, written to a
// temporary folder, and hand-edited in the layout the engine writes (one event per line).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timelineChunks } from '../src/app/plan.js';
import { resolveInputs, type RawInputs } from '../src/inputs/resolve.js';
import type { PlanInputs } from '../src/inputs/types.js';
import type { Timeline, TimelineEvent } from '../src/timeline/types.js';
import { sha256Hex } from '../src/util/hash.js';

export const TMP = mkdtempSync(join(tmpdir(), 'decnet-sim-check-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));
let counter = 0;

export function inputs(raw: RawInputs = {}): PlanInputs {
  return resolveInputs(raw).inputs;
}

export function withConfig(data: unknown, raw: RawInputs = {}): PlanInputs {
  return inputs({ ...raw, config: { file: 'test-config.json', data } });
}

export function planText(seed: string, inp: PlanInputs, format: 'json' | 'ndjson' = 'json'): string {
  let s = '';
  for (const c of timelineChunks(seed, inp, format)) s += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
  return s;
}

export function writeTemp(text: string | Uint8Array, ext = 'json'): string {
  const file = join(TMP, `t${++counter}.${ext}`);
  writeFileSync(file, text);
  return file;
}

export function parse(text: string): Timeline {
  return JSON.parse(text) as Timeline;
}

/** The JSON document in the engine's layout: header line, one event per line, summary line. */
export function serialize(t: Timeline): string {
  const events = t.events.map((e) => JSON.stringify(e));
  return `{"header":${JSON.stringify(t.header)},"events":[${events.length ? '\n' + events.join(',\n') + '\n' : ''}],"summary":${JSON.stringify({ ...t.summary, events: t.events.length })}}\n`;
}

/** Replace an event's body, keeping content.bytes and content.sha256 consistent. */
export function setBody(ev: TimelineEvent, body: string | Uint8Array): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  ev.content = typeof body === 'string'
    ? { encoding: 'utf8', data: body, bytes: buf.length, sha256: sha256Hex(buf) }
    : { encoding: 'base64', data: buf.toString('base64'), bytes: buf.length, sha256: sha256Hex(buf) };
}

export function bodyOf(ev: TimelineEvent): string {
  return Buffer.from(ev.content!.data, ev.content!.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
}

/** Recompute header.inputsSha256 after editing header.inputs. */
export function rehash(t: Timeline): void {
  t.header.inputsSha256 = sha256Hex(JSON.stringify(t.header.inputs));
}

/** The planned timeline of a seed (7 days, default fleet unless given), parsed. */
export function planned(seed: string, inp: PlanInputs = inputs()): Timeline {
  return parse(planText(seed, inp));
}
