// ASCII base-85 (Adobe's variant, as PDF's /ASCII85Decode filter reads it): groups of four bytes
// as five characters `!`..`u`, an all-zero group as `z`, a short last group padded and cut, and
// the `~>` end marker.

export function ascii85Encode(data: Uint8Array): string {
  let out = '';
  const n = data.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ((data[i]! << 24) >>> 0) + (data[i + 1]! << 16) + (data[i + 2]! << 8) + data[i + 3]!;
    if (v === 0) {
      out += 'z';
      continue;
    }
    out += group(v, 5);
  }
  const rest = n - i;
  if (rest > 0) {
    let v = 0;
    for (let k = 0; k < 4; k++) v = v * 256 + (k < rest ? data[i + k]! : 0);
    out += group(v, rest + 1);
  }
  return out + '~>';
}

function group(v: number, keep: number): string {
  const c = [0, 0, 0, 0, 0];
  for (let k = 4; k >= 0; k--) {
    c[k] = v % 85;
    v = Math.floor(v / 85);
  }
  let s = '';
  for (let k = 0; k < keep; k++) s += String.fromCharCode(33 + c[k]!);
  return s;
}

/** Decodes ASCII85 text (whitespace ignored, optional `<~` and `~>`); null when it is not. */
export function ascii85Decode(text: string): Uint8Array | null {
  let s = text.replace(/\s+/g, '');
  if (s.startsWith('<~')) s = s.slice(2);
  const end = s.indexOf('~>');
  if (end >= 0) s = s.slice(0, end);
  const out: number[] = [];
  let acc = 0;
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 122 /* z */ && len === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (ch < 33 || ch > 117) return null;
    acc = acc * 85 + (ch - 33);
    if (++len === 5) {
      if (acc > 0xffffffff) return null;
      out.push((acc >>> 24) & 255, (acc >>> 16) & 255, (acc >>> 8) & 255, acc & 255);
      acc = 0;
      len = 0;
    }
  }
  if (len === 1) return null;
  if (len > 0) {
    for (let k = len; k < 5; k++) acc = acc * 85 + 84;
    if (acc > 0xffffffff) return null;
    const bytes = [(acc >>> 24) & 255, (acc >>> 16) & 255, (acc >>> 8) & 255, acc & 255];
    out.push(...bytes.slice(0, len - 1));
  }
  return new Uint8Array(out);
}
