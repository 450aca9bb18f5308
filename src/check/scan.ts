// Forbidden literals (SPEC 9.2): a planted file must not contain `decnet` or `canary` in any
// letter case, in its bytes or in anything those bytes decode to: base64 blobs (inside text
// too), ZIP members (DOCX), gzip data, PDF streams (FlateDecode, ASCII85Decode), and the usual text escapes
// (percent, HTML entities, backslash and PDF octal escapes, hex strings, char-code lists,
// strings split with `+`). Decoding recurses a few levels (a ZIP inside base64 inside a text).
import { unzipSync } from 'fflate';
import { InflateLimitError, gunzipBounded, inflateBounded, unzlibBounded } from '../util/inflate.js';
import { ascii85Decode } from '../util/ascii85.js';

export interface Finding {
  word: string;
  /** Where it was found, e.g. `body`, `base64 blob`, `ZIP member word/document.xml`. */
  where: string;
  /** Set instead of a word: compressed data there inflates past MAX_INFLATED (not read). */
  tooLarge?: true;
}

const MAX_DEPTH = 4;
const MAX_DECODED = 8 << 20;
/**
 * The most one compressed member (a gzip body, a ZIP entry, a PDF stream) may inflate to. Bodies
 * are at most 64 KiB (invariant 8) and what the engine compresses is text a few times its
 * compressed size; past this a body is a decompression bomb, reported instead of inflated.
 */
export const MAX_INFLATED = 16 << 20;

function lowerAscii(s: string): string {
  return s.toLowerCase();
}

/** Search a latin1 view of bytes (and its NUL-stripped form, for UTF-16 text). */
function searchText(text: string, words: readonly string[], where: string, out: Finding[]): void {
  const low = lowerAscii(text);
  const stripped = low.includes('\u0000') ? low.replace(/\u0000/g, '') : null;
  for (const w of words) {
    if (out.some((f) => f.word === w)) continue;
    if (low.includes(w) || (stripped !== null && stripped.includes(w))) out.push({ word: w, where });
  }
}

/**
 * The same search on bytes (their latin1 view: native lower-casing and search beat a JS loop).
 */
function searchBytes(b: Uint8Array, words: readonly string[], where: string, out: Finding[]): void {
  searchText(latin1(b), words, where, out);
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function isMostlyText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let printable = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 160) printable++;
  }
  return printable / n > 0.85;
}

/** Text escapes undone, each a separate view searched in addition to the raw text. */
function unescapedViews(text: string, hexRun: boolean): string[] {
  const views: string[] = [];
  const add = (v: string): void => {
    if (v !== text) views.push(v);
  };
  if (text.includes('%')) add(text.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
  if (text.includes('&#')) {
    add(text.replace(/&#[xX]([0-9A-Fa-f]{1,6});?/g, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff))).replace(/&#(\d{1,7});?/g, (_, d: string) => String.fromCodePoint(Math.min(Number(d), 0x10ffff))));
  }
  if (text.includes('\\')) {
    add(
      text
        .replace(/\\x([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/\\u\{([0-9A-Fa-f]{1,6})\}/g, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
        .replace(/\\u([0-9A-Fa-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/\\([0-7]{1,3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8) & 0xff))
        .replace(/\\(.)/g, '$1'),
    );
  }
  // Strings split and joined again: 'dec' + "net", `dec` + `net`.
  if (text.includes('+')) add(text.replace(/(['"`])\s*\+\s*(['"`])/g, ''));
  // Hex strings (PDF <...>, JS "\x.." handled above, plain hex runs).
  if (hexRun) {
    let hexed = '';
    for (const m of text.matchAll(/(?:[0-9A-Fa-f]{2}[\s:]?){6,}/g)) {
      const h = m[0].replace(/[^0-9A-Fa-f]/g, '');
      for (let off = 0; off < 2; off++) hexed += Buffer.from(h.slice(off, h.length - ((h.length - off) % 2)), 'hex').toString('latin1') + '\n';
    }
    if (hexed) views.push(hexed);
  }
  // Lists of character codes: [100, 101, 99, ...] or fromCharCode(100,101,...).
  if (/\d\s*,\s*\d/.test(text)) {
    let codes = '';
    for (const m of text.matchAll(/(?:\b\d{2,3}\s*,\s*){3,}\d{2,3}\b/g)) {
      codes += m[0].split(',').map((x) => String.fromCharCode(Number(x.trim()) & 0xffff)).join('') + '\n';
    }
    if (codes) views.push(codes);
  }
  return views;
}

// Byte classes: 1 = standard base64 alphabet only (+ /), 2 = URL-safe only (_ -), 3 = both.
const B64 = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) B64[c] = 3;
  else if (ch === '+' || ch === '/') B64[c] = 1;
  else if (ch === '_' || ch === '-') B64[c] = 2;
}

// The 6-bit value of each base64 character of either alphabet (Buffer.from(s, 'base64') reads
// both: `+` and `-` are 62, `/` and `_` 63).
const B64V = new Uint8Array(256);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((ch, i) => (B64V[ch.charCodeAt(0)] = i));
B64V[45] = 62;
B64V[95] = 63;

/**
 * Runs of base64 (standard or URL-safe alphabet), line breaks (`\n`, `\r\n`) joined, at every
 * 4-char phase: the matches of /[A-Za-z0-9+/]{16,}/g, then those of /[A-Za-z0-9_-]{16,}/g that
 * hold a `_` or `-`, over the text with its line breaks removed, each decoded as
 * Buffer.from(part, 'base64') would (no padding: the parts are whole groups of four), searched
 * and, when it looks like text or a container, scanned in turn. The alphabets are ASCII, so the
 * runs are found on the bytes (any other byte, or character of the UTF-8 text, ends a run alike).
 * Decoding stops past MAX_DECODED bytes for this body.
 *
 * What one run's decodings find does not depend on what was found before it (a word already
 * found is only skipped; the rest are found at the same place), so the findings of a run are
 * remembered per (words, depth, run) and replayed: logs and scripts repeat the same paths and
 * commands in thousands of files. That holds while the MAX_DECODED stop cannot be reached (at
 * most 6 bytes are decoded per byte of the body: 2 alphabets x 4 phases x 3/4); longer bodies
 * are decoded run by run without the memo.
 */
function scanBase64(b: Uint8Array, words: readonly string[], depth: number, out: Finding[]): void {
  let scratch = new Uint8Array(256);
  let total = 0;
  const decodeRun = (r: Uint8Array, sink: Finding[], budget: boolean): boolean => {
    for (let off = 0; off < 4 && r.length - off >= 8; off++) {
      const groups = Math.floor((r.length - off) / 4);
      const n = groups * 3;
      total += n;
      if (budget && total > MAX_DECODED) return false;
      if (sink.length >= words.length) return false;
      if (scratch.length < n) scratch = new Uint8Array(n * 2);
      for (let g = 0, i = off, o = 0; g < groups; g++, i += 4, o += 3) {
        const v = (B64V[r[i]!]! << 18) | (B64V[r[i + 1]!]! << 12) | (B64V[r[i + 2]!]! << 6) | B64V[r[i + 3]!]!;
        scratch[o] = v >>> 16;
        scratch[o + 1] = (v >>> 8) & 255;
        scratch[o + 2] = v & 255;
      }
      const d = scratch.subarray(0, n);
      searchBytes(d, words, 'base64 blob', sink);
      if (startsWith(d, [0x50, 0x4b, 0x03, 0x04]) || startsWith(d, [0x1f, 0x8b]) || startsWith(d, [0x25, 0x50, 0x44, 0x46]) || isMostlyText(d)) {
        scanBytes(d.slice(), words, 'base64 blob', depth + 1, sink);
      }
    }
    return true;
  };
  if (b.length * 6 > MAX_DECODED) {
    const each = (r: Uint8Array): boolean => decodeRun(r, out, true);
    runs(b, each);
    return;
  }
  const memoKey = `${words.join('\u0001')}\u0000${depth}`;
  let memo = RUN_MEMO.get(memoKey);
  if (memo === undefined) RUN_MEMO.set(memoKey, (memo = new Map()));
  const m = memo;
  const each = (r: Uint8Array): boolean => {
    if (out.length >= words.length) return false;
    const key = latin1(r);
    let found = m.get(key);
    if (found === undefined) {
      found = [];
      decodeRun(r, found, false);
      if (m.size >= RUN_MEMO_MAX) m.clear();
      m.set(key, found);
    }
    for (const f of found) if (!out.some((x) => x.word === f.word)) out.push({ word: f.word, where: f.where });
    return true;
  };
  runs(b, each);
}

const RUN_MEMO = new Map<string, Map<string, Finding[]>>();
const RUN_MEMO_MAX = 100_000;

/**
 * The bytes with `\n` and `\r\n` removed (the text the expressions ran on), then the maximal
 * runs of 16+ bytes of the standard alphabet, then those of the URL-safe one that hold a `_` or
 * `-`, in that order; false when `each` stopped.
 */
function runs(b: Uint8Array, each: (run: Uint8Array) => boolean): boolean {
  let flat = b;
  let nl = b.indexOf(10);
  if (nl >= 0) {
    flat = new Uint8Array(b.length);
    let o = 0;
    let from = 0;
    while (nl >= 0) {
      const cut = nl > from && b[nl - 1] === 13 ? nl - 1 : nl;
      flat.set(b.subarray(from, cut), o);
      o += cut - from;
      from = nl + 1;
      nl = b.indexOf(10, from);
    }
    flat.set(b.subarray(from), o);
    o += b.length - from;
    flat = flat.subarray(0, o);
  }
  const url: number[] = [];
  let s1 = -1;
  let s2 = -1;
  let own = false;
  const n = flat.length;
  for (let i = 0; i < n; i++) {
    const cls = B64[flat[i]!]!;
    if (cls & 1) {
      if (s1 < 0) s1 = i;
    } else if (s1 >= 0) {
      if (i - s1 >= 16 && !each(flat.subarray(s1, i))) return false;
      s1 = -1;
    }
    if (cls & 2) {
      if (s2 < 0) {
        s2 = i;
        own = false;
      }
      if (cls === 2) own = true;
    } else if (s2 >= 0) {
      if (own && i - s2 >= 16) url.push(s2, i);
      s2 = -1;
    }
  }
  if (s1 >= 0 && n - s1 >= 16 && !each(flat.subarray(s1, n))) return false;
  if (s2 >= 0 && own && n - s2 >= 16) url.push(s2, n);
  for (let k = 0; k < url.length; k += 2) if (!each(flat.subarray(url[k]!, url[k + 1]!))) return false;
  return true;
}

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** ZIP members: fflate's reader, then a walk over local headers for damaged or odd archives. */
function zipMembers(b: Uint8Array, where: string, out: Finding[]): Array<[string, Uint8Array]> {
  try {
    // unzipSync sizes each entry's output from its declared size (and never writes past it):
    // an entry that declares more than the ceiling is reported, not inflated.
    return Object.entries(
      unzipSync(b, {
        filter: (f) => {
          if (f.originalSize <= MAX_INFLATED) return true;
          tooLarge(out, `${where}, ZIP member ${f.name}`);
          return false;
        },
      }),
    );
  } catch {
    // fall through to the local header walk
  }
  const members: Array<[string, Uint8Array]> = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i + 30 <= b.length; i++) {
    if (!startsWith(b, [0x50, 0x4b, 0x03, 0x04], i)) continue;
    const method = dv.getUint16(i + 8, true);
    const csize = dv.getUint32(i + 18, true);
    const nlen = dv.getUint16(i + 26, true);
    const xlen = dv.getUint16(i + 28, true);
    const name = latin1(b.subarray(i + 30, i + 30 + nlen));
    const start = i + 30 + nlen + xlen;
    const end = csize > 0 && start + csize <= b.length ? start + csize : b.length;
    const data = b.subarray(start, end);
    try {
      members.push([name, method === 8 ? inflateBounded(data, MAX_INFLATED) : data]);
    } catch (e) {
      if (e instanceof InflateLimitError) tooLarge(out, `${where}, ZIP member ${name}`);
      members.push([name, data]);
    }
  }
  return members;
}

function tooLarge(out: Finding[], where: string): void {
  if (!out.some((f) => f.tooLarge && f.where === where)) out.push({ word: '', where, tooLarge: true });
}

/** Streams of a PDF (between `stream` and `endstream`), Flate-decoded when they are. */
function pdfStreams(b: Uint8Array, text: string, found: Finding[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (text.slice(Math.max(0, m.index - 3), m.index) === 'end') continue;
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    let raw = b.subarray(start, end);
    // ASCII85 armour (`[ /ASCII85Decode /FlateDecode ]`, as ReportLab writes streams) first.
    const tail = text.slice(Math.max(start, end - 4), end).trimEnd();
    if (tail.endsWith('~>')) {
      const a85 = ascii85Decode(text.slice(start, end));
      if (a85) {
        out.push(a85);
        raw = a85;
      }
    }
    let decoded: Uint8Array | null = null;
    for (const f of [unzlibBounded, inflateBounded]) {
      try {
        decoded = f(raw, MAX_INFLATED);
        break;
      } catch (e) {
        if (e instanceof InflateLimitError) {
          tooLarge(found, 'PDF stream');
          break;
        }
        // else try the next decoder
      }
    }
    out.push(decoded ?? raw);
    re.lastIndex = end + 9;
  }
  return out;
}

const HEX = new Uint8Array(256);
for (let c = 0; c < 256; c++) HEX[c] = /[0-9A-Fa-f]/.test(String.fromCharCode(c)) ? 1 : 0;

/** /[0-9A-Fa-f]{12}/ on the UTF-8 text, found on the bytes (hex digits are ASCII). */
function hasHexRun(b: Uint8Array): boolean {
  let len = 0;
  for (let i = 0; i < b.length; i++) {
    if (HEX[b[i]!]) {
      if (++len >= 12) return true;
    } else len = 0;
  }
  return false;
}

/** A byte that may be (part of) a character /\s/ matches in the UTF-8 text. */
function maybeSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c >= 0x80;
}

/** Whether /\d\s*,\s*\d/ could match the UTF-8 text (a superset: any non-ASCII byte may be a space). */
function maybeDigitList(b: Uint8Array): boolean {
  for (let i = b.indexOf(44); i >= 0; i = b.indexOf(44, i + 1)) {
    let p = i - 1;
    while (p >= 0 && maybeSpace(b[p]!)) p--;
    if (p < 0 || b[p]! < 48 || b[p]! > 57) continue;
    let q = i + 1;
    while (q < b.length && maybeSpace(b[q]!)) q++;
    if (q < b.length && b[q]! >= 48 && b[q]! <= 57) return true;
  }
  return false;
}

const PK = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

// The views and decodings searched are those of the reference version (test/legacy/check-scan.ts
// keeps it; test/reader-equivalence compares the findings): the work is done on the bytes, and
// the latin1 and UTF-8 strings are built only where a decoder needs them.
function scanBytes(b: Uint8Array, words: readonly string[], where: string, depth: number, out: Finding[], cleanGzip?: (inflated: Uint8Array) => boolean): void {
  if (out.length >= words.length) return;
  searchBytes(b, words, where, out);
  if (depth >= MAX_DEPTH) return;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);

  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || (b.length > 4 && buf.indexOf(PK) >= 0)) {
    for (const [name, data] of zipMembers(b, where, out)) {
      searchText(name, words, `ZIP member name ${name}`, out);
      scanBytes(data, words, `ZIP member ${name}`, depth + 1, out);
    }
  }
  if (startsWith(b, [0x1f, 0x8b])) {
    try {
      const inflated = gunzipBounded(b, MAX_INFLATED);
      if (!cleanGzip?.(inflated)) scanBytes(inflated, words, `${where} (gzip)`, depth + 1, out);
    } catch (e) {
      if (e instanceof InflateLimitError) tooLarge(out, `${where} (gzip)`);
      // else not gzip after all
    }
  }
  if (buf.includes('%PDF', 0, 'latin1') || buf.includes('endstream', 0, 'latin1')) {
    for (const s of pdfStreams(b, latin1(b), out)) scanBytes(s, words, 'PDF stream', depth + 1, out);
  }
  if (isMostlyText(b)) {
    const hexRun = hasHexRun(b);
    // unescapedViews finds nothing to undo without one of these (each test a superset of its own).
    if (hexRun || buf.indexOf(37) >= 0 || buf.indexOf(92) >= 0 || buf.indexOf(43) >= 0 || buf.includes('&#', 0, 'latin1') || maybeDigitList(b)) {
      const utf8 = buf.toString('utf8');
      for (const v of unescapedViews(utf8, hexRun)) searchText(v, words, `${where} (escaped text)`, out);
    }
    scanBase64(b, words, depth, out);
  }
}

/**
 * What appendedClean learnt of a body it found clean, for the next body appended to it: its
 * length, whether it is mostly text (its first 4096 bytes), whether it holds a run of 12 hex
 * digits. Such a body holds no NUL, no ZIP or PDF signature, and does not start as gzip.
 */
export interface BodyFacts {
  bytes: number;
  mostly: boolean;
  hexRun: boolean;
}

/**
 * Whether scanForWords(b, words) finds nothing, known without scanning all of b again: b is an
 * earlier body of `prev` bytes, whose own scan found nothing, with bytes appended (a log, a note).
 * Null means "not known": scan the whole body; otherwise the facts of b. Each part of scanBytes
 * at depth 0 on b:
 * - the plain search: a word not in the earlier bytes ends in the new ones, so it starts at most
 *   (length - 1) bytes before them (no NUL in b: the NUL-stripped search is not needed);
 * - ZIP, gzip and PDF: none in b (their signatures are looked for in all of b, or from 8 bytes
 *   before the new ones when `facts`, the earlier body's, say it held none), or not known;
 * - the text escapes: their views of all of b are searched as scanBytes does (a run of 12 hex
 *   digits not in the earlier body ends in the new bytes);
 * - base64: the runs of b that start before the last byte of the earlier body that ends every
 *   run (neither alphabet, nor a line break, which runs join across) end there, so they are runs
 *   of the earlier body as well, whose decodings found nothing (what a run's decodings find
 *   depends only on the run); only the runs from there on are decoded. The earlier scan reached
 *   its runs: it was mostly text too, and small enough to decode every run.
 * `words` are lower case (exported for the tests).
 */
export function appendedClean(b: Uint8Array, prev: number, words: readonly string[], facts: BodyFacts | null = null): BodyFacts | null {
  if (prev <= 0 || prev > b.length || b.length * 6 > MAX_DECODED || words.length === 0) return null;
  const known = facts !== null && facts.bytes === prev ? facts : null;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const fresh = known !== null ? buf.subarray(Math.max(0, prev - 8)) : buf;
  if (fresh.indexOf(0) >= 0) return null;
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || (b.length > 4 && fresh.indexOf(PK) >= 0)) return null;
  if (startsWith(b, [0x1f, 0x8b])) return null;
  if (fresh.includes('%PDF', 0, 'latin1') || fresh.includes('endstream', 0, 'latin1')) return null;
  let longest = 0;
  for (const w of words) longest = Math.max(longest, w.length);
  const out: Finding[] = [];
  searchBytes(b.subarray(Math.max(0, prev - (longest - 1))), words, 'body', out);
  if (out.length > 0) return null;
  const hexRun = (known !== null ? known.hexRun : hasHexRun(b.subarray(0, prev))) || hasHexRun(b.subarray(Math.max(0, prev - 11)));
  const mostlyBefore = known !== null ? known.mostly : isMostlyText(b.subarray(0, prev));
  const mostly = prev >= 4096 ? mostlyBefore : isMostlyText(b);
  const mine: BodyFacts = { bytes: b.length, mostly, hexRun };
  if (!mostly) return mine;
  if (!mostlyBefore) return null;
  if (hexRun || buf.indexOf(37) >= 0 || buf.indexOf(92) >= 0 || buf.indexOf(43) >= 0 || buf.includes('&#', 0, 'latin1') || maybeDigitList(b)) {
    const utf8 = buf.toString('utf8');
    for (const v of unescapedViews(utf8, hexRun)) searchText(v, words, 'body (escaped text)', out);
    if (out.length > 0) return null;
  }
  let q = prev - 1;
  while (q >= 0 && (B64[b[q]!] !== 0 || b[q] === 10 || b[q] === 13)) q--;
  scanBase64(b.subarray(q + 1), words, 0, out);
  return out.length === 0 ? mine : null;
}

/**
 * scanForWords(body, words), for a body that is an earlier body of `prev` bytes whose scan found
 * nothing, with bytes appended: most of the time only the new bytes are scanned (appendedClean).
 * `facts`: what the earlier body's appended scan returned; the result's are this body's.
 */
export function scanAppended(body: Uint8Array, prev: number, words: readonly string[], facts: BodyFacts | null = null): { findings: Finding[]; facts: BodyFacts | null } {
  const mine = appendedClean(body, prev, words.map((w) => w.toLowerCase()), facts);
  if (mine !== null) return { findings: [], facts: mine };
  return { findings: scanForWords(body, words), facts: null };
}

/**
 * Every forbidden word found in the bytes or what they decode to (at most one finding per word).
 * `cleanGzip`: true for an inflated gzip body known to be bytes whose own scan (with these
 * words) found nothing, a rotated log's earlier body: its scan one level down would find nothing
 * either (a deeper scan reads a subset of what a shallower one reads), so it is skipped.
 */
export function scanForWords(body: Uint8Array, words: readonly string[], cleanGzip?: (inflated: Uint8Array) => boolean): Finding[] {
  const out: Finding[] = [];
  scanBytes(body, words.map((w) => w.toLowerCase()), 'body', 0, out, cleanGzip);
  return out;
}

/** Decode an event's content data to bytes. */
export function contentBytes(c: { encoding: string; data: string }): Uint8Array {
  // The same event's body is asked for again by a later module (auth.log by invariant 23): the
  // last decoding is kept (callers do not change the bytes).
  if (c === last.content && c.data === last.data && c.encoding === last.encoding) return last.bytes;
  const bytes = decodeContent(c);
  last = { content: c, data: c.data, encoding: c.encoding, bytes };
  return bytes;
}

let last: { content: object | null; data: string; encoding: string; bytes: Uint8Array } = { content: null, data: '', encoding: '', bytes: new Uint8Array(0) };

function decodeContent(c: { encoding: string; data: string }): Uint8Array {
  const b = c.encoding === 'base64' ? Buffer.from(c.data, 'base64') : Buffer.from(c.data, 'utf8');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
