// src/util/zip.ts writes the archive fflate's zipSync writes (with Word's 1980-01-01 stamps), byte
// for byte, whether a member's compressed form is new or kept from an earlier archive.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { stream } from '../src/rng/stream.js';
import { zipArchive, type ZipMember } from '../src/util/zip.js';

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

test('the same bytes as fflate zipSync over random archives, kept members included', () => {
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
    assert.equal(Buffer.from(ours).toString('hex'), Buffer.from(reference(members)).toString('hex'), `round ${round}`);
    // And it reads back.
    const back = unzipSync(ours);
    for (const m of members) assert.equal(back[m.name], typeof m.data === 'string' ? strToU8(m.data) : m.data);
  }
});

test.run();
