// Inflating bytes nobody vouches for (a timeline handed to `check`) with a ceiling. A few
// kilobytes of deflate data can expand a thousandfold, and fflate's one-shot decoders size their
// output from the data's own claims (a gzip's ISIZE, a ZIP entry's size) and grow past them, so a
// crafted body could make `check` allocate gigabytes. These feed the input in small slices to
// fflate's streaming inflate and stop as soon as the output passes `limit`: memory stays within
// the limit plus what one slice can expand to (about 1,032 times its size).
import { Inflate, inflateSync } from 'fflate';

export class InflateLimitError extends Error {
  constructor(readonly limit: number) {
    super(`inflates past ${limit} bytes`);
  }
}

const SLICE = 4096;

/** Raw deflate data's bytes (a ZIP entry); throws InflateLimitError past `limit`. */
export function inflateBounded(data: Uint8Array, limit: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 0;
  const d = new Inflate((chunk) => {
    n += chunk.length;
    if (n > limit) throw new InflateLimitError(limit);
    if (chunk.length > 0) parts.push(chunk);
  });
  if (data.length === 0) d.push(data, true);
  for (let i = 0; i < data.length; i += SLICE) d.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// The wrappers are read as gunzipSync and unzlibSync read them (so the same inputs succeed and
// fail): the header is skipped, the trailer cut off unread, one member only.

/** A gzip file's bytes (RFC 1952: 10-byte header, optional extra, name, comment and CRC16). */
export function gunzipBounded(data: Uint8Array, limit: number): Uint8Array {
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new Error('invalid gzip data');
  const flags = data[3]!;
  let start = 10;
  if (flags & 4) start += (data[10]! | (data[11]! << 8)) + 2;
  // FNAME and FCOMMENT: zero-terminated strings.
  for (let strings = ((flags >> 3) & 1) + ((flags >> 4) & 1); strings > 0 && start < data.length; ) if (data[start++] === 0) strings--;
  if (flags & 2) start += 2;
  if (start + 8 > data.length) throw new Error('invalid gzip data');
  const body = data.subarray(start, data.length - 8);
  // The size the trailer claims (mod 2^32): given an output buffer, fflate's one-shot inflate
  // writes nothing past its end, so one byte of room beyond the claim shows whether it held. An
  // honest archive (every one the engine writes) takes this path at one-shot speed.
  const n = data.length;
  const claimed = (data[n - 4]! | (data[n - 3]! << 8) | (data[n - 2]! << 16) | (data[n - 1]! << 24)) >>> 0;
  if (claimed <= limit) {
    const out = inflateSync(body, { out: new Uint8Array(claimed + 1) });
    if (out.length <= claimed) return out;
  }
  return inflateBounded(body, limit);
}

/** zlib-wrapped deflate data's bytes (a PDF's FlateDecode stream; RFC 1950, no preset dictionary). */
export function unzlibBounded(data: Uint8Array, limit: number): Uint8Array {
  const cmf = data[0]!;
  const flg = data[1]!;
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 32) !== 0) throw new Error('invalid zlib data');
  return inflateBounded(data.subarray(2, Math.max(2, data.length - 4)), limit);
}
