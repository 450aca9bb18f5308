// JSON input parsing that refuses duplicate keys (JSON.parse silently keeps the last one, so a
// fleet file with two "container" keys would mean something its reader did not see).
import { InputError } from '../errors.js';
import { showValue } from './text.js';

/** Parse `text`; a syntax error or a duplicate key in any object is an InputError naming it. */
export function parseJsonStrict(file: string, text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const dup = duplicateKey(text);
  if (dup !== null) throw new InputError(`${file}: ${dup.at}: duplicate key ${showValue(dup.key)}`);
  return data;
}

interface Frame {
  obj: boolean;
  keys: Set<string>;
  expectKey: boolean;
  path: string;
  index: number;
  lastKey: string;
}

/** The first duplicate key of valid JSON text, with where it is (`deckies[0].name`). */
export function duplicateKey(text: string): { key: string; at: string } | null {
  const stack: Frame[] = [];
  const here = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.obj ? (top.path ? `${top.path}.${top.lastKey}` : top.lastKey) : `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.obj && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, at: top.path || '(top level)' };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      stack.push({ obj: c === 0x7b, keys: new Set(), expectKey: true, path: here(), index: 0, lastKey: '' });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1]!;
      if (top.obj) top.expectKey = true;
      else top.index++;
    }
  }
  return null;
}
