// ZIP archives (OOXML packages) written member by member, with each member's compressed form
// kept for members that recur: a DOCX carries a theme, web settings, relationships and styles that
// are the same in every document of a kind, and deflating them again for each document was most
// of a document's cost. The layout is the one fflate's zipSync writes (version 20, no extra
// fields, no data descriptors, DEFLATE at the default level, by util/deflate.ts), with every
// entry stamped 1980-01-01 00:00:00 as Word writes it; test/zip.test.ts holds the layout equal to
// fflate's field by field and has every member read back by zlib and Python's zipfile.
import { strToU8 } from 'fflate';
import { crc32, deflateRaw } from './deflate.js';

export interface ZipMember {
  name: string;
  data: string | Uint8Array;
  /** The same bytes recur in other archives: keep their compressed form. */
  recurs?: boolean;
}

interface Packed {
  crc: number;
  size: number;
  deflated: Uint8Array;
}

// Recurring members are few (a kind of document has tens of variants at most); the bound only
// guards against a caller that marks unique data as recurring.
const MAX_KEPT = 512;
const kept = new Map<string | Uint8Array, Packed>();

function pack(data: Uint8Array): Packed {
  return { crc: crc32(data), size: data.length, deflated: deflateRaw(data) };
}

function packMember(m: ZipMember): Packed {
  if (!m.recurs) return pack(typeof m.data === 'string' ? strToU8(m.data) : m.data);
  let p = kept.get(m.data);
  if (p === undefined) {
    if (kept.size >= MAX_KEPT) kept.clear();
    p = pack(typeof m.data === 'string' ? strToU8(m.data) : m.data);
    kept.set(m.data, p);
  }
  return p;
}

const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * The fields a local header (from its offset 4) and a central one (from 6) share: version needed,
 * flags, method, stamp, CRC, sizes, name length; no extra field.
 */
function entryFields(view: DataView, o: number, flags: number, p: Packed, nameLength: number): void {
  view.setUint16(o, 20, true);
  view.setUint16(o + 2, flags, true);
  view.setUint16(o + 4, 8, true);
  view.setUint16(o + 6, DOS_TIME, true);
  view.setUint16(o + 8, DOS_DATE, true);
  view.setUint32(o + 10, p.crc, true);
  view.setUint32(o + 14, p.deflated.length, true);
  view.setUint32(o + 18, p.size, true);
  view.setUint16(o + 22, nameLength, true);
}

/** The archive of these members, in this order. */
export function zipArchive(members: readonly ZipMember[]): Uint8Array {
  const names = members.map((m) => strToU8(m.name));
  const packed = members.map(packMember);
  let local = 0;
  let central = 0;
  for (let i = 0; i < members.length; i++) {
    local += 30 + names[i]!.length + packed[i]!.deflated.length;
    central += 46 + names[i]!.length;
  }
  const out = new Uint8Array(local + central + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  let cd = local;
  for (let i = 0; i < members.length; i++) {
    const name = names[i]!;
    const p = packed[i]!;
    // A name with non-ASCII characters sets the UTF-8 flag (bit 11), as fflate does.
    const flags = name.length !== members[i]!.name.length ? 0x800 : 0;
    view.setUint32(cd, 0x02014b50, true);
    view.setUint16(cd + 4, 20, true); // made by
    entryFields(view, cd + 6, flags, p, name.length);
    view.setUint32(cd + 42, at, true);
    out.set(name, cd + 46);
    cd += 46 + name.length;

    view.setUint32(at, 0x04034b50, true);
    entryFields(view, at + 4, flags, p, name.length);
    out.set(name, at + 30);
    out.set(p.deflated, at + 30 + name.length);
    at += 30 + name.length + p.deflated.length;
  }
  view.setUint32(cd, 0x06054b50, true);
  view.setUint16(cd + 8, members.length, true);
  view.setUint16(cd + 10, members.length, true);
  view.setUint32(cd + 12, central, true);
  view.setUint32(cd + 16, local, true);
  return out;
}
