// The bounded decoders check uses on bodies nobody vouches for: the same bytes as fflate's
// one-shot decoders wherever those succeed, and a stop (not an allocation) past the ceiling.
import { gzipSync, gunzipSync, inflateSync, deflateSync, zlibSync, unzlibSync } from 'fflate';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InflateLimitError, gunzipBounded, inflateBounded, unzlibBounded } from '../src/util/inflate.js';
import { stream } from '../src/rng/stream.js';

/** Text-like bytes of a given length (compressible, but not trivially). */
function sample(seed: number, n: number): Uint8Array {
  const r = stream('inflate-test', seed);
  const words = ['cron', 'session', 'opened', 'for', 'user', 'root', 'by', '(uid=0)', 'CRON[1234]:', '\n'];
  let s = '';
  while (s.length < n) s += words[Math.floor(r() * words.length)]! + (r() < 0.2 ? String(Math.floor(r() * 1e6)) : ' ');
  return new TextEncoder().encode(s.slice(0, n));
}

test('the same bytes as the one-shot decoders, over sizes from empty to past several slices', () => {
  for (let seed = 0; seed < 40; seed++) {
    const n = seed === 0 ? 0 : Math.floor(1.6 ** (seed % 25)) + seed;
    const b = sample(seed, n);
    const gz = gzipSync(b, { level: (1 + (seed % 9)) as 6 });
    assert.equal(gunzipBounded(gz, 1 << 24), gunzipSync(gz), `gzip, ${n} bytes`);
    const raw = deflateSync(b);
    assert.equal(inflateBounded(raw, 1 << 24), inflateSync(raw), `deflate, ${n} bytes`);
    const z = zlibSync(b);
    assert.equal(unzlibBounded(z, 1 << 24), unzlibSync(z), `zlib, ${n} bytes`);
    assert.equal(gunzipBounded(gz, n), b, 'a limit equal to the size is enough');
  }
});

test('past the ceiling: InflateLimitError, for a bomb and for an honest body alike', () => {
  const bomb = gzipSync(new Uint8Array(8 << 20), { level: 9 });
  assert.ok(bomb.length < 16 << 10);
  assert.throws(() => gunzipBounded(bomb, 1 << 20), (e: unknown) => e instanceof InflateLimitError && e.limit === 1 << 20);
  const b = sample(7, 5000);
  assert.throws(() => inflateBounded(deflateSync(b), 4999), (e: unknown) => e instanceof InflateLimitError);
  assert.throws(() => unzlibBounded(zlibSync(b), 100), (e: unknown) => e instanceof InflateLimitError);
});

test('a gzip whose trailer under-states its size is still read whole, and stopped past the ceiling', () => {
  const b = sample(11, 50000);
  const gz = gzipSync(b);
  const lying = gz.slice();
  lying.set([0x10, 0, 0, 0], lying.length - 4); // claims 16 bytes
  assert.equal(gunzipBounded(lying, 1 << 24), b);
  assert.throws(() => gunzipBounded(lying, 40000), (e: unknown) => e instanceof InflateLimitError);
  const bomb = gzipSync(new Uint8Array(4 << 20), { level: 9 });
  bomb.set([0x10, 0, 0, 0], bomb.length - 4);
  assert.throws(() => gunzipBounded(bomb, 1 << 20), (e: unknown) => e instanceof InflateLimitError);
});

test('data that is not what it claims fails as with the one-shot decoders (not as a limit)', () => {
  const gz = gzipSync(sample(3, 20000));
  for (const bad of [gz.subarray(0, gz.length >> 1), new TextEncoder().encode('not gzip at all'), gz.subarray(0, 5)]) {
    assert.throws(() => gunzipSync(bad));
    assert.throws(() => gunzipBounded(bad, 1 << 24), (e: unknown) => !(e instanceof InflateLimitError));
  }
});

test.run();
