// A layer's entries as a tar stream (tar-stream's packer). Deterministic: entries in the given
// order, PAX records for the nanosecond mtime and atime (the ustar field holds whole seconds),
// numeric owners with their names, no ctime (an extraction sets it, like every file's of an
// image) and nothing taken from the machine that bakes.
import tarStream from 'tar-stream';
import type { LayerEntry, Stamp } from './layer.js';

function paxTime(s: Stamp): string {
  return `${s.sec}.${String(s.ns).padStart(9, '0')}`;
}

/**
 * Pack `entries` and hand every chunk of the archive to `sink`, in order. Resolves with the
 * number of bytes written once the archive is complete.
 */
export function packLayer(entries: readonly LayerEntry[], sink: (chunk: Uint8Array) => void): Promise<number> {
  const pack = tarStream.pack();
  let total = 0;
  const done = new Promise<number>((resolve, reject) => {
    pack.on('data', (chunk: Uint8Array) => {
      total += chunk.length;
      sink(chunk);
    });
    pack.on('end', () => resolve(total));
    pack.on('error', reject);
  });
  for (const e of entries) {
    const rel = e.path.slice(1);
    const header = {
      name: e.type === 'dir' ? rel + '/' : rel,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      uname: e.uname,
      gname: e.gname,
      mtime: new Date(e.mtime.sec * 1000),
      type: e.type === 'dir' ? ('directory' as const) : ('file' as const),
      size: e.type === 'dir' ? 0 : e.body!.length,
      pax: { mtime: paxTime(e.mtime), atime: paxTime(e.atime) },
    };
    if (e.type === 'dir') pack.entry(header);
    else pack.entry(header, e.body!);
  }
  pack.finalize();
  return done;
}
