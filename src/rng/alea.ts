// Alea (Baagøe) from a given state, bit-identical to `seedrandom.alea('', { state })` for
// () and int32(): the same recurrence on the same doubles. seedrandom's constructor first mashes
// the empty seed and builds several closures before the state overwrites everything; on the hot
// path (one stream per tick) that was most of the cost. test/alea.test.ts compares draws.
import type { Rng } from './stream.js';

const TWO_NEG32 = 2.3283064365386963e-10; // 2^-32

// Shared by every stream (called as rng.int32(), so `this` is the stream).
function int32(this: () => number): number {
  return (this() * 0x100000000) | 0;
}

/** A stream from alea's state: carry c in [1, 2^32) and three fractions in [0, 1). */
export function aleaFromState(c: number, s0: number, s1: number, s2: number): Rng {
  const next = (() => {
    const t = 2091639 * s0 + c * TWO_NEG32;
    s0 = s1;
    s1 = s2;
    return (s2 = t - (c = t | 0));
  }) as Rng;
  next.int32 = int32;
  return next;
}
