// Seeded random streams. Every draw in the engine comes from a stream derived from the seed and a
// label path (seed, decky uuid, tick, purpose), never from one global sequence: a change in one
// branch of the simulation cannot shift the decisions of another.
import seedrandom from 'seedrandom';
import { type AleaStream, aleaFromState } from './alea.js';

export interface Rng {
  /** Uniform in [0, 1). */
  (): number;
  /** Uniform signed 32-bit integer. */
  int32(): number;
}

const SEP = '\u001f';

/** An alea stream seeded by the joined label path. */
export function stream(...labels: Array<string | number>): Rng {
  return seedrandom.alea(labels.join(SEP)) as unknown as Rng;
}

/**
 * A stream for one of many consecutive indices (a day, a release) under a label path. Seeding
 * alea with the index as the last label lets Mash leave neighbouring streams' first draws nearly
 * linear in it (a timer drawn per day then moves by the same few minutes every day); the index
 * is mixed here as a StreamFamily child's is.
 */
export function indexedStream(index: number, ...labels: Array<string | number>): Rng {
  return new StreamFamily(...labels).child(index);
}

/** The same stream as stream(...labels), run by the faster alea of alea.ts after seeding. */
export function fastStream(...labels: Array<string | number>): AleaStream {
  const seeded = seedrandom.alea(labels.join(SEP), { state: true }) as unknown as { state(): { c: number; s0: number; s1: number; s2: number } };
  const { c, s0, s1, s2 } = seeded.state();
  return aleaFromState(c, s0, s1, s2);
}

// murmur3's 32-bit finaliser: a cheap, well-mixed integer hash.
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO32 = 4294967296;

/**
 * A family of alea streams under one label path prefix, for the hot path (one stream per tick).
 * Seeding alea from a string hashes the string three times; here the prefix is hashed once into
 * 96 bits and each (index, purpose) child state is mixed from it with integer operations, then
 * handed to alea as its initial state. Same prefix, index and purpose: same stream, anywhere.
 */
export class StreamFamily {
  private readonly k0: number;
  private readonly k1: number;
  private readonly k2: number;

  constructor(...labels: Array<string | number>) {
    const root = stream(...labels);
    this.k0 = root.int32() >>> 0;
    this.k1 = root.int32() >>> 0;
    this.k2 = root.int32() >>> 0;
  }

  /** The stream for a (non-negative integer) index and a small purpose number. */
  child(index: number, purpose = 0): Rng {
    return this.restart(aleaFromState(1, 0, 0, 0), index, purpose);
  }

  /**
   * `into` restarted as child(index, purpose), without allocating. Only for a stream whose
   * previous draws are no longer needed (the engine keeps one per purpose and restarts it
   * each tick).
   */
  restart(into: AleaStream, index: number, purpose = 0): AleaStream {
    this.mix(index, purpose);
    // alea's state: three fractions in [0, 1) and a carry in [1, 2^32); the same stream as
    // seedrandom.alea('', { state: this.state(index, purpose) }).
    return into.reset(1, MIXED[0]!, MIXED[1]!, MIXED[2]!);
  }

  /** The alea state child() starts from (for tests against seedrandom). */
  state(index: number, purpose = 0): { c: number; s0: number; s1: number; s2: number } {
    this.mix(index, purpose);
    return { c: 1, s0: MIXED[0]!, s1: MIXED[1]!, s2: MIXED[2]! };
  }

  /** The three state fractions of child(index, purpose), into MIXED. */
  private mix(index: number, purpose: number): void {
    const lo = index >>> 0;
    const hi = Math.floor(index / TWO32) >>> 0;
    const a = fmix(this.k0 ^ fmix(lo + Math.imul(purpose, 0x9e3779b9)) ^ hi);
    const b = fmix(this.k1 ^ fmix(a + 0x7f4a7c15 + lo));
    const c = fmix(this.k2 ^ fmix(b + 0x94d049bb + purpose));
    MIXED[0] = a / TWO32;
    MIXED[1] = b / TWO32;
    MIXED[2] = c / TWO32;
  }
}

// Scratch for StreamFamily.mix (exact: the fractions are doubles either way).
const MIXED = new Float64Array(3);

/** Uniform integer in [0, n). */
export function int(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Uniform integer in [lo, hi] (both inclusive). */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)]!;
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** Pick a key by integer weight; entries keep their given (stable) order. */
export function weighted<K extends string>(rng: Rng, entries: ReadonlyArray<readonly [K, number]>): K {
  let total = 0;
  for (const [, w] of entries) total += w;
  let r = rng() * total;
  for (const [k, w] of entries) {
    if (w <= 0) continue;
    if (r < w) return k;
    r -= w;
  }
  // Floating point edge: fall back to the last positive entry.
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]![1] > 0) return entries[i]![0];
  throw new Error('weighted pick with no positive weight');
}

/** Exponential gap with the given mean, rounded to whole units. */
export function exponential(rng: Rng, mean: number): number {
  return Math.round(-mean * Math.log(1 - rng()));
}

/** A draw of `n` distinct picks, in the order drawn. */
export function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = items.slice();
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  return out;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

/** Random token from an alphabet. */
export function token(rng: Rng, length: number, alphabet: string = ALNUM): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}

export function hex(rng: Rng, length: number): string {
  return token(rng, length, HEX);
}

/** 16 chars of [a-z0-9] with a leading letter: safe as a DNS label and a URL segment. */
export function slug(rng: Rng): string {
  return token(rng, 1, LOWER) + token(rng, 15, ALNUM);
}

/** Random bytes from a stream. */
export function bytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const v = rng.int32() >>> 0;
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
  }
  return out;
}
