// Text from inputs shown in messages: control characters escaped, so a hostile value can neither
// break a one-line error nor move the terminal's cursor.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `s` with every control character as \n, \t, \u001b ... */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, (ch) => (ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * `s` held as one flat string from now on. V8 keeps a concatenation as a rope of its pieces (a
 * 32-byte node each, a template's line five or so); reading a character flattens a rope in place.
 * For strings kept a long time; it changes nothing a caller can see.
 */
export function holdFlat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** A value quoted for a message, shortened past 80 characters. */
export function showValue(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '...' : s);
}
