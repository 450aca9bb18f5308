// src/util/zip.ts writes the archive fflate's zipSync writes (with Word's 1980-01-01 stamps), field
// for field, whether a member's compressed form is new or kept from an earlier archive; only the
// compressed streams differ (ours come from util/deflate.ts), and those are read back by zlib's
// inflate, by fflate's unzip and by Python's zipfile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { stream } from '../src/rng/stream.js';
import { zipArchive, type ZipMember } from '../src/util/zip.js';

/**
 * An archive's structure with the compressed streams set aside: every local and central header
 * field but the compressed size and the offsets that follow from it, each member's data inflated,
 * and the end record's counts.
 */
function layout(zip: Uint8Array): unknown {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const hex = (from: number, to: number) => Buffer.from(zip.subarray(from, to)).toString('hex');
  const eocd = zip.length - 22;
  assert.is(v.getUint32(eocd, true), 0x06054b50);
  const count = v.getUint16(eocd + 10, true);
  let cd = v.getUint32(eocd + 16, true);
  assert.is(cd + v.getUint32(eocd + 12, true), eocd, 'the central directory ends where the end record starts');
  const entries = [];
  let expectLocal = 0;
  for (let n = 0; n < count; n++) {
    assert.is(v.getUint32(cd, true), 0x02014b50);
    const nameLen = v.getUint16(cd + 28, true);
    const local = v.getUint32(cd + 42, true);
    assert.is(local, expectLocal, 'members are laid out one after another');
    assert.is(v.getUint32(local, true), 0x04034b50);
    const size = v.getUint32(local + 18, true);
    assert.is(v.getUint32(cd + 20, true), size);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const data = inflateRawSync(zip.subarray(start, start + size));
    assert.is(data.length, v.getUint32(local + 22, true));
    entries.push({ central: hex(cd + 4, cd + 20) + hex(cd + 24, cd + 42) + hex(cd + 46, cd + 46 + nameLen), local: hex(local + 4, local + 18) + hex(local + 22, start), data: data.toString('hex') });
    expectLocal = start + size;
    cd += 46 + nameLen + v.getUint16(cd + 30, true) + v.getUint16(cd + 32, true);
  }
  return { entries, end: hex(eocd + 4, eocd + 12) + hex(eocd + 20, eocd + 22) };
}

/** fflate's archive with every DOS stamp set to 1980-01-01 00:00:00 (time 0, date 0x0021). */
function reference(members: ZipMember[]): Uint8Array {
  const opts = { mtime: Date.UTC(1980, 0, 2, 12), level: 6 as const };
  const files: Zippable = {};
  for (const m of members) files[m.name] = [typeof m.data === 'string' ? strToU8(m.data) : m.data, opts];
  const zip = zipSync(files);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  let cd = view.getUint32(eocd + 16, true);
  for (let n = 0; n < view.getUint16(eocd + 10, true); n++) {
    view.setUint32(cd + 12, 0x00210000, true);
    view.setUint32(view.getUint32(cd + 42, true) + 10, 0x00210000, true);
    cd += 46 + view.getUint16(cd + 28, true);
  }
  return zip;
}

test('the same layout as fflate zipSync over random archives, kept members included; zlib and Python read every member', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  const paths: string[] = [];
  const rng = stream('zip-test', 'members');
  const words = ['<w:p>', 'relationship', 'théme', '</w:p>', 'Calibri', '\n', 'x', '0123456789', 'ab'.repeat(40)];
  const shared: ZipMember[] = [
    { name: 'word/theme/theme1.xml', data: '<a:theme>' + 'colour '.repeat(500) + '</a:theme>', recurs: true },
    { name: '_rels/.rels', data: strToU8('<Relationships/>'), recurs: true },
  ];
  for (let round = 0; round < 60; round++) {
    const members: ZipMember[] = [];
    const n = 1 + Math.floor(rng() * 6);
    for (let i = 0; i < n; i++) {
      let text = '';
      const len = Math.floor(rng() * (rng() < 0.2 ? 4000 : 80));
      for (let j = 0; j < len; j++) text += words[Math.floor(rng() * words.length)];
      // Non-ASCII names take the UTF-8 flag; empty members too.
      members.push({ name: `${rng() < 0.1 ? 'docs/é' : 'part'}${round}-${i}.xml`, data: rng() < 0.5 ? text : strToU8(text) });
    }
    if (round % 2 === 0) members.splice(Math.floor(rng() * members.length), 0, ...shared);
    const ours = zipArchive(members);
    assert.equal(layout(ours), layout(reference(members)), `round ${round}`);
    // And it reads back.
    const back = unzipSync(ours);
    for (const m of members) assert.equal(back[m.name], typeof m.data === 'string' ? strToU8(m.data) : m.data);
    const path = join(dir, `r${round}.zip`);
    writeFileSync(path, ours);
    paths.push(path);
  }
  // Python's zipfile checks every member's CRC and size (testzip returns the first bad name).
  const py = 'import sys, zipfile\nfor p in sys.argv[1:]:\n    with zipfile.ZipFile(p) as z:\n        bad = z.testzip()\n        assert bad is None, (p, bad)\nprint(len(sys.argv) - 1)';
  const r = await execa('python3', ['-c', py, ...paths]);
  assert.is(r.stdout.trim(), '60');
  rmSync(dir, { recursive: true, force: true });
});

test.run();
