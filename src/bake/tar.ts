// A layer's entries as a tar stream. Deterministic: entries in the given order, PAX records for
// the nanosecond mtime and atime (the ustar field holds whole seconds), numeric owners with their
// names, no ctime (an extraction sets it, like every file's of an image) and nothing taken from
// the machine that bakes.
//
// The headers are tar-stream's own encoders (`tar-stream/headers.js`: the ustar header and the
// PAX record block, checksums included); this module only lays them out as tar-stream's pack
// stream does (PAX header, records padded to 512, the entry's header, the body padded to 512,
// two zero blocks at the end), without a stream object per entry, and hands the archive to the
// sink in chunks of about 1 MiB. test/bake.test.ts checks the bytes against tar-stream's pack().
import { createRequire } from 'node:module';
import type { LayerEntry, Stamp } from './layer.js';

interface HeaderFields {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: Date;
  type: 'file' | 'directory' | 'pax-header';
  uname: string;
  gname: string;
}

interface TarHeaders {
  encode(h: HeaderFields): Uint8Array | null;
  encodePax(o: { name: string; pax: Record<string, string> }): Uint8Array;
}

const headers = createRequire(import.meta.url)('tar-stream/headers.js') as TarHeaders;

/** Output chunk size handed to the sink. */
const CHUNK = 1 << 20;
const ZEROS = new Uint8Array(1024);

function paxTime(s: Stamp): string {
  return `${s.sec}.${String(s.ns).padStart(9, '0')}`;
}

/** Collects the archive into ~1 MiB chunks (large bodies pass through whole). */
class Out {
  private buf = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  total = 0;
  constructor(private readonly sink: (chunk: Uint8Array) => void) {}

  push(b: Uint8Array, len = b.length): void {
    this.total += len;
    if (len > CHUNK - this.at) {
      this.flush();
      if (len >= CHUNK) {
        this.sink(len === b.length ? b : b.subarray(0, len));
        return;
      }
    }
    this.buf.set(len === b.length ? b : b.subarray(0, len), this.at);
    this.at += len;
  }

  /** Zero padding up to the next 512-byte boundary after `size` bytes. */
  pad(size: number): void {
    const r = size & 511;
    if (r) this.push(ZEROS, 512 - r);
  }

  flush(): void {
    if (this.at === 0) return;
    // The sink may keep the chunk: it gets the filled part, and packing goes on in a fresh buffer.
    this.sink(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
  }
}

/**
 * Pack `entries` and hand every chunk of the archive to `sink`, in order. Resolves with the
 * number of bytes written once the archive is complete.
 */
export async function packLayer(entries: readonly LayerEntry[], sink: (chunk: Uint8Array) => void): Promise<number> {
  const out = new Out(sink);
  for (const e of entries) {
    const rel = e.path.slice(1);
    const name = e.type === 'dir' ? rel + '/' : rel;
    const size = e.type === 'dir' ? 0 : e.body!.length;
    const pax = headers.encodePax({ name, pax: { mtime: paxTime(e.mtime), atime: paxTime(e.atime) } });
    // tar-stream's pack() defaults a zero mode to 0755 (directories) or 0644 (files).
    const mode = e.mode || (e.type === 'dir' ? 0o755 : 0o644);
    const h: HeaderFields = { name: 'PaxHeader', mode, uid: e.uid, gid: e.gid, size: pax.length, mtime: new Date(e.mtime.sec * 1000), type: 'pax-header', uname: e.uname, gname: e.gname };
    out.push(headers.encode(h)!);
    out.push(pax);
    out.pad(pax.length);
    h.size = size;
    h.type = e.type === 'dir' ? 'directory' : 'file';
    out.push(headers.encode(h)!);
    if (size > 0) {
      out.push(e.body!);
      out.pad(size);
    }
  }
  out.push(ZEROS);
  out.flush();
  return out.total;
}
