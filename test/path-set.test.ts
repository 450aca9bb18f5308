// The fingerprint set a decky remembers its used paths in: it answers as a Set of the same paths
// would through any sequence of adds and deletes (growth and backward-shift deletion included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stream } from '../src/rng/stream.js';
import { PathSet } from '../src/util/path-set.js';

test('PathSet answers like a Set over random adds, deletes and lookups', () => {
  for (let seed = 0; seed < 20; seed++) {
    const r = stream('path-set', seed);
    const ps = new PathSet();
    const ref = new Set<string>();
    // A small name space, so adds repeat and deletes hit present names; long runs of probing.
    const space = 50 + Math.floor(r() * 3000);
    const name = () => `/home/u${Math.floor(r() * 4)}/notes/${Math.floor(r() * space)}-é.md`;
    for (let op = 0; op < 6000; op++) {
      const p = name();
      const x = r();
      if (x < 0.5) {
        ps.add(p);
        ref.add(p);
      } else if (x < 0.7) {
        ps.delete(p);
        ref.delete(p);
      } else assert.is(ps.has(p), ref.has(p), `seed ${seed} op ${op}: has(${p})`);
      assert.is(ps.size, ref.size);
    }
    for (const p of ref) assert.ok(ps.has(p), `seed ${seed}: lost ${p}`);
    for (let k = 0; k < 2000; k++) {
      const p = `/var/log/other-${k}.log`;
      assert.is(ps.has(p), false);
    }
  }
});

test('PathSet keeps a year of a decky in a small table', () => {
  const ps = new PathSet();
  for (let i = 0; i < 5000; i++) ps.add(`/home/ana/Documents/report-${i}.txt`);
  for (let i = 0; i < 5000; i++) assert.ok(ps.has(`/home/ana/Documents/report-${i}.txt`));
  assert.is(ps.size, 5000);
  assert.not.ok(ps.has('/home/ana/Documents/report-5000.txt'));
});

test.run();
