// Reference copy of src as it was before the one-pass reader (issue 17), kept only so
// test/reader-equivalence.test.ts can show that results and exit codes did not change.
// Reading timelines back (check, diff, verify, stats, run --timeline). Streams line by line:
// the JSON document this tool writes holds one event per line, NDJSON likewise. Anything else
// that parses as a timeline JSON document (for example re-indented by jq) is read whole.
// Truncated, tampered or wrong-version files are input errors (exit 2).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../../src/errors.js';
import { isObject } from '../../src/inputs/validate.js';
import { TIMELINE_FORMAT, TIMELINE_VERSION } from '../../src/version.js';
import type { TimelineEvent, TimelineHeader, TimelineSummary } from '../../src/timeline/types.js';

export interface TimelineReader {
  file: string;
  format: 'json' | 'ndjson';
  header: TimelineHeader;
  /** Events in file order; validated structurally as they stream. */
  events(): AsyncGenerator<TimelineEvent>;
  /** The closing summary; available once events() has been consumed. */
  summary(): TimelineSummary;
}

const KINDS = new Set(['file', 'traffic', 'quiet']);
const ACTIONS = new Set(['file:create', 'file:edit', 'file:rename', 'file:delete', 'leave-alone', 'exec:tcp_connect:22']);

function bad(file: string, what: string): InputError {
  return new InputError(`${file}: ${what}`);
}

export function checkHeader(file: string, h: unknown): TimelineHeader {
  if (!isObject(h)) throw bad(file, 'not a decnet-sim timeline (no header)');
  if (h.format !== TIMELINE_FORMAT) throw bad(file, `not a decnet-sim timeline (header.format is ${JSON.stringify(h.format)})`);
  if (h.version !== TIMELINE_VERSION) throw bad(file, `timeline version ${JSON.stringify(h.version)} is not supported (this engine reads version ${TIMELINE_VERSION})`);
  if (typeof h.seed !== 'string' || !isObject(h.inputs) || typeof h.inputsSha256 !== 'string') throw bad(file, 'header is incomplete (seed, inputs, inputsSha256)');
  return h as unknown as TimelineHeader;
}

export function checkEvent(file: string, line: number, e: unknown): TimelineEvent {
  if (!isObject(e)) throw bad(file, `line ${line}: expected an event object`);
  if (typeof e.id !== 'string' || typeof e.at !== 'string' || typeof e.tick !== 'number' || !isObject(e.decky) || typeof e.decky.uuid !== 'string' || typeof e.decky.name !== 'string') {
    throw bad(file, `line ${line}: event is missing id, at, tick or decky`);
  }
  if (!KINDS.has(e.kind as string) || !ACTIONS.has(e.action as string)) throw bad(file, `line ${line}: event ${e.id} has an unknown kind or action`);
  if (e.kind === 'file' && (e.action === 'file:rename' || e.action === 'file:delete')) {
    if (typeof e.path !== 'string' || (e.action === 'file:rename' && typeof e.to !== 'string') || e.content !== undefined) throw bad(file, `line ${line}: ${e.action} event ${e.id} needs a path${e.action === 'file:rename' ? ' and a target (to)' : ''} and no content`);
  } else if (e.kind === 'file') {
    const c = e.content;
    if (typeof e.path !== 'string' || !isObject(c) || typeof c.data !== 'string' || (c.encoding !== 'utf8' && c.encoding !== 'base64') || typeof c.sha256 !== 'string') {
      throw bad(file, `line ${line}: file event ${e.id} is missing path or content`);
    }
  }
  return e as unknown as TimelineEvent;
}

function parseLine(file: string, n: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw bad(file, `line ${n}: not valid JSON (truncated or edited file?)`);
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const l of rl) yield l;
}

export async function openTimeline(file: string): Promise<TimelineReader> {
  try {
    if (!statSync(file).isFile()) throw bad(file, 'not a file');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw bad(file, 'cannot read (no such file)');
  }
  const it = lines(file);
  const first = await it.next();
  if (first.done || first.value.trim() === '') {
    await it.return(undefined);
    throw bad(file, 'empty file');
  }
  const line1 = first.value;
  const JSON_HEAD = /^\{"header":(.*),"events":\[$/;
  const m = JSON_HEAD.exec(line1);
  if (m) {
    const header = checkHeader(file, parseLine(file, 1, m[1]!));
    return streamed(file, 'json', header, it);
  }
  if (line1.startsWith('{"header":') && line1.endsWith('}') && !line1.includes('"events":')) {
    const header = checkHeader(file, (parseLine(file, 1, line1) as { header: unknown }).header);
    return streamed(file, 'ndjson', header, it);
  }
  await it.return(undefined);
  return whole(file);
}

function streamed(file: string, format: 'json' | 'ndjson', header: TimelineHeader, it: AsyncGenerator<string>): TimelineReader {
  let summary: TimelineSummary | undefined;
  let used = false;
  return {
    file,
    format,
    header,
    async *events() {
      if (used) throw new Error('events() can be read once');
      used = true;
      let n = 1;
      let count = 0;
      for await (const raw of it) {
        n++;
        if (summary) {
          if (raw.trim() === '') continue;
          throw bad(file, `line ${n}: content after the summary`);
        }
        if (format === 'json') {
          if (raw.startsWith('],"summary":')) {
            if (!raw.endsWith('}')) throw bad(file, `line ${n}: truncated summary`);
            summary = (parseLine(file, n, raw.slice(2, raw.length - 1).replace(/^"summary":/, '')) as TimelineSummary);
            continue;
          }
          const text = raw.endsWith(',') ? raw.slice(0, -1) : raw;
          yield checkEvent(file, n, parseLine(file, n, text));
        } else {
          const o = parseLine(file, n, raw);
          if (isObject(o) && 'summary' in o && !('id' in o)) {
            summary = o.summary as TimelineSummary;
            continue;
          }
          yield checkEvent(file, n, o);
        }
        count++;
      }
      if (!summary) throw bad(file, 'truncated: the timeline ends before its summary');
      if (!isObject(summary) || summary.events !== count) throw bad(file, `summary counts ${isObject(summary) ? summary.events : '?'} events but the file holds ${count} (edited or truncated?)`);
    },
    summary() {
      if (!summary) throw new Error('summary() before events() was consumed');
      return summary;
    },
  };
}

function whole(file: string): TimelineReader {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw bad(file, 'not a decnet-sim timeline (neither the JSON document nor NDJSON form; truncated?)');
  }
  if (!isObject(doc)) throw bad(file, 'not a decnet-sim timeline');
  const header = checkHeader(file, doc.header);
  if (!Array.isArray(doc.events)) throw bad(file, 'events: expected an array');
  if (!isObject(doc.summary)) throw bad(file, 'truncated: no summary');
  const events = doc.events;
  const summary = doc.summary as unknown as TimelineSummary;
  if (summary.events !== events.length) throw bad(file, `summary counts ${summary.events} events but the file holds ${events.length}`);
  return {
    file,
    format: 'json',
    header,
    async *events() {
      for (let i = 0; i < events.length; i++) yield checkEvent(file, i + 1, events[i]);
    },
    summary: () => summary,
  };
}
