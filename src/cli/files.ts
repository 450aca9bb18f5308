// Reading input documents and writing outputs: the imperative edge of the CLI.
import { once } from 'node:events';
import { chmodSync, createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { RawDocument } from '../inputs/resolve.js';
import { parseJsonStrict } from '../util/json.js';
import { removeOnSignal, resolveOutputTarget, tempPathFor } from '../util/output.js';

/** Read and parse a JSON file; any failure is a one-line input error naming the file. */
export function readJsonFile(file: string): RawDocument {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? 'error'})`);
  }
  return { file: file === '-' ? '(stdin)' : file, data: parseJsonStrict(file === '-' ? '(stdin)' : file, text) };
}

/**
 * Write chunks to stdout (no file, or `-`), or atomically to a file: a temporary file in the
 * target's folder, then a rename onto it. An existing target must be a regular file (through a
 * symbolic link, its target); it keeps its mode. A failure or SIGINT/SIGTERM part way leaves no
 * temporary file and the target as it was.
 */
export async function writeChunks(chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, out?: string): Promise<void> {
  if (!out || out === '-') {
    for await (const c of chunks) {
      if (!process.stdout.write(c)) await once(process.stdout, 'drain');
    }
    return;
  }
  const target = resolveOutputTarget(out);
  const tmp = tempPathFor(target.path);
  const done = removeOnSignal(tmp);
  const ws = createWriteStream(tmp, { flags: 'wx', mode: target.mode ?? 0o666 });
  try {
    await once(ws, 'open');
    for await (const c of chunks) {
      if (!ws.write(c)) await once(ws, 'drain');
    }
    ws.end();
    await once(ws, 'finish');
    if (target.mode !== null) chmodSync(tmp, target.mode);
    renameSync(tmp, target.path);
  } catch (e) {
    ws.destroy();
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`${out}: cannot write (${code})`);
    throw e;
  } finally {
    done();
  }
}
