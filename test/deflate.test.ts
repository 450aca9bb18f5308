// src/util/deflate.ts against zlib itself (Node's binding): every stream it writes inflates to the
// input, over seeded inputs of every shape the planner and its edge cases give (empty, one byte,
// runs longer than a match, incompressible bytes, several blocks, a window's distance, inputs
// after a large one so stale table entries are around); gzip framing as gzip(1) writes it; and
// compression close to zlib's default level on log text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync, gzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { stream, type Rng } from '../src/rng/stream.js';
import { crc32, deflateRaw, gzip, zlib } from '../src/util/deflate.js';

const WORDS = ['sshd', 'CRON', 'session', 'opened', 'for', 'user', 'root', '(uid=0)', 'by', 'pam_unix', 'Accepted', 'publickey', 'from', '10.0.3.17', 'port', 'systemd[1]:', 'Started', 'é', '€', '\n'];

function logLike(r: Rng, n: number): Uint8Array {
  let s = '';
  let t = 0;
  while (s.length < n) {
    t += Math.floor(r() * 90);
    s += `Mar  ${1 + (t % 28)} ${String(t % 24).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}:01 host-${Math.floor(r() * 4)} `;
    for (let k = 3 + Math.floor(r() * 9); k > 0; k--) s += WORDS[Math.floor(r() * WORDS.length)] + ' ';
    s += '\n';
  }
  return new Uint8Array(Buffer.from(s.slice(0, n)));
}

function random(r: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Few distinct bytes and long runs: matches of the maximum length at distance 1, many symbols. */
function runs(r: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const v = Math.floor(r() * 3);
    const len = 1 + Math.floor(r() * (r() < 0.1 ? 2000 : 20));
    b.fill(v, i, Math.min(n, i + len));
    i += len;
  }
  return b;
}

/** A block repeated at a distance near the 32 KiB window's edge, with edits between copies. */
function farRepeats(r: Rng, n: number): Uint8Array {
  const unit = random(r, 32760 + Math.floor(r() * 16));
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = unit[i % unit.length]!;
  for (let k = 0; k < 20; k++) b[Math.floor(r() * n)] = Math.floor(r() * 256);
  return b;
}

test('every raw stream inflates (zlib) to its input, over 400 seeded inputs of every shape', () => {
  const r = stream('deflate-test', 'shapes');
  const makers = [logLike, random, runs, farRepeats];
  const sizes = [0, 1, 2, 3, 4, 257, 258, 259, 5000, 40000, 70000, 200000];
  let n = 0;
  for (let round = 0; round < 400; round++) {
    const make = makers[round % makers.length]!;
    const size = round < sizes.length * 4 ? sizes[Math.floor(round / 4)]! : Math.floor(r() * (r() < 0.2 ? 150000 : 9000));
    const input = make(r, size);
    const raw = deflateRaw(input);
    assert.equal(new Uint8Array(inflateRawSync(raw)), input, `round ${round}: ${make.name} x ${size}`);
    n++;
  }
  assert.is(n, 400);
});

test('incompressible data stays within stored blocks\' overhead; runs shrink a thousandfold', () => {
  const r = stream('deflate-test', 'bounds');
  for (const size of [1, 1000, 65535, 65536, 300000]) {
    const raw = deflateRaw(random(r, size));
    // A block (up to 16 Ki symbols) stored costs 5 bytes over its bytes: never more than that.
    assert.ok(raw.length <= size + 5 * Math.ceil(size / 16000) + 5, `random ${size}: ${raw.length}`);
  }
  const zeros = new Uint8Array(1 << 20);
  assert.ok(deflateRaw(zeros).length < 1100, 'a mebibyte of zeros');
});

test('log text compresses within 2% of zlib at the default level', () => {
  const r = stream('deflate-test', 'ratio');
  let ours = 0;
  let zlib = 0;
  for (let k = 0; k < 40; k++) {
    const input = logLike(r, 2000 + Math.floor(r() * 60000));
    ours += gzip(input).length;
    zlib += gzipSync(input, { level: 6 }).length;
  }
  assert.ok(ours <= zlib * 1.02, `ours ${ours} bytes, zlib ${zlib}`);
});

test('gzip: the header gzip(1) writes for stdin (no name, XFL 0, OS Unix), the mtime in seconds, CRC and size trailer', () => {
  const r = stream('deflate-test', 'gzip');
  for (let k = 0; k < 30; k++) {
    const input = logLike(r, Math.floor(r() * 20000));
    const mtime = Date.UTC(2026, 2, 1 + k, 6, 25, 3, 987);
    const g = gzip(input, mtime);
    assert.equal([...g.subarray(0, 4)], [0x1f, 0x8b, 8, 0]);
    const v = new DataView(g.buffer, g.byteOffset, g.byteLength);
    assert.is(v.getUint32(4, true), Math.floor(mtime / 1000));
    assert.is(g[8], 0);
    assert.is(g[9], 3);
    assert.is(v.getUint32(g.length - 8, true), crc32(input));
    assert.is(v.getUint32(g.length - 4, true), input.length);
    assert.equal(new Uint8Array(gunzipSync(g)), input);
  }
  assert.is(new DataView(gzip(new Uint8Array(0)).buffer).getUint32(4, true), 0);
});

test('the same input gives the same bytes whatever was compressed before it', () => {
  const r = stream('deflate-test', 'state');
  const inputs = Array.from({ length: 12 }, (_, k) => (k % 2 ? logLike(r, 3000 + k * 5000) : runs(r, 70000)));
  const first = inputs.map((i) => Buffer.from(deflateRaw(i)).toString('hex'));
  // Again in reverse order, with a large unrelated input between each.
  for (let k = inputs.length - 1; k >= 0; k--) {
    deflateRaw(random(r, 100000));
    assert.is(Buffer.from(deflateRaw(inputs[k]!)).toString('hex'), first[k]);
  }
});

test('zlib: the default-level header (78 9c), Adler-32 checked by zlib\'s inflate', () => {
  const r = stream('deflate-test', 'zlib');
  for (let k = 0; k < 40; k++) {
    // Up to 12,000 bytes of 0xff: Adler-32's sums must be reduced before they pass 32 bits.
    const input = k % 4 === 3 ? new Uint8Array(Math.floor(r() * 12000)).fill(0xff) : k % 2 ? random(r, Math.floor(r() * 9000)) : logLike(r, Math.floor(r() * 30000));
    const z = zlib(input);
    assert.equal([z[0], z[1]], [0x78, 0x9c]);
    assert.is(((z[0]! << 8) | z[1]!) % 31, 0);
    assert.equal(new Uint8Array(inflateSync(z)), input);
  }
});

test('crc32 is the gzip CRC', () => {
  assert.is(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.is(crc32(new Uint8Array(0)), 0);
});

test.run();
