// A materialised decky written to disk, so tests can look at it with an intruder's tools.
import { chmodSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bodyOf, type DeckyTree } from '../../src/timeline/materialise.js';

/** Every file of `tree` under `root` (bodies, modes, mtimes); returns `root`. */
export function writeTree(tree: DeckyTree, root: string): string {
  for (const f of tree.files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bodyOf(f.content));
    chmodSync(p, parseInt(f.mode, 8));
    utimesSync(p, f.mtimeMs / 1000, f.mtimeMs / 1000);
  }
  return root;
}
