// `verify`: re-plan a timeline from its header's inputs and compare the bytes (SPEC 9.10).
// One pass: the file is read through the timeline reader (truncated, tampered-structure or
// wrong-version files are input errors) while the re-planned bytes stream beside it: sha256 of
// each and the first line where they part. `check` runs the same Reproducer inside its own pass.
import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildContext } from '../sim/context.js';
import { EventCursor } from '../sim/plan.js';
import { makeHeader, renderTimeline, type EventSource } from '../timeline/render.js';
import { ENGINE_VERSION, GENERATOR_VERSION } from '../version.js';
import { sourceFromFile } from '../check/source.js';
import type { PlanInputs } from '../inputs/types.js';
import type { ReadOptions } from '../timeline/read.js';
import type { TimelineEvent, TimelineHeader } from '../timeline/types.js';

export interface LineDifference {
  line: number;
  /** First differing character (1-based) on that line. */
  column: number;
  file: string | null;
  planned: string | null;
  /** Event id on the file's line, when it holds an event. */
  eventId: string | null;
  decky: string | null;
  path: string | null;
}

export interface VerifyReport {
  file: string;
  ok: boolean;
  format: 'json' | 'ndjson';
  events: number;
  fileSha256: string;
  plannedSha256: string;
  engineVersion: { file: string; engine: string };
  generatorVersion: { file: number; engine: number };
  /** A sentence when the file was written by a different engine or generator version. */
  drift: string | null;
  firstDifference: LineDifference | null;
}

const EXCERPT = 160;

function excerpt(line: string | null, column: number): string | null {
  if (line === null) return null;
  const from = Math.max(0, column - 1 - EXCERPT / 2);
  return (from > 0 ? '...' : '') + line.slice(from, from + EXCERPT) + (from + EXCERPT < line.length ? '...' : '');
}

function eventOn(line: string | null): { id: string | null; decky: string | null; path: string | null } {
  if (!line) return { id: null, decky: null, path: null };
  try {
    const o = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as { id?: unknown; decky?: { name?: unknown }; path?: unknown };
    return {
      id: typeof o.id === 'string' ? o.id : null,
      decky: typeof o.decky?.name === 'string' ? o.decky.name : null,
      path: typeof o.path === 'string' ? o.path : null,
    };
  } catch {
    return { id: null, decky: null, path: null };
  }
}

/**
 * The re-planned bytes of a timeline, compared line by line with the file's as the file is
 * read (a ReadTap): sha256 of each side and the first line where they part. Planning runs only
 * as far as the file has been read, so file and plan stream side by side in one pass.
 *
 * The re-planned bytes are hashed only from the first difference on: before it they are the
 * file's own bytes (equal lines, and the file valid UTF-8, so its bytes are those lines'
 * encoding), so the planned hash starts from a copy of the file's hash state at the start of the
 * text the differing line is in, plus the equal lines of that text. A file that matches to the
 * end has the file's hash (with the final newline it may lack); a file that is not valid UTF-8
 * where its text matched is re-planned once more for the hash.
 */
export class Reproducer {
  private readonly hf = createHash('sha256');
  /** The planned bytes' hash once they have differed (null before). */
  private hp: Hash | null = null;
  /** The file's hash state before the text the current line is in, and that text's equal lines. */
  private base: Hash | null = null;
  private regionLines: string[] = [];
  private fileValid = true;
  private lastByte = -1;
  private readonly planned: Iterator<string>;
  private readonly replan: () => Iterator<string>;
  private rest = '';
  private pos = 0;
  /** Where the line nextPlanned() returned last starts in `rest`. */
  private lineStart = 0;
  private planDone = false;
  private fileLines = 0;
  first: LineDifference | null = null;
  readonly drift: string | null;

  constructor(private readonly header: TimelineHeader, inputs: PlanInputs, format: 'json' | 'ndjson') {
    const sameGenerator = header.generatorVersion === GENERATOR_VERSION;
    let drift: string | null = null;
    if (!sameGenerator) {
      drift = `engine drift: the file was written by generator version ${header.generatorVersion} (engine ${header.engineVersion}), this engine is generator version ${GENERATOR_VERSION} (engine ${ENGINE_VERSION}); the same inputs now give different bytes`;
    } else if (header.engineVersion !== ENGINE_VERSION) {
      drift = `engine version differs (file ${header.engineVersion}, this engine ${ENGINE_VERSION}) with the same generator version: compared with the file's engine version in the header`;
    }
    this.drift = drift;
    const ctx = buildContext(header.seed, inputs);
    const cursor = new EventCursor(ctx);
    const keepQuiet = inputs.quiet;
    // The events rendered, in order, until the first difference (see plannedEvent).
    const source: EventSource = {
      next: () => {
        const ev = cursor.next();
        if (ev !== null && this.keepEvents && this.first === null && (keepQuiet || ev.kind !== 'quiet')) this.queue.push(ev);
        return ev;
      },
    };
    // Same generator, other engine version: the events must match; only the header's engine
    // version is the file's.
    const h = makeHeader(header.seed, inputs);
    const head = sameGenerator && header.engineVersion !== ENGINE_VERSION ? { ...h, engineVersion: header.engineVersion } : h;
    this.planned = renderTimeline(head, source, format, ctx.diagnostics);
    this.replan = () => {
      const c = buildContext(header.seed, inputs);
      return renderTimeline(head, new EventCursor(c), format, c.diagnostics);
    };
  }

  private keepEvents = false;
  private queue: TimelineEvent[] = [];
  private head = 0;

  /** Keep the planned events for plannedEvent() (call before the first line is fed). */
  keepPlannedEvents(): void {
    this.keepEvents = true;
  }

  /**
   * The planned event of the file's next event line, taken in file order, one per event line,
   * after that line has been fed: while no line has differed, the file's event line is exactly
   * this event's encoding (JSON.parse of it is this event), so callers need not parse it. Null
   * from the first difference on.
   */
  plannedEvent(): TimelineEvent | null {
    if (this.first !== null || this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
      return null;
    }
    const ev = this.queue[this.head++]!;
    if (this.head >= 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return ev;
  }

  /** A line differed (or one side ended first). */
  get diverged(): boolean {
    return this.first !== null;
  }

  bytes(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.first === null) {
      this.base = this.fileValid ? this.hf.copy() : null;
      this.regionLines = [];
      if (this.fileValid) this.fileValid = isUtf8(chunk);
    }
    this.lastByte = chunk[chunk.length - 1]!;
    this.hf.update(chunk);
  }

  line(fl: string): void {
    this.fileLines++;
    if (this.first) return;
    const pl = this.nextPlanned();
    if (fl !== pl) {
      this.differ(this.fileLines, fl, pl);
      this.startPlannedHash();
    } else this.regionLines.push(fl);
  }

  /** At the first difference: the planned hash of everything before it, then the rest as planned. */
  private startPlannedHash(): void {
    if (this.base === null) return; // not valid UTF-8 before here: report() re-plans
    const hp = this.base;
    for (const l of this.regionLines) hp.update(l + '\n', 'utf8');
    hp.update(this.rest.slice(this.lineStart), 'utf8');
    this.hp = hp;
    this.base = null;
    this.regionLines = [];
  }

  private pull(): boolean {
    if (this.planDone) return false;
    const r = this.planned.next();
    if (r.done) {
      this.planDone = true;
      return false;
    }
    this.hp?.update(r.value, 'utf8');
    this.rest = this.pos < this.rest.length ? this.rest.slice(this.pos) + r.value : r.value;
    this.pos = 0;
    return true;
  }

  private nextPlanned(): string | null {
    for (;;) {
      const i = this.rest.indexOf('\n', this.pos);
      if (i >= 0) {
        this.lineStart = this.pos;
        const l = this.rest.slice(this.pos, i);
        this.pos = i + 1;
        return l;
      }
      if (!this.pull()) break;
    }
    this.lineStart = this.pos;
    if (this.pos >= this.rest.length) return null;
    const l = this.rest.slice(this.pos);
    this.pos = this.rest.length;
    return l;
  }

  private differ(n: number, fl: string | null, pl: string | null): void {
    let col = 1;
    if (fl !== null && pl !== null) {
      while (col <= fl.length && col <= pl.length && fl[col - 1] === pl[col - 1]) col++;
    }
    const ev = eventOn(fl);
    this.first = { line: n, column: col, file: excerpt(fl, col), planned: excerpt(pl, col), eventId: ev.id, decky: ev.decky, path: ev.path };
  }

  /** Once the whole file has been fed: finish the plan and report. */
  report(file: string, format: 'json' | 'ndjson', events: number): VerifyReport {
    if (!this.first) {
      const pl = this.nextPlanned();
      if (pl !== null) {
        this.differ(this.fileLines + 1, null, pl);
        this.startPlannedHash();
      }
    }
    while (this.pull()) this.rest = '';
    let hp = this.hp;
    if (hp === null && this.first === null && this.fileValid) {
      // Every line equal and the plan ended with the file: the same bytes, but for a final newline.
      hp = this.hf.copy();
      if (this.lastByte !== 10) hp.update('\n');
    }
    if (hp === null) {
      hp = createHash('sha256');
      for (const c of { [Symbol.iterator]: () => this.replan() }) hp.update(c, 'utf8');
    }
    const fileSha256 = this.hf.digest('hex');
    const plannedSha256 = hp.digest('hex');
    const { header } = this;
    return {
      file,
      ok: fileSha256 === plannedSha256,
      format,
      events,
      fileSha256,
      plannedSha256,
      engineVersion: { file: header.engineVersion, engine: ENGINE_VERSION },
      generatorVersion: { file: header.generatorVersion, engine: GENERATOR_VERSION },
      drift: this.drift,
      firstDifference: this.first,
    };
  }
}

/** Feed a whole file to a reproducer (documents not in the line layout, read whole). */
function feedWhole(file: string, rep: Reproducer): void {
  const bytes = readFileSync(file);
  rep.bytes(bytes);
  const text = bytes.toString('utf8');
  let from = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', from)) {
    rep.line(text.slice(from, i));
    from = i + 1;
  }
  if (from < text.length) rep.line(text.slice(from));
}

/**
 * Re-plan a timeline file from its header while reading it, one pass: lines equal to the
 * re-planned ones are known good and are not parsed; from the first difference on every line is
 * decoded and checked (a truncated or malformed file is an input error, exit 2).
 */
export async function verifyFile(path: string, opts: Pick<ReadOptions, 'onProgress' | 'label'> = {}): Promise<VerifyReport> {
  const file = opts.label ?? path;
  const src = await sourceFromFile(path, opts);
  const reader = src.reader!;
  const format = src.format ?? 'json';
  const rep = new Reproducer(src.header, src.inputs, format);
  if (reader.lines) {
    reader.tap(rep);
    while (reader.nextLine() !== null) if (rep.diverged) reader.decode();
  } else {
    for (const _ of reader.events());
    feedWhole(path, rep);
  }
  return rep.report(file, format, reader.count);
}

export function renderVerify(r: VerifyReport): string {
  const out: string[] = [];
  if (r.ok) {
    out.push(`ok: ${r.file} reproduces from its header (${r.events} events, ${r.format}, sha256 ${r.fileSha256})`);
    if (r.drift) out.push(`note: ${r.drift}`);
    return out.join('\n') + '\n';
  }
  out.push(`MISMATCH: ${r.file} does not reproduce from its header`);
  out.push(`  file sha256:      ${r.fileSha256}`);
  out.push(`  re-planned sha256: ${r.plannedSha256}`);
  if (r.drift) out.push(`  ${r.drift}`);
  const d = r.firstDifference;
  if (d) {
    const what = d.eventId ? ` (event ${d.eventId}${d.decky ? ` on ${d.decky}` : ''}${d.path ? ` ${d.path}` : ''})` : '';
    out.push(`  first difference: line ${d.line}, column ${d.column}${what}`);
    out.push(`    file:    ${d.file ?? '(end of file)'}`);
    out.push(`    planned: ${d.planned ?? '(end of re-planned output)'}`);
  }
  return out.join('\n') + '\n';
}
