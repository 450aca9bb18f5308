// Where an output file really goes, and the temporary file beside it. An existing target must be
// a regular file (a symbolic link is followed to its target, which must be one too): a device,
// a directory or a fifo is refused. The write goes to a temporary file in the target's folder and
// is renamed onto the target, so a symbolic link stays a link and the target keeps its mode.
import { randomBytes } from 'node:crypto';
import { realpathSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

export interface OutputTarget {
  /** The path written (symbolic links resolved). */
  path: string;
  /** The existing file's permission bits, or null for a new file. */
  mode: number | null;
}

export function resolveOutputTarget(file: string): OutputTarget {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === 'ENOTDIR') throw new InputError(`${file}: a folder on the way is a regular file`);
    if (c !== 'ENOENT') throw new InputError(`${file}: cannot use as output (${c ?? 'error'})`);
    // New file (or a dangling link: refused, we do not create files where a link points).
    let dir;
    try {
      dir = statSync(dirname(resolve(file)));
    } catch (e2) {
      const c2 = (e2 as NodeJS.ErrnoException).code;
      throw new InputError(`${file}: ${c2 === 'ENOTDIR' ? 'a folder on the way is a regular file' : 'its folder does not exist'}`);
    }
    if (!dir.isDirectory()) throw new InputError(`${file}: a folder on the way is a regular file`);
    try {
      realpathSync(file);
    } catch {
      /* expected: it does not exist */
    }
    return { path: resolve(file), mode: null };
  }
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a fifo' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new InputError(`${file}: exists and is ${what}; refusing to write over it`);
  }
  return { path: realpathSync(file), mode: st.mode & 0o7777 };
}

/** A fresh temporary name in the folder of `target`. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

const pending = new Set<string>();
let hooked = false;

/** Remove `tmp` if the process is stopped (SIGINT, SIGTERM) before `done` is called. */
export function removeOnSignal(tmp: string): () => void {
  pending.add(tmp);
  if (!hooked) {
    hooked = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        for (const t of pending) rmSync(t, { force: true });
        process.exit(sig === 'SIGINT' ? 130 : 143);
      });
    }
  }
  return () => pending.delete(tmp);
}
