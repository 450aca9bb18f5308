import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

// One-shot hashing (Node >= 20.12) skips the Hash object: it is most of the cost for small bodies.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string }).hash;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** FNV-1a (32 bits) of a string's UTF-16 code units: a small stable number for a name, no stream drawn. */
export function fnv1a(s: string, basis = 2166136261): number {
  let h = basis;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A name-based UUID (version 5 layout over SHA-1), stable for the same name. */
export function nameUuid(namespace: string, name: string): string {
  const h = createHash('sha1').update(namespace).update('\u0000').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
