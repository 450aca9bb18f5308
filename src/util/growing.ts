// A text that only grows by appends (a live log file between rotations), with what each write of
// it to the timeline needs kept up to date as it grows: the UTF-8 byte length, the sha256 (a
// running hash: each write costs the appended text, not the whole body) and the JSON string form.
// JSON escaping is per character, so the escaped text grows by the escaped append; the one
// exception is a surrogate pair split across two appends (JSON.stringify keeps a pair, it escapes
// a lone half), and then, as for the hash and the length, everything is computed again from the
// whole text.
import { type Hash, createHash } from 'node:crypto';

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export class GrowingText {
  text = '';
  bytes = 0;
  /** The JSON string of `text` without its quotes. */
  private escaped = '';
  private hash: Hash = createHash('sha256');
  private digest: string | null = null;

  /** Whether the text ends in a high surrogate (read from the append: reading the text would flatten it). */
  private endsHigh = false;

  append(s: string): void {
    if (s === '') return;
    const split = this.endsHigh && isLow(s.charCodeAt(0));
    this.endsHigh = isHigh(s.charCodeAt(s.length - 1));
    if (split) {
      this.text += s;
      this.bytes = Buffer.byteLength(this.text);
      this.escaped = JSON.stringify(this.text).slice(1, -1);
      this.hash = createHash('sha256').update(this.text);
    } else {
      this.text += s;
      this.bytes += Buffer.byteLength(s);
      this.escaped += JSON.stringify(s).slice(1, -1);
      this.hash.update(s);
    }
    this.digest = null;
  }

  sha256(): string {
    return (this.digest ??= this.hash.copy().digest('hex'));
  }

  /** JSON.stringify(text), from the escaped appends. */
  json(): string {
    return `"${this.escaped}"`;
  }
}
