// Reference copy of src as it was before the one-pass reader (issue 17), kept only so
// test/reader-equivalence.test.ts can show that results and exit codes did not change.
// `verify`: re-plan a timeline from its header's inputs and compare the bytes (SPEC 9.10).
// The file is first read through the timeline reader (truncated, tampered-structure or
// wrong-version files are input errors), then the file's bytes and the re-planned bytes are
// streamed side by side: sha256 of each and the first line where they part.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { timelineChunks } from '../../src/app/plan.js';
import { buildContext } from '../../src/sim/context.js';
import { EventCursor } from '../../src/sim/plan.js';
import { makeHeader, renderTimeline } from '../../src/timeline/render.js';
import { ENGINE_VERSION, GENERATOR_VERSION } from '../../src/version.js';
import { sourceFromFile } from './check-source.js';

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

async function* lineSplit(chunks: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<string> {
  const dec = new StringDecoder('utf8');
  let rest = '';
  for await (const c of chunks) {
    hash.update(c);
    rest += dec.write(c);
    let i = rest.indexOf('\n');
    let from = 0;
    while (i >= 0) {
      yield rest.slice(from, i);
      from = i + 1;
      i = rest.indexOf('\n', from);
    }
    rest = rest.slice(from);
  }
  rest += dec.end();
  if (rest !== '') yield rest;
}

async function* bufferChunks(chunks: Iterable<string>): AsyncGenerator<Buffer> {
  for (const c of chunks) yield Buffer.from(c, 'utf8');
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

export async function verifyFile(file: string): Promise<VerifyReport> {
  // Pass 1: structure (exit 2 on a truncated or malformed file).
  const src = await sourceFromFile(file);
  let events = 0;
  for await (const _ of src.events()) events++;
  const { header, inputs } = src;
  const format = src.format ?? 'json';

  const sameGenerator = header.generatorVersion === GENERATOR_VERSION;
  let drift: string | null = null;
  if (!sameGenerator) {
    drift = `engine drift: the file was written by generator version ${header.generatorVersion} (engine ${header.engineVersion}), this engine is generator version ${GENERATOR_VERSION} (engine ${ENGINE_VERSION}); the same inputs now give different bytes`;
  } else if (header.engineVersion !== ENGINE_VERSION) {
    drift = `engine version differs (file ${header.engineVersion}, this engine ${ENGINE_VERSION}) with the same generator version: compared with the file's engine version in the header`;
  }

  // Pass 2: bytes, side by side.
  let planned: Iterable<string>;
  if (sameGenerator && header.engineVersion !== ENGINE_VERSION) {
    // Same generator: the events must match; only the header's engine version is the file's.
    const ctx = buildContext(header.seed, inputs);
    planned = renderTimeline({ ...makeHeader(header.seed, inputs), engineVersion: header.engineVersion }, new EventCursor(ctx), format, ctx.diagnostics);
  } else {
    planned = timelineChunks(header.seed, inputs, format);
  }
  const hf = createHash('sha256');
  const hp = createHash('sha256');
  const fileLines = lineSplit(createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, hf);
  const planLines = lineSplit(bufferChunks(planned), hp);
  let first: LineDifference | null = null;
  let n = 0;
  for (;;) {
    const [a, b] = await Promise.all([fileLines.next(), planLines.next()]);
    if (a.done && b.done) break;
    n++;
    if (first) continue; // keep reading to finish both hashes
    const fl = a.done ? null : a.value;
    const pl = b.done ? null : b.value;
    if (fl === pl) continue;
    let col = 1;
    if (fl !== null && pl !== null) {
      while (col <= fl.length && col <= pl.length && fl[col - 1] === pl[col - 1]) col++;
    }
    const ev = eventOn(fl);
    first = { line: n, column: col, file: excerpt(fl, col), planned: excerpt(pl, col), eventId: ev.id, decky: ev.decky, path: ev.path };
  }
  const fileSha256 = hf.digest('hex');
  const plannedSha256 = hp.digest('hex');
  return {
    file,
    ok: fileSha256 === plannedSha256,
    format,
    events,
    fileSha256,
    plannedSha256,
    engineVersion: { file: header.engineVersion, engine: ENGINE_VERSION },
    generatorVersion: { file: header.generatorVersion, engine: GENERATOR_VERSION },
    drift,
    firstDifference: first,
  };
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
