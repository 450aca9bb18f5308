// Reading timelines back (check, diff, verify, stats, run --timeline): one synchronous pass over
// the file in large chunks, split into lines by hand (no readline, no async layers: nothing here
// waits for anything but the disk). The JSON document this tool writes holds one event per line,
// NDJSON likewise; anything else that parses as a timeline JSON document (for example re-indented
// by jq) is read whole. Truncated, tampered or wrong-version files are input errors (exit 2).
//
// Callers that can vouch for a line without parsing it (verify and diff compare raw lines first)
// read with nextLine() and decode() only the lines they need: a line left undecoded is taken as
// valid. Structure, framing, the summary count and (with `ordered`) the SPEC 6 order are checked
// in the same pass.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { isObject } from '../inputs/validate.js';
import { TIMELINE_FORMAT, TIMELINE_VERSION } from '../version.js';
import type { TimelineEvent, TimelineHeader, TimelineSummary } from './types.js';

/** How far a read has come: bytes of the file and events read so far, the file's size. */
export interface ReadProgress {
  bytes: number;
  totalBytes: number | null;
  events: number;
}

export interface ReadOptions {
  /** Called after each chunk read (about every MiB) and once at the end. */
  onProgress?: (p: ReadProgress) => void;
  /** Check the SPEC 6 order (at, decky uuid, tick) and the `at` form of each event. */
  ordered?: boolean;
  /** The name messages use when it is not the path read (stdin, spooled to a temporary file). */
  label?: string;
}

/**
 * What a caller sees of the raw bytes: all of them in order, every line split on `\n` only. Each
 * bytes() call holds whole lines (the bytes of the text the lines that follow it come from; only
 * the last call, at the end of the file, may end without a newline), and comes before those lines.
 */
export interface ReadTap {
  bytes?(chunk: Uint8Array): void;
  /** A line of the file as split on `\n` (carriage returns kept), 1-based. */
  line?(text: string, n: number): void;
}

export interface TimelineReader {
  file: string;
  format: 'json' | 'ndjson';
  header: TimelineHeader;
  /** Set for files in the line layout (false when the document was read whole). */
  readonly lines: boolean;
  /**
   * Raw text of the next event (its framing comma removed), or null after the last one (the
   * summary is then read and its count checked). A line that is not decode()d or accept()ed is
   * taken as valid.
   */
  nextLine(): string | null;
  /** Parse and check the line nextLine() returned last. */
  decode(): TimelineEvent;
  /** The event of the current line, known from elsewhere (same text): only the order check runs. */
  accept(ev: TimelineEvent): TimelineEvent;
  /** Events in file order, each decoded and checked. Readable once. */
  events(): Generator<TimelineEvent>;
  /** The closing summary; available once the events have been read. */
  summary(): TimelineSummary;
  /** Events read so far. */
  readonly count: number;
  /** Every chunk and line from the start of the file (what was read already is replayed). */
  tap(t: ReadTap): void;
  /** Release the file before the end (reading to the end closes it). */
  close(): void;
}

const KINDS = new Set(['file', 'traffic', 'quiet']);
const ACTIONS = new Set(['file:create', 'file:edit', 'file:rename', 'file:delete', 'leave-alone', 'exec:tcp_connect:22']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

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

/** SPEC 6 order: `at`, then decky uuid, then tick. Negative when a sorts before b. */
export function compareOrder(a: Pick<TimelineEvent, 'at' | 'tick' | 'decky'>, b: Pick<TimelineEvent, 'at' | 'tick' | 'decky'>): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.decky.uuid !== b.decky.uuid) return a.decky.uuid < b.decky.uuid ? -1 : 1;
  return a.tick - b.tick;
}

function parseLine(file: string, n: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw bad(file, `line ${n}: not valid JSON (truncated or edited file?)`);
  }
}

const CHUNK = 1 << 20;

/**
 * Lines of a file split on `\n`, read in 1 MiB chunks with readSync. Each chunk is decoded up to
 * its last newline in one call; a newline byte never sits inside a UTF-8 sequence, so no
 * character is ever split. The last line is returned without a newline; a final empty one is not.
 */
class RawLines {
  private buf = Buffer.allocUnsafe(CHUNK);
  /** Bytes in buf not yet decoded (the start of a line). */
  private kept = 0;
  private text = '';
  private pos = 0;
  private eof = false;
  /** The decoded text holds a carriage return (CRLF or lone CR line ends). */
  cr = false;
  bytesRead = 0;
  rawLine = 0;
  tap: ReadTap | null = null;
  /** Chunks and lines read before a tap was set, in order, replayed to it. */
  private early: Array<Uint8Array | string> | null = [];

  constructor(private readonly fd: number, private readonly onChunk: () => void) {}

  setTap(t: ReadTap): void {
    if (!this.early) throw new Error('tap() must come before the first event is read');
    const early = this.early;
    this.early = null;
    this.tap = t;
    let n = 0;
    for (const x of early) {
      if (typeof x === 'string') t.line?.(x, ++n);
      else t.bytes?.(x);
    }
  }

  /** Stop keeping early chunks (no tap will come). */
  noTap(): void {
    this.early = null;
  }

  next(): string | null {
    for (;;) {
      const i = this.text.indexOf('\n', this.pos);
      if (i >= 0) {
        const l = this.text.slice(this.pos, i);
        this.pos = i + 1;
        return this.emit(l);
      }
      if (this.eof) return null;
      this.fill();
    }
  }

  private emit(l: string): string {
    this.rawLine++;
    if (this.tap?.line) this.tap.line(l, this.rawLine);
    else if (this.early) this.early.push(l);
    return l;
  }

  /** The bytes of the text about to be split (handed over before the buffer is reused). */
  private region(b: Buffer): void {
    if (this.tap?.bytes) this.tap.bytes(b);
    else if (this.early) this.early.push(Buffer.from(b));
  }

  private fill(): void {
    for (;;) {
      if (this.kept === this.buf.length) {
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(bigger, 0, 0, this.kept);
        this.buf = bigger;
      }
      const n = readSync(this.fd, this.buf, this.kept, this.buf.length - this.kept, null);
      if (n > 0) this.bytesRead += n;
      const end = this.kept + n;
      if (n === 0) {
        this.eof = true;
        // The last line, without a newline; an empty rest is no line.
        if (end > 0) this.region(this.buf.subarray(0, end));
        this.text = end > 0 ? this.buf.toString('utf8', 0, end) + '\n' : '';
        this.pos = 0;
        this.kept = 0;
        if (end > 0 && !this.cr) this.cr = this.buf.subarray(0, end).includes(13);
        this.onChunk();
        return;
      }
      const last = this.buf.lastIndexOf(10, end - 1);
      if (last < this.kept) {
        this.kept = end; // no newline yet: the line goes on
        continue;
      }
      if (!this.cr) this.cr = this.buf.subarray(0, last + 1).includes(13);
      this.region(this.buf.subarray(0, last + 1));
      this.text = this.buf.toString('utf8', 0, last + 1);
      this.pos = 0;
      this.buf.copy(this.buf, 0, last + 1, end);
      this.kept = end - last - 1;
      this.onChunk();
      return;
    }
  }
}

/**
 * Lines as readline gave them (`\r\n`, `\n` and a lone `\r` all end a line), numbered the same way:
 * what line numbers in error messages count. Without any carriage return these are the raw lines.
 */
class Lines {
  n = 0;
  private pending: string[] = [];

  constructor(readonly raw: RawLines) {}

  next(): string | null {
    if (this.pending.length > 0) {
      this.n++;
      return this.pending.shift()!;
    }
    const l = this.raw.next();
    if (l === null) return null;
    if (this.raw.cr && l.includes('\r')) {
      const parts = (l.endsWith('\r') ? l.slice(0, -1) : l).split('\r');
      this.pending = parts.slice(1);
      this.n++;
      return parts[0]!;
    }
    this.n++;
    return l;
  }
}

export function openTimeline(path: string, opts: ReadOptions = {}): TimelineReader {
  const file = opts.label ?? path;
  let fd: number;
  let size: number;
  // `-` is stdin (read once, as it streams).
  const stdin = file === '-';
  try {
    fd = stdin ? 0 : openSync(path, 'r');
  } catch {
    throw bad(file, 'cannot read (no such file)');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() && !stdin) throw bad(file, 'not a file');
    size = st.size;
  } catch (e) {
    closeSync(fd);
    if (e instanceof InputError) throw e;
    throw bad(file, 'cannot read (no such file)');
  }
  try {
    let reader: LineReader | null = null;
    const raw = new RawLines(fd, () => reader?.progress());
    const lines = new Lines(raw);
    const line1 = lines.next();
    if (line1 === null || line1.trim() === '') throw bad(file, 'empty file');
    const JSON_HEAD = /^\{"header":(.*),"events":\[$/;
    const m = JSON_HEAD.exec(line1);
    if (m) {
      const header = checkHeader(file, parseLine(file, 1, m[1]!));
      return (reader = new LineReader(file, 'json', header, fd, size, lines, opts));
    }
    if (line1.startsWith('{"header":') && line1.endsWith('}') && !line1.includes('"events":')) {
      const header = checkHeader(file, (parseLine(file, 1, line1) as { header: unknown }).header);
      return (reader = new LineReader(file, 'ndjson', header, fd, size, lines, opts));
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  closeSync(fd);
  return whole(path, file, opts);
}

class LineReader implements TimelineReader {
  readonly lines = true;
  count = 0;
  private sum: TimelineSummary | undefined;
  private text: string | null = null;
  private textLine = 0;
  private decoded = false;
  /** The previous event, or its text when it was not decoded (order checks parse it lazily). */
  private prev: Pick<TimelineEvent, 'at' | 'tick' | 'decky'> | null = null;
  private prevText: string | null = null;
  private closed = false;
  private used = false;

  constructor(
    readonly file: string,
    readonly format: 'json' | 'ndjson',
    readonly header: TimelineHeader,
    private readonly fd: number,
    private readonly size: number,
    private readonly src: Lines,
    private readonly opts: ReadOptions,
  ) {}

  progress(): void {
    this.opts.onProgress?.({ bytes: this.src.raw.bytesRead, totalBytes: this.size, events: this.count });
  }

  tap(t: ReadTap): void {
    this.src.raw.setTap(t);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  nextLine(): string | null {
    if (this.text !== null && !this.decoded) {
      this.prevText = this.text;
      this.prev = null;
    }
    this.text = null;
    if (this.closed) return null;
    this.src.raw.noTap();
    try {
      return this.advance();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private advance(): string | null {
    const file = this.file;
    for (;;) {
      const raw = this.src.next();
      if (raw === null) break;
      const n = this.src.n;
      if (this.sum) {
        if (raw.trim() === '') continue;
        throw bad(file, `line ${n}: content after the summary`);
      }
      if (this.format === 'json') {
        if (raw.startsWith('],"summary":')) {
          if (!raw.endsWith('}')) throw bad(file, `line ${n}: truncated summary`);
          this.sum = parseLine(file, n, raw.slice(2, raw.length - 1).replace(/^"summary":/, '')) as TimelineSummary;
          continue;
        }
        this.text = raw.endsWith(',') ? raw.slice(0, -1) : raw;
      } else {
        // A summary line is the only one that is not an event: decide cheaply, parse to be sure.
        if (raw.startsWith('{"summary":') || !raw.startsWith('{"id":')) {
          const o = parseLine(file, n, raw);
          if (isObject(o) && 'summary' in o && !('id' in o)) {
            this.sum = o.summary as TimelineSummary;
            continue;
          }
        }
        this.text = raw;
      }
      this.textLine = n;
      this.decoded = false;
      this.count++;
      return this.text;
    }
    this.progress();
    this.close();
    const sum = this.sum;
    if (!sum) throw bad(file, 'truncated: the timeline ends before its summary');
    if (!isObject(sum) || sum.events !== this.count) throw bad(file, `summary counts ${isObject(sum) ? sum.events : '?'} events but the file holds ${this.count} (edited or truncated?)`);
    return null;
  }

  decode(): TimelineEvent {
    if (this.text === null) throw new Error('decode() without a current line');
    try {
      return this.accept(checkEvent(this.file, this.textLine, parseLine(this.file, this.textLine, this.text)));
    } catch (e) {
      this.close();
      throw e;
    }
  }

  accept(ev: TimelineEvent): TimelineEvent {
    this.decoded = true;
    if (this.opts.ordered) {
      const n = this.count;
      if (!ISO.test(ev.at)) throw bad(this.file, `event ${ev.id} (#${n}): at is not an ISO 8601 UTC instant with seconds and Z: ${JSON.stringify(ev.at)}`);
      if (this.prev === null && this.prevText !== null) this.prev = JSON.parse(this.prevText) as TimelineEvent;
      if (this.prev && compareOrder(this.prev, ev) >= 0) {
        throw bad(this.file, `event ${ev.id} (#${n}) is out of order (events must be sorted by at, decky uuid, tick; edited file?)`);
      }
      this.prev = ev;
      this.prevText = null;
    }
    return ev;
  }

  *events(): Generator<TimelineEvent> {
    if (this.used) throw new Error('events() can be read once');
    this.used = true;
    while (this.nextLine() !== null) yield this.decode();
  }

  summary(): TimelineSummary {
    if (!this.sum || !this.closed) throw new Error('summary() before the events were read');
    return this.sum;
  }
}

function whole(path: string, file: string, opts: ReadOptions): TimelineReader {
  let doc: unknown;
  let size = 0;
  try {
    const bytes = readFileSync(path);
    size = bytes.length;
    doc = JSON.parse(bytes.toString('utf8'));
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
  let i = -1;
  let prev: TimelineEvent | null = null;
  const r: TimelineReader = {
    file,
    format: 'json',
    header,
    lines: false,
    count: 0,
    nextLine() {
      i++;
      if (i >= events.length) {
        opts.onProgress?.({ bytes: size, totalBytes: size, events: events.length });
        return null;
      }
      (r as { count: number }).count = i + 1;
      return JSON.stringify(events[i]);
    },
    decode() {
      return r.accept(checkEvent(file, i + 1, events[i]));
    },
    accept(ev) {
      if (opts.ordered) {
        if (!ISO.test(ev.at)) throw bad(file, `event ${ev.id} (#${i + 1}): at is not an ISO 8601 UTC instant with seconds and Z: ${JSON.stringify(ev.at)}`);
        if (prev && compareOrder(prev, ev) >= 0) throw bad(file, `event ${ev.id} (#${i + 1}) is out of order (events must be sorted by at, decky uuid, tick; edited file?)`);
        prev = ev;
      }
      return ev;
    },
    *events() {
      // Every event is decoded here, so nothing is left to be taken on trust.
      while (r.nextLine() !== null) yield r.decode();
    },
    summary: () => summary,
    tap() {
      throw new Error('tap() needs the line layout');
    },
    close() {},
  };
  return r;
}
