// Reading input documents and writing outputs: the imperative edge of the CLI.
// `-` names stdin for every file argument and stdout for --out; stdin is never read unless asked.
import { once } from 'node:events';
import { chmodSync, closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../errors.js';
import type { RawDocument } from '../inputs/resolve.js';
import { parseJsonStrict } from '../util/json.js';
import { removeOnSignal, resolveOutputTarget, tempPathFor } from '../util/output.js';

export const STDIN = '-';
/** What error messages call stdin. */
export const STDIN_LABEL = 'stdin';

let stdinClaimedBy: string | null = null;

/** Stdin can feed one input only; a second `-` is a usage error naming both. */
export function claimStdin(what: string): void {
  if (stdinClaimedBy !== null) throw new InputError(`${what}: stdin ("-") is already read for ${stdinClaimedBy}; only one input can come from stdin`);
  stdinClaimedBy = what;
}

/** Read and parse a JSON file (`-`: stdin); any failure is a one-line input error naming the file. */
export function readJsonFile(file: string, what = file): RawDocument {
  const label = file === STDIN ? STDIN_LABEL : file;
  let text: string;
  try {
    if (file === STDIN) claimStdin(what);
    text = readFileSync(file === STDIN ? 0 : file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${label}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? 'error'})`);
  }
  return { file: label, data: parseJsonStrict(label, text) };
}

let spoolDir: string | null = null;

/**
 * A timeline argument as a readable path and the name messages use. `-` copies stdin to a
 * private temporary file first (removed at exit): check and verify read a file more than once.
 */
export async function timelinePath(arg: string, what: string): Promise<{ path: string; label: string }> {
  if (arg !== STDIN) return { path: arg, label: arg };
  claimStdin(what);
  if (spoolDir === null) {
    spoolDir = mkdtempSync(join(tmpdir(), 'sim-stdin-'));
    const dir = spoolDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const path = join(spoolDir, 'timeline');
  await pipeline(process.stdin, createWriteStream(path, { highWaterMark: 1 << 20 }));
  return { path, label: STDIN_LABEL };
}

export interface WriteOptions {
  /** Called after each chunk is handed to the output (progress). */
  onChunk?: () => void;
}

function isSyncIterable<T>(x: Iterable<T> | AsyncIterable<T>): x is Iterable<T> {
  return typeof (x as Iterable<T>)[Symbol.iterator] === 'function';
}

/**
 * Write chunks to stdout (no `out`, or `-`), or atomically to a file: a temporary file in the
 * target's folder, then a rename onto it. An existing target must be a regular file (through a
 * symbolic link, its target); it keeps its mode. A failure or SIGINT/SIGTERM part way leaves no
 * temporary file and the target as it was. The file
 * is written with one synchronous write per chunk (the planner's are 64 KiB or more), as Node
 * writes a redirected stdout, and so as fast (a write stream's 16 KiB buffer and its callbacks
 * made `--out` about 30% slower). Like the
 * redirection it does not fsync: the rename keeps readers from ever seeing a partial file.
 */
export async function writeChunks(chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, out?: string, opts: WriteOptions = {}): Promise<void> {
  const onChunk = opts.onChunk;
  if (!out || out === STDIN) {
    for await (const c of chunks) {
      if (!process.stdout.write(c)) await once(process.stdout, 'drain');
      onChunk?.();
    }
    return;
  }
  const target = resolveOutputTarget(out);
  const tmp = tempPathFor(target.path);
  const done = removeOnSignal(tmp);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', target.mode ?? 0o666);
    const f = fd;
    let n = 0;
    const take = (c: string | Uint8Array): void => {
      if (typeof c === 'string') writeText(f, c);
      else writeAll(f, c);
      onChunk?.();
    };
    // Synchronous writes never give the event loop a turn: yield every 64 chunks (4 MiB or
    // more) so that SIGINT/SIGTERM can remove the temporary file and stop the run.
    const breathe = (): Promise<void> | null => (++n % 64 === 0 ? new Promise((r) => setImmediate(r)) : null);
    if (isSyncIterable(chunks)) {
      for (const c of chunks) {
        take(c);
        const p = breathe();
        if (p) await p;
      }
    } else {
      for await (const c of chunks) take(c);
    }
    closeSync(f);
    fd = null;
    if (target.mode !== null) chmodSync(tmp, target.mode);
    renameSync(tmp, target.path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`${out}: cannot write (${code})`);
    throw e;
  } finally {
    done();
  }
}

/** A string straight to the file (encoded by the write itself, as stdout's file writes do). */
function writeText(fd: number, text: string): void {
  const n = writeSync(fd, text);
  // A short write of a regular file is rare (a full disk reports it on the next write); the
  // cheap check catches every short write of ASCII text, the rest is written from bytes.
  if (n < text.length) writeAll(fd, Buffer.from(text, 'utf8').subarray(n));
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}
