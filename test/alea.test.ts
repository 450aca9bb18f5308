// The hand-written alea must draw exactly what seedrandom's alea draws from the same state.
import seedrandom from 'seedrandom';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aleaFromState } from '../src/rng/alea.js';
import { StreamFamily, fastStream, stream } from '../src/rng/stream.js';

test('aleaFromState equals seedrandom.alea with the same state, draw for draw', () => {
  const seeds = seedrandom.alea('alea-test');
  for (let k = 0; k < 2000; k++) {
    const state = { c: 1 + ((seeds.int32() >>> 0) % 0xffffffff), s0: seeds(), s1: seeds(), s2: seeds() };
    if (k % 3 === 0) state.c = 1;
    const ref = seedrandom.alea('', { state: { ...state } }) as unknown as { (): number; int32(): number };
    const mine = aleaFromState(state.c, state.s0, state.s1, state.s2);
    for (let i = 0; i < 50; i++) {
      if (i % 3 === 0) assert.is(mine.int32(), ref.int32());
      else assert.is(mine(), ref());
    }
  }
});

test('fastStream draws exactly what stream() draws for the same labels', () => {
  for (const labels of [['42', 'uuid-1', 'clock'], ['', 'x'], ['seed with spaces', 7, 'clock']] as Array<Array<string | number>>) {
    const mine = fastStream(...labels);
    const ref = stream(...labels);
    for (let i = 0; i < 5000; i++) assert.is(i % 2 ? mine.int32() : mine(), i % 2 ? ref.int32() : ref());
  }
});

test('StreamFamily children equal seedrandom.alea from the same state', () => {
  const fam = new StreamFamily('seed', 'decky', 'tick');
  for (const index of [0, 1, 2, 77, 1000, 123456, 2 ** 32 + 5]) {
    for (const purpose of [0, 1, 2]) {
      const mine = fam.child(index, purpose);
      const ref = seedrandom.alea('', { state: fam.state(index, purpose) }) as unknown as { (): number; int32(): number };
      for (let i = 0; i < 200; i++) assert.is(i % 2 ? mine.int32() : mine(), i % 2 ? ref.int32() : ref());
    }
  }
});

test('a restarted stream draws what a fresh child draws, whatever it drew before', () => {
  const fam = new StreamFamily('seed', 'decky', 'tick');
  const reused = aleaFromState(1, 0, 0, 0);
  for (let index = 0; index < 300; index++) {
    for (const purpose of [0, 1, 2, 1]) {
      const fresh = fam.child(index, purpose);
      fam.restart(reused, index, purpose);
      for (let i = 0; i < 1 + (index % 17); i++) assert.is(i % 2 ? reused.int32() : reused(), i % 2 ? fresh.int32() : fresh());
    }
  }
});

test.run();
