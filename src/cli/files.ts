// Reading input documents and writing outputs: the imperative edge of the CLI.
import { once } from 'node:events';
import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import type { RawDocument } from '../inputs/resolve.js';

/** Read and parse a JSON file; any failure is a one-line input error naming the file. */
export function readJsonFile(file: string): RawDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? 'error'})`);
  }
  try {
    return { file, data: JSON.parse(text) };
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * Write chunks to stdout, or atomically to a file (temporary file in the same folder, then
 * rename): a failure part way leaves no half-written output behind.
 */
export async function writeChunks(chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, out?: string): Promise<void> {
  if (!out) {
    for await (const c of chunks) {
      if (!process.stdout.write(c)) await once(process.stdout, 'drain');
    }
    return;
  }
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  const ws = createWriteStream(tmp);
  try {
    await once(ws, 'open');
    for await (const c of chunks) {
      if (!ws.write(c)) await once(ws, 'drain');
    }
    ws.end();
    await once(ws, 'finish');
    renameSync(tmp, out);
  } catch (e) {
    ws.destroy();
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`${out}: cannot write (${code})`);
    throw e;
  }
}
