// DEFLATE (RFC 1951) and its gzip framing (RFC 1952), written for the planner's hot path: every
// decky rotates its logs daily and each rotation compresses the day before, about 15,000 small
// archives in a 100-decky month. A general-purpose compressor allocates its match tables and
// symbol buffers on every call (about 250 KiB of zeroed typed arrays); at that rate the garbage
// collector's work on them cost more than the compression itself. This one keeps its tables for
// the life of the process and allocates only the result.
//
// The output is a pure function of the input bytes (no platform-dependent hashing, unlike a native
// zlib build), so timelines stay byte-identical on every machine. The method is the classic one
// zlib uses at its default level: a 32 KiB window searched through hash chains, lazy matching
// (a match is kept only if the next position does not start a longer one), and for each block of
// up to 16 Ki symbols the cheapest of a stored, a fixed-Huffman and a dynamic-Huffman encoding.
// Compression comes within a few per cent of `gzip -6` on log text.

import { crc32 as zlibCrc32 } from 'node:zlib';

const WINDOW = 1 << 15;
const WMASK = WINDOW - 1;
const HASH_BITS = 15;
const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** Search limits of zlib's level 6 (good, lazy, nice, chain) and its far-short-match rule. */
const GOOD_LENGTH = 8;
const MAX_LAZY = 16;
const NICE_LENGTH = 128;
const MAX_CHAIN = 128;
const TOO_FAR = 4096;
/** Symbols per block. */
const BLOCK_SYMBOLS = 1 << 14;

// ---- code tables (RFC 1951 3.2.5) ----

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** The order code-length code lengths are sent in. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Length 3..258 -> length code index 0..28. */
const lengthCode = new Uint8Array(MAX_MATCH + 1);
for (let c = 0; c < 29; c++) {
  const top = c === 28 ? 258 : LENGTH_BASE[c]! + (1 << LENGTH_EXTRA[c]!) - 1;
  for (let l = LENGTH_BASE[c]!; l <= top; l++) lengthCode[l] = c;
}
lengthCode[258] = 28;

function distCode(d: number): number {
  let lo = 0;
  let hi = 29;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (DIST_BASE[mid]! <= d) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
/** Distance 1..256 -> code directly; larger distances through (d - 1) >> 7. */
const distLow = new Uint8Array(257);
const distHigh = new Uint8Array(256);
for (let d = 1; d <= 256; d++) distLow[d] = distCode(d);
for (let k = 2; k < 256; k++) distHigh[k] = distCode((k << 7) + 1);

function distanceCode(d: number): number {
  return d <= 256 ? distLow[d]! : distHigh[(d - 1) >> 7]!;
}

/** The fixed Huffman code's lengths (RFC 1951 3.2.6). */
const FIXED_LIT = new Uint8Array(288);
FIXED_LIT.fill(8, 0, 144);
FIXED_LIT.fill(9, 144, 256);
FIXED_LIT.fill(7, 256, 280);
FIXED_LIT.fill(8, 280, 288);
const FIXED_DIST = new Uint8Array(30).fill(5);

// ---- Huffman codes ----

// Scratch for the code builders (no allocation per block): at most 286 symbols, so 571 nodes.
const scratchFreq = new Uint32Array(286);
const sortKeys = new Float64Array(286);
const weight = new Float64Array(2 * 286);
const parent = new Int32Array(2 * 286);
const depth = new Uint8Array(2 * 286);
const leafSymbol = new Int32Array(286);

/**
 * Code lengths for `freq` (no length over `limit`), written into `lens`. Ties break by symbol so
 * the result is a function of the frequencies alone. At least two symbols get a code (a decoder
 * may reject a one-code tree), and when the optimal tree is too deep the frequencies are halved
 * until it fits: rare on the block sizes used here, and always correct.
 */
function buildLengths(freq: Uint32Array, n: number, limit: number, lens: Uint8Array): void {
  lens.fill(0, 0, n);
  const f = scratchFreq;
  let used = 0;
  for (let i = 0; i < n; i++) if ((f[i] = freq[i]!) > 0) used++;
  for (let i = 0; used < 2 && i < n; i++) {
    if (f[i] === 0) {
      f[i] = 1;
      used++;
    }
  }
  for (;;) {
    if (huffmanLengths(f, n, limit, lens)) return;
    for (let i = 0; i < n; i++) if (f[i]! > 0) f[i] = (f[i]! >>> 1) | 1;
  }
}

/** Optimal code lengths by the two-queue method; false when one exceeds `limit`. */
function huffmanLengths(f: Uint32Array, n: number, limit: number, lens: Uint8Array): boolean {
  // Leaves in ascending (frequency, symbol) order: one numeric key each, sorted natively.
  let m = 0;
  for (let i = 0; i < n; i++) if (f[i]! > 0) sortKeys[m++] = f[i]! * 512 + i;
  const keys = sortKeys.subarray(0, m).sort();
  for (let k = 0; k < m; k++) {
    const sym = keys[k]! % 512;
    leafSymbol[k] = sym;
    weight[k] = f[sym]!;
  }
  // Nodes 0..m-1 are the leaves, m.. the internal nodes in the order made (ascending weight).
  let li = 0;
  let qi = m;
  let next = m;
  while (next < 2 * m - 1) {
    const a = li < m && (qi >= next || weight[li]! <= weight[qi]!) ? li++ : qi++;
    const b = li < m && (qi >= next || weight[li]! <= weight[qi]!) ? li++ : qi++;
    weight[next] = weight[a]! + weight[b]!;
    parent[a] = next;
    parent[b] = next;
    next++;
  }
  depth[2 * m - 2] = 0;
  for (let i = 2 * m - 3; i >= 0; i--) depth[i] = depth[parent[i]!]! + 1;
  for (let i = 0; i < m; i++) {
    if (depth[i]! > limit) return false;
    lens[leafSymbol[i]!] = depth[i]!;
  }
  return true;
}

/** Canonical codes for `lens`, bit-reversed for LSB-first output. */
const lengthCount = new Uint16Array(16);
const nextCode = new Uint16Array(16);

function canonicalCodes(lens: Uint8Array, n: number, codes: Uint16Array): void {
  const count = lengthCount;
  count.fill(0);
  for (let i = 0; i < n; i++) count[lens[i]!]!++;
  count[0] = 0;
  let code = 0;
  for (let bits = 1; bits <= 15; bits++) {
    code = (code + count[bits - 1]!) << 1;
    nextCode[bits] = code;
  }
  for (let i = 0; i < n; i++) {
    const len = lens[i]!;
    if (len === 0) continue;
    let c = nextCode[len]!++;
    let r = 0;
    for (let b = 0; b < len; b++) {
      r = (r << 1) | (c & 1);
      c >>= 1;
    }
    codes[i] = r;
  }
}

const FIXED_LIT_CODES = new Uint16Array(288);
const FIXED_DIST_CODES = new Uint16Array(30);
canonicalCodes(FIXED_LIT, 288, FIXED_LIT_CODES);
canonicalCodes(FIXED_DIST, 30, FIXED_DIST_CODES);

// ---- state kept between calls ----

const head = new Int32Array(HASH_SIZE);
const prev = new Int32Array(WINDOW);
/** A block's symbols: litLen (0..255 literal, 256 + length) and distance (0 for a literal). */
const symLit = new Uint16Array(BLOCK_SYMBOLS);
const symDist = new Uint16Array(BLOCK_SYMBOLS);
const litFreq = new Uint32Array(286);
const distFreq = new Uint32Array(30);
const litLens = new Uint8Array(286);
const distLens = new Uint8Array(30);
const litCodes = new Uint16Array(286);
const distCodes = new Uint16Array(30);
const clFreq = new Uint32Array(19);
const clLens = new Uint8Array(19);
const clCodes = new Uint16Array(19);
/** Run-length coded code lengths of a dynamic block: symbol and extra-bits value. */
const rleSym = new Uint8Array(286 + 30);
const rleExtra = new Uint8Array(286 + 30);

class BitWriter {
  buf = new Uint8Array(1 << 16);
  pos = 0;
  private bits = 0;
  private count = 0;

  reset(): void {
    this.pos = 0;
    this.bits = 0;
    this.count = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  /** Append `n` (<= 16) bits of `v`, least significant first. */
  put(v: number, n: number): void {
    this.bits |= v << this.count;
    this.count += n;
    if (this.count >= 16) {
      this.room(2);
      this.buf[this.pos++] = this.bits & 255;
      this.buf[this.pos++] = (this.bits >>> 8) & 255;
      this.bits >>>= 16;
      this.count -= 16;
    }
  }

  /** Pad to a byte boundary. */
  align(): void {
    this.room(2);
    while (this.count > 0) {
      this.buf[this.pos++] = this.bits & 255;
      this.bits >>>= 8;
      this.count = Math.max(0, this.count - 8);
    }
    this.bits = 0;
  }

  bytes(src: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    this.buf.set(src.subarray(from, to), this.pos);
    this.pos += to - from;
  }
}

const out = new BitWriter();

// ---- blocks ----

/** Fill rleSym/rleExtra with the run-length coding of the two length tables; returns the count. */
const allLens = new Uint8Array(286 + 30);

function runLengths(hlit: number, hdist: number): number {
  allLens.set(litLens.subarray(0, hlit));
  allLens.set(distLens.subarray(0, hdist), hlit);
  const all = allLens.subarray(0, hlit + hdist);
  let k = 0;
  for (let i = 0; i < all.length; ) {
    const v = all[i]!;
    let run = 1;
    while (i + run < all.length && all[i + run] === v) run++;
    i += run;
    if (v === 0) {
      while (run >= 11) {
        const r = Math.min(run, 138);
        rleSym[k] = 18;
        rleExtra[k++] = r - 11;
        run -= r;
      }
      if (run >= 3) {
        rleSym[k] = 17;
        rleExtra[k++] = run - 3;
        run = 0;
      }
    } else {
      rleSym[k] = v;
      rleExtra[k++] = 0;
      run--;
      while (run >= 3) {
        const r = Math.min(run, 6);
        rleSym[k] = 16;
        rleExtra[k++] = r - 3;
        run -= r;
      }
    }
    while (run-- > 0) {
      rleSym[k] = v;
      rleExtra[k++] = 0;
    }
  }
  return k;
}

const CL_EXTRA_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];

/** Bits the block's symbols take under the given lengths (header excluded). */
function symbolBits(lit: Uint8Array, dist: Uint8Array): number {
  let bits = lit[256]!;
  for (let i = 0; i < 256; i++) bits += litFreq[i]! * lit[i]!;
  for (let c = 0; c < 29; c++) bits += litFreq[257 + c]! * (lit[257 + c]! + LENGTH_EXTRA[c]!);
  for (let c = 0; c < 30; c++) bits += distFreq[c]! * (dist[c]! + DIST_EXTRA[c]!);
  return bits;
}

function writeSymbols(n: number, lit: Uint8Array, lc: Uint16Array, dist: Uint8Array, dc: Uint16Array): void {
  for (let i = 0; i < n; i++) {
    const s = symLit[i]!;
    if (s < 256) {
      out.put(lc[s]!, lit[s]!);
      continue;
    }
    const len = s - 256;
    const c = lengthCode[len]!;
    out.put(lc[257 + c]!, lit[257 + c]!);
    if (LENGTH_EXTRA[c]! > 0) out.put(len - LENGTH_BASE[c]!, LENGTH_EXTRA[c]!);
    const d = symDist[i]!;
    const dcode = distanceCode(d);
    out.put(dc[dcode]!, dist[dcode]!);
    if (DIST_EXTRA[dcode]! > 0) out.put(d - DIST_BASE[dcode]!, DIST_EXTRA[dcode]!);
  }
  out.put(lc[256]!, lit[256]!);
}

/** Emit a block of `n` symbols covering input[from, to). */
function flushBlock(input: Uint8Array, from: number, to: number, n: number, last: boolean): void {
  litFreq[256] = 1;
  buildLengths(litFreq, 286, 15, litLens);
  buildLengths(distFreq, 30, 15, distLens);
  let hlit = 286;
  while (hlit > 257 && litLens[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLens[hdist - 1] === 0) hdist--;
  const k = runLengths(hlit, hdist);
  clFreq.fill(0);
  for (let i = 0; i < k; i++) clFreq[rleSym[i]!]!++;
  buildLengths(clFreq, 19, 7, clLens);
  canonicalCodes(clLens, 19, clCodes);
  let hclen = 19;
  while (hclen > 4 && clLens[CL_ORDER[hclen - 1]!] === 0) hclen--;

  let dynamicBits = 3 + 5 + 5 + 4 + 3 * hclen + symbolBits(litLens, distLens);
  for (let i = 0; i < k; i++) dynamicBits += clLens[rleSym[i]!]! + CL_EXTRA_BITS[rleSym[i]!]!;
  const fixedBits = 3 + symbolBits(FIXED_LIT, FIXED_DIST);
  // Stored: header bits, padding to a byte (at most 7), LEN and NLEN, the bytes; in 64 KiB pieces.
  const storedBits = (to - from) * 8 + Math.ceil(Math.max(1, to - from) / 65535) * (3 + 7 + 32);
  const flag = last ? 1 : 0;

  if (storedBits < fixedBits && storedBits < dynamicBits) {
    let p = from;
    do {
      const len = Math.min(65535, to - p);
      out.put(flag && p + len === to ? 1 : 0, 1);
      out.put(0, 2);
      out.align();
      out.put(len, 16);
      out.put(len ^ 0xffff, 16);
      out.bytes(input, p, p + len);
      p += len;
    } while (p < to);
  } else if (fixedBits <= dynamicBits) {
    out.put(flag, 1);
    out.put(1, 2);
    writeSymbols(n, FIXED_LIT, FIXED_LIT_CODES, FIXED_DIST, FIXED_DIST_CODES);
  } else {
    canonicalCodes(litLens, 286, litCodes);
    canonicalCodes(distLens, 30, distCodes);
    out.put(flag, 1);
    out.put(2, 2);
    out.put(hlit - 257, 5);
    out.put(hdist - 1, 5);
    out.put(hclen - 4, 4);
    for (let i = 0; i < hclen; i++) out.put(clLens[CL_ORDER[i]!]!, 3);
    for (let i = 0; i < k; i++) {
      const s = rleSym[i]!;
      out.put(clCodes[s]!, clLens[s]!);
      if (s >= 16) out.put(rleExtra[i]!, CL_EXTRA_BITS[s]!);
    }
    writeSymbols(n, litLens, litCodes, distLens, distCodes);
  }
  litFreq.fill(0);
  distFreq.fill(0);
}

// ---- LZ77 ----

// Hash heads and chain links hold positions offset by `base`, which moves past every input when
// it is done: an entry below the current base belongs to an earlier input and ends the chain, so
// the tables are never cleared.
let base = 1;

/** Set by longestMatch: where the match it returned starts. */
let matchStart = 0;

/**
 * The longest match (over `best`, the length to beat) for position `cur` along the hash chain from
 * `cand` (an offset position), zlib's way: a shorter chain when `best` is already good, stop at
 * a nice length.
 */
function longestMatch(d: Uint8Array, n: number, cur: number, cand: number, best: number): number {
  const max = Math.min(MAX_MATCH, n - cur);
  // Only positions whose chain link has not been overwritten (and whose distance fits 32 KiB).
  const limit = base + (cur >= WINDOW ? cur - WINDOW + 1 : 0);
  let chain = best >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
  const first = d[cur]!;
  const second = d[cur + 1]!;
  while (cand >= limit) {
    const c = cand - base;
    if (d[c + best] === d[cur + best] && d[c] === first && d[c + 1] === second) {
      let len = 2;
      while (len < max && d[c + len] === d[cur + len]) len++;
      if (len > best) {
        best = len;
        matchStart = c;
        if (len >= NICE_LENGTH || len >= max) break;
      }
    }
    if (--chain === 0) break;
    cand = prev[c & WMASK]!;
  }
  return best;
}

/** Raw DEFLATE of `d` into the shared writer. */
function compress(input: Uint8Array): void {
  // A plain Uint8Array view: a Buffer (a subclass) would make the loads below polymorphic.
  const d = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const n = d.length;
  // Offsets must stay below 2^31 with the input and a window added.
  if (base + n + WINDOW > 0x7fffffff) {
    head.fill(0);
    base = 1;
  }
  out.reset();
  litFreq.fill(0);
  distFreq.fill(0);
  const lastHash = n - MIN_MATCH;
  let syms = 0;
  let blockFrom = 0;
  let i = 0;
  /** The match found at the previous position (length MIN_MATCH - 1: none) and where it starts. */
  let prevLength = MIN_MATCH - 1;
  let prevMatch = 0;
  /** Whether the previous position is still to be emitted (a literal, or the start of prevLength). */
  let pending = false;
  while (i < n) {
    let length = MIN_MATCH - 1;
    let start = 0;
    if (i <= lastHash) {
      const h = ((d[i]! << 10) ^ (d[i + 1]! << 5) ^ d[i + 2]!) & HASH_MASK;
      const cand = head[h]!;
      prev[i & WMASK] = cand;
      head[h] = base + i;
      if (cand >= base && prevLength < MAX_LAZY) {
        length = longestMatch(d, n, i, cand, prevLength);
        if (length > prevLength) {
          start = matchStart;
          if (length === MIN_MATCH && i - start > TOO_FAR) length = MIN_MATCH - 1;
        } else length = MIN_MATCH - 1;
      }
    }
    if (prevLength >= MIN_MATCH && length <= prevLength) {
      // The match from the previous position is at least as long: take it.
      const dist = i - 1 - prevMatch;
      symLit[syms] = 256 + prevLength;
      symDist[syms++] = dist;
      litFreq[257 + lengthCode[prevLength]!]!++;
      distFreq[distanceCode(dist)]!++;
      const end = i - 1 + prevLength;
      const stop = Math.min(end, lastHash + 1);
      if (i + 1 < stop) {
        // The hash rolls: shifting out the oldest byte is the mask dropping it.
        let h = ((d[i + 1]! << 5) ^ d[i + 2]!) & HASH_MASK;
        for (let j = i + 1; j < stop; j++) {
          h = ((h << 5) ^ d[j + 2]!) & HASH_MASK;
          prev[j & WMASK] = head[h]!;
          head[h] = base + j;
        }
      }
      i = end;
      pending = false;
      prevLength = MIN_MATCH - 1;
    } else {
      if (pending) {
        const c = d[i - 1]!;
        symLit[syms] = c;
        symDist[syms++] = 0;
        litFreq[c]!++;
      }
      pending = true;
      prevLength = length;
      prevMatch = start;
      i++;
    }
    if (syms >= BLOCK_SYMBOLS - 2) {
      const upTo = pending ? i - 1 : i;
      flushBlock(d, blockFrom, upTo, syms, false);
      blockFrom = upTo;
      syms = 0;
    }
  }
  if (pending) {
    const c = d[n - 1]!;
    symLit[syms] = c;
    symDist[syms++] = 0;
    litFreq[c]!++;
  }
  flushBlock(d, blockFrom, n, syms, true);
  out.align();
  base += n + WINDOW;
}

/** Raw DEFLATE stream of `data` (RFC 1951). */
export function deflateRaw(data: Uint8Array): Uint8Array {
  compress(data);
  return out.buf.slice(0, out.pos);
}

/** The CRC-32 of gzip and ZIP (zlib's native one: a checksum, the same on every machine). */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}

/**
 * A gzip member of `data` as `gzip` writes one read from stdin (no name, flags 0, OS Unix, XFL 0:
 * the default level), stamped with `mtimeMs` in whole seconds (0: none).
 */
export function gzip(data: Uint8Array, mtimeMs = 0): Uint8Array {
  compress(data);
  const body = out.pos;
  const r = new Uint8Array(10 + body + 8);
  const v = new DataView(r.buffer);
  r[0] = 0x1f;
  r[1] = 0x8b;
  r[2] = 8;
  v.setUint32(4, Math.floor(mtimeMs / 1000), true);
  r[9] = 3;
  r.set(out.buf.subarray(0, body), 10);
  v.setUint32(10 + body, crc32(data), true);
  v.setUint32(14 + body, data.length >>> 0, true);
  return r;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 bytes is the most that can be summed before the 32-bit sums must be reduced.
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * A zlib stream of `data` (RFC 1950) with the header zlib writes at its default level (78 9c):
 * what git stores its loose objects as and what a PDF's FlateDecode holds.
 */
export function zlib(data: Uint8Array): Uint8Array {
  compress(data);
  const body = out.pos;
  const r = new Uint8Array(2 + body + 4);
  r[0] = 0x78;
  r[1] = 0x9c;
  r.set(out.buf.subarray(0, body), 2);
  new DataView(r.buffer).setUint32(2 + body, adler32(data), false);
  return r;
}
