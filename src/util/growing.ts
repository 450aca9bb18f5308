// A text that only grows by appends (a live log file between rotations), with what each write of
// it to the timeline needs kept up to date as it grows: the UTF-8 byte length, the sha256 (a
// running hash) and the JSON string, so each write costs the appended text, not the whole body.
// The text is held once, as its JSON escape: a V8 rope of the appends' escapes, flattened only
// every FLATTEN_EVERY appends. A write puts the rope into the timeline's output, where the output
// chunk is flattened anyway, so no copy of the whole body is made per write-out (a flat copy per
// write-out used to survive into the old generation: most of the planner's garbage collection).
// The text itself is decoded from the JSON only when asked for (at rotation, once).
// The one care: a surrogate pair split across two appends (the pair is then escaped, hashed and
// measured again from the whole text, as a lone half's bytes and escape differ from a pair's).
import { type Hash, createHash } from 'node:crypto';
import { holdFlat } from './text.js';

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A character JSON.stringify writes other than as itself, '\n' aside (surrogates: any half). */
const ESCAPED = /["\\\u0000-\u0009\u000b-\u001f\ud800-\udfff]/;

/** The JSON escape of `s` without its quotes (exactly JSON.stringify(s) less the first and last character). */
function escapeJson(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s).slice(1, -1) : s.replaceAll('\n', '\\n');
}

/** Appends after which a log's escape rope is flattened. */
const FLATTEN_EVERY = 16;

export class GrowingText {
  /** JSON.stringify(text) without its quotes. */
  private escaped = '';
  /** Appends since `escaped` was last flat. */
  private pieces = 0;
  bytes = 0;
  private hash: Hash = createHash('sha256');
  private digest: string | null = null;

  /** Whether the text ends in a high surrogate (read from the append: reading the text would flatten it). */
  private endsHigh = false;

  /** The text (decoded from its JSON: a copy each time; the planner asks once per rotation). */
  get text(): string {
    return this.escaped === '' ? '' : (JSON.parse(this.json()) as string);
  }

  /**
   * The text's UTF-8 bytes, as Buffer.from(text) gives them, decoded from the kept escape in place
   * (the escapes are ASCII and never shorter than what they stand for): no copy of the text as a
   * string is made. JSON.stringify escapes only '"', '\\', control characters and lone surrogates,
   * which Buffer.from writes as U+FFFD.
   */
  utf8(): Uint8Array {
    const b = Buffer.from(this.escaped);
    let w = 0;
    for (let r = 0; r < b.length; ) {
      const c = b[r]!;
      if (c !== 0x5c) {
        b[w++] = c;
        r++;
        continue;
      }
      const e = b[r + 1]!;
      r += 2;
      if (e !== 0x75) {
        b[w++] = e === 0x6e ? 0x0a : e === 0x74 ? 0x09 : e === 0x72 ? 0x0d : e === 0x62 ? 0x08 : e === 0x66 ? 0x0c : e;
        continue;
      }
      const cp = parseInt(b.toString('latin1', r, r + 4), 16);
      r += 4;
      if (cp < 0x80) b[w++] = cp;
      else if (cp < 0x800) {
        b[w++] = 0xc0 | (cp >> 6);
        b[w++] = 0x80 | (cp & 0x3f);
      } else {
        const u = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
        b[w++] = 0xe0 | (u >> 12);
        b[w++] = 0x80 | ((u >> 6) & 0x3f);
        b[w++] = 0x80 | (u & 0x3f);
      }
    }
    return b.subarray(0, w);
  }

  append(s: string): void {
    if (s === '') return;
    const split = this.endsHigh && isLow(s.charCodeAt(0));
    this.endsHigh = isHigh(s.charCodeAt(s.length - 1));
    if (split) {
      const text = this.text + s;
      this.escaped = JSON.stringify(text).slice(1, -1);
      this.bytes = Buffer.byteLength(text);
      this.hash = createHash('sha256').update(text);
    } else {
      // replaceAll returns a rope of slices (two nodes a line): the piece is held flat, so the
      // body is a rope of flat pieces, one node per append, itself flattened every so often.
      this.escaped += holdFlat(escapeJson(s));
      if (++this.pieces >= FLATTEN_EVERY) {
        holdFlat(this.escaped);
        this.pieces = 0;
      }
      this.bytes += Buffer.byteLength(s);
      this.hash.update(s);
    }
    this.digest = null;
  }

  sha256(): string {
    return (this.digest ??= this.hash.copy().digest('hex'));
  }

  /** JSON.stringify(text): a rope over the kept escape, no copy. */
  json(): string {
    return `"${this.escaped}"`;
  }
}
