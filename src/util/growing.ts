// A text that only grows by appends (a live log file between rotations), with what each write of
// it to the timeline needs kept up to date as it grows: the UTF-8 byte length and the sha256 (a
// running hash: each write costs the appended text, not the whole body). The text is held once,
// as one flat string: appends make V8 build a rope (a node and a string per append, up to three
// and a half times the text's own size for short appends), and a fleet holds thousands of these for the whole plan, so the JSON form
// each write needs is made from the text (which flattens the rope) rather than kept beside it.
// The one care: a surrogate pair split across two appends (the hash and the length are then
// computed again from the whole text, as bytes of a lone half differ from a pair's).
import { type Hash, createHash } from 'node:crypto';

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A character JSON.stringify writes other than as itself, '\n' aside (surrogates: any half). */
const ESCAPED = /["\\\u0000-\u0009\u000b-\u001f\ud800-\udfff]/;

export class GrowingText {
  text = '';
  bytes = 0;
  private hash: Hash = createHash('sha256');
  private digest: string | null = null;
  /** Whether the only character of the text JSON escapes is '\n' (a log's usual case). */
  private plain = true;

  /** Whether the text ends in a high surrogate (read from the append: reading the text would flatten it). */
  private endsHigh = false;

  append(s: string): void {
    if (s === '') return;
    const split = this.endsHigh && isLow(s.charCodeAt(0));
    this.endsHigh = isHigh(s.charCodeAt(s.length - 1));
    this.text += s;
    if (this.plain && ESCAPED.test(s)) this.plain = false;
    if (split) {
      this.bytes = Buffer.byteLength(this.text);
      this.hash = createHash('sha256').update(this.text);
    } else {
      this.bytes += Buffer.byteLength(s);
      this.hash.update(s);
    }
    this.digest = null;
  }

  sha256(): string {
    return (this.digest ??= this.hash.copy().digest('hex'));
  }

  /**
   * JSON.stringify(text) (not kept: one write asks once; making it leaves `text` flat). A text
   * whose only escape is '\n' is joined round '\\n' instead: JSON.stringify takes its slow path
   * on every escape, four times the time on a log, and this runs on every write of every log
   * (replaceAll: a third of split and join's time, and no array of every line to collect).
   */
  json(): string {
    return this.plain ? `"${this.text.replaceAll('\n', '\\n')}"` : JSON.stringify(this.text);
  }
}
