// Reference copy of src/check/scan.ts before issue 17's byte-level rewrite (test/reader-equivalence
// compares the two on every planted body of its corpus and on crafted encodings).
// Forbidden literals (SPEC 9.2): a planted file must not contain `decnet` or `canary` in any
// letter case, in its bytes or in anything those bytes decode to: base64 blobs (inside text
// too), ZIP members (DOCX), gzip data, PDF streams (FlateDecode), and the usual text escapes
// (percent, HTML entities, backslash and PDF octal escapes, hex strings, char-code lists,
// strings split with `+`). Decoding recurses a few levels (a ZIP inside base64 inside a text).
import { gunzipSync, inflateSync, unzipSync, unzlibSync } from 'fflate';

export interface Finding {
  word: string;
  /** Where it was found, e.g. `body`, `base64 blob`, `ZIP member word/document.xml`. */
  where: string;
}

const MAX_DEPTH = 4;
const MAX_DECODED = 8 << 20;

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
function unescapedViews(text: string): string[] {
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
  if (/[0-9A-Fa-f]{12}/.test(text)) {
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

/** Runs of base64 (standard or URL-safe alphabet), line breaks joined, at every 4-char phase. */
function base64Decodings(text: string): Uint8Array[] {
  const flat = text.replace(/\r?\n/g, '');
  const out: Uint8Array[] = [];
  let total = 0;
  for (const re of [/[A-Za-z0-9+/]{16,}/g, /[A-Za-z0-9_-]{16,}/g]) {
    for (const m of flat.matchAll(re)) {
      const run = m[0];
      if (re.source.includes('_') && !/[_-]/.test(run)) continue; // already seen as standard base64
      for (let off = 0; off < 4 && run.length - off >= 8; off++) {
        const part = run.slice(off, off + Math.floor((run.length - off) / 4) * 4);
        const b = Buffer.from(part, 'base64');
        total += b.length;
        if (total > MAX_DECODED) return out;
        out.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      }
    }
  }
  return out;
}

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** ZIP members: fflate's reader, then a walk over local headers for damaged or odd archives. */
function zipMembers(b: Uint8Array): Array<[string, Uint8Array]> {
  try {
    return Object.entries(unzipSync(b));
  } catch {
    // fall through to the local header walk
  }
  const out: Array<[string, Uint8Array]> = [];
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
      out.push([name, method === 8 ? inflateSync(data) : data]);
    } catch {
      out.push([name, data]);
    }
  }
  return out;
}

/** Streams of a PDF (between `stream` and `endstream`), Flate-decoded when they are. */
function pdfStreams(b: Uint8Array, text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (text.slice(Math.max(0, m.index - 3), m.index) === 'end') continue;
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const raw = b.subarray(start, end);
    let decoded: Uint8Array | null = null;
    for (const f of [unzlibSync, inflateSync]) {
      try {
        decoded = f(raw);
        break;
      } catch {
        // try the next decoder
      }
    }
    out.push(decoded ?? raw);
    re.lastIndex = end + 9;
  }
  return out;
}

function scanBytes(b: Uint8Array, words: readonly string[], where: string, depth: number, out: Finding[]): void {
  if (out.length >= words.length) return;
  const text = latin1(b);
  searchText(text, words, where, out);
  if (depth >= MAX_DEPTH) return;

  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || (b.length > 4 && text.includes('PK\u0003\u0004'))) {
    for (const [name, data] of zipMembers(b)) {
      searchText(name, words, `ZIP member name ${name}`, out);
      scanBytes(data, words, `ZIP member ${name}`, depth + 1, out);
    }
  }
  if (startsWith(b, [0x1f, 0x8b])) {
    try {
      scanBytes(gunzipSync(b), words, `${where} (gzip)`, depth + 1, out);
    } catch {
      // not gzip after all
    }
  }
  if (text.includes('%PDF') || text.includes('endstream')) {
    for (const s of pdfStreams(b, text)) scanBytes(s, words, 'PDF stream', depth + 1, out);
  }
  if (isMostlyText(b)) {
    const utf8 = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
    for (const v of unescapedViews(utf8)) searchText(v, words, `${where} (escaped text)`, out);
    for (const d of base64Decodings(utf8)) {
      if (out.length >= words.length) return;
      searchText(latin1(d), words, 'base64 blob', out);
      if (startsWith(d, [0x50, 0x4b, 0x03, 0x04]) || startsWith(d, [0x1f, 0x8b]) || startsWith(d, [0x25, 0x50, 0x44, 0x46]) || isMostlyText(d)) {
        scanBytes(d, words, 'base64 blob', depth + 1, out);
      }
    }
  }
}

/** Every forbidden word found in the bytes or what they decode to (at most one finding per word). */
export function scanForWords(body: Uint8Array, words: readonly string[]): Finding[] {
  const out: Finding[] = [];
  scanBytes(body, words.map((w) => w.toLowerCase()), 'body', 0, out);
  return out;
}

/** Decode an event's content data to bytes. */
export function contentBytes(c: { encoding: string; data: string }): Uint8Array {
  const b = c.encoding === 'base64' ? Buffer.from(c.data, 'base64') : Buffer.from(c.data, 'utf8');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
