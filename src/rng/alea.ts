// Alea (Baagøe) from a given state, bit-identical to `seedrandom.alea('', { state })` for
// () and int32(): the same recurrence on the same doubles. seedrandom's constructor first mashes
// the empty seed and builds several closures before the state overwrites everything; on the hot
// path (one stream per tick) that was most of the cost. test/alea.test.ts compares draws.
import type { Rng } from './stream.js';

const TWO_NEG32 = 2.3283064365386963e-10; // 2^-32

/** A stream that can be restarted from another state (reused across ticks: no allocation). */
export interface AleaStream extends Rng {
  reset(c: number, s0: number, s1: number, s2: number): AleaStream;
}

// Shared by every stream (called as rng.int32(), so `this` is the stream).
function int32(this: () => number): number {
  return (this() * 0x100000000) | 0;
}

/** A stream from alea's state: carry c in [1, 2^32) and three fractions in [0, 1). */
export function aleaFromState(c: number, s0: number, s1: number, s2: number): AleaStream {
  // The state lives in a Float64Array: doubles in closure variables would be boxed anew on
  // every draw. Float64 storage is exact, so the draws are the same doubles.
  const st = new Float64Array(4);
  const next = (() => {
    const t = 2091639 * st[1]! + st[0]! * TWO_NEG32;
    st[1] = st[2]!;
    st[2] = st[3]!;
    const carry = t | 0;
    st[0] = carry;
    return (st[3] = t - carry);
  }) as AleaStream;
  next.int32 = int32;
  next.reset = (c2, a, b, d) => {
    st[0] = c2;
    st[1] = a;
    st[2] = b;
    st[3] = d;
    return next;
  };
  return next.reset(c, s0, s1, s2);
}
