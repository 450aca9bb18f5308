// ~/Documents/*.pdf: a report as a reporting script using the ReportLab library writes one, so
// that what the file says about itself holds together. ReportLab uses the standard Type 1 fonts
// (Helvetica, Helvetica-Bold) without embedding them, and its files have a recognisable layout:
// `%PDF-1.4` and its comment line, the font resource dictionary as object 1, the fonts, the
// annotations and pages in the order drawn, then catalog, Info and page tree, and the content
// streams last, Flate-compressed and ASCII85-armoured; dictionaries with sorted keys, broken
// every six entries; the Info dictionary with its `(anonymous)` / `(unspecified)` defaults where
// the script set nothing; a classic xref table and a trailer carrying an MD5-style /ID and its
// digest comment. Text is laid out with Helvetica's real advance widths.
//
// The callback is reached two ways: the catalog's /OpenAction (a URI action, which readers that
// honour it follow on open) and a link annotation on the report's "online version" line (which
// every viewer follows when it is clicked).
import { pick, type Rng } from '../rng/stream.js';
import { ascii85Encode } from '../util/ascii85.js';
import { zlib } from '../util/deflate.js';
import { httpCallback } from './callback.js';
import { spreadAgeSeconds, docCandidates, mailDomain, ownerName, sha256 } from './common.js';
import { buildDocument, docRef, DOC_STEMS, type DocModel } from './doc-content.js';
import type { CanaryContext, CanarySpec } from './types.js';

/** ReportLab's own page sizes: A4 (its default) and letter. */
const PAGE_SIZES = { A4: [595.2756, 841.8898], letter: [612, 792] } as const;
const MARGIN = 72;

const PRODUCER = 'ReportLab PDF Library - www.reportlab.com';
const HEADER = '%PDF-1.4\n%\x93\x8c\x8b\x9e ReportLab Generated PDF document http://www.reportlab.com\n';

const ACCENTS: ReadonlyArray<readonly [number, number, number]> = [[0.12, 0.31, 0.47], [0.18, 0.37, 0.31], [0.36, 0.17, 0.44], [0.15, 0.27, 0.33], [0.25, 0.25, 0.25]];

// Advance widths (1/1000 em) of Helvetica and Helvetica-Bold for the printable ASCII range,
// from the fonts' published metrics; other characters count as 556.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
  975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

type Font = 'F1' | 'F2';

/** The width of `s` in points, set in `font` at `size`. */
export function textWidth(s: string, font: Font, size: number): number {
  const table = font === 'F2' ? HELVETICA_BOLD : HELVETICA;
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    w += c >= 32 && c < 127 ? table[c - 32]! : 556;
  }
  return (w * size) / 1000;
}

/** A number as ReportLab writes one: at most four decimals, no trailing zeros, no leading `0.`. */
function num(n: number): string {
  const r = Math.round(n * 10000) / 10000;
  if (r === 0) return '0';
  let s = r.toFixed(4).replace(/\.?0+$/, '');
  if (s.startsWith('0.')) s = s.slice(1);
  else if (s.startsWith('-0.')) s = '-' + s.slice(2);
  return s;
}

/** A PDF literal string: latin-1 text, parentheses and backslashes escaped, the rest octal. */
function pdfString(s: string): string {
  let out = '(';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '(' || ch === ')' || ch === '\\') out += '\\' + ch;
    else if (c >= 32 && c < 127) out += ch;
    else if (c >= 160 && c < 256) out += '\\' + c.toString(8).padStart(3, '0');
    else out += '?';
  }
  return out + ')';
}

/** ReportLab's date form, `D:YYYYMMDDhhmmss+00'00'` (the generating host's clock, here UTC). */
function pdfDate(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

/** A dictionary as ReportLab formats it: keys sorted, a line break every six entries. */
function dict(entries: Record<string, string>): string {
  const items = Object.keys(entries)
    .sort()
    .map((k) => `/${k} ${entries[k]}`);
  for (let i = Math.floor((items.length - 1) / 6) * 6; i >= 6; i -= 6) items.splice(i, 0, '\n ');
  return `<<\n${items.join(' ')}\n>>`;
}

const arr = (xs: ReadonlyArray<string | number>) => `[ ${xs.map((x) => (typeof x === 'number' ? num(x) : x)).join(' ')} ]`;
const ref = (n: number) => `${n} 0 R`;

/** One laid-out page: its content stream and the link rectangles on it. */
interface Page {
  ops: string[];
  links: Array<[number, number, number, number]>;
}

/** A canvas that writes content operators the way ReportLab's does, tracking font and colour. */
class Canvas {
  readonly pages: Page[] = [];
  private page!: Page;
  private font: Font = 'F1';
  private size = 12;
  private fill = '';

  constructor() {
    this.newPage();
  }

  newPage(): void {
    this.page = { ops: ['BT /F1 12 Tf 14.4 TL ET'], links: [] };
    this.pages.push(this.page);
    this.font = 'F1';
    this.size = 12;
    this.fill = '';
  }

  setFont(font: Font, size: number): void {
    if (font === this.font && size === this.size) return;
    this.font = font;
    this.size = size;
    this.page.ops.push(`BT /${font} ${num(size)} Tf ${num(size * 1.2)} TL ET`);
  }

  setFill(rgb: readonly [number, number, number] | number): void {
    const op = typeof rgb === 'number' ? `${num(rgb)} g` : `${rgb.map(num).join(' ')} rg`;
    if (op === this.fill) return;
    this.fill = op;
    this.page.ops.push(op);
  }

  drawString(x: number, y: number, s: string): void {
    this.page.ops.push(`BT 1 0 0 1 ${num(x)} ${num(y)} Tm ${pdfString(s)} Tj T* ET`);
  }

  line(x1: number, y1: number, x2: number, y2: number, rgb: readonly [number, number, number], width: number): void {
    this.page.ops.push(`${rgb.map(num).join(' ')} RG`, `${num(width)} w`, `n ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  rect(x: number, y: number, w: number, h: number): void {
    this.page.ops.push(`n ${num(x)} ${num(y)} ${num(w)} ${num(h)} re f`);
  }

  link(x: number, y: number, w: number, h: number): void {
    this.page.links.push([x, y, x + w, y + h]);
  }

  get fontNow(): Font {
    return this.font;
  }
}

/** Words of `text` set in lines no wider than `width`. */
function wrap(text: string, font: Font, size: number, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (!w) continue;
    const next = cur ? `${cur} ${w}` : w;
    if (cur && textWidth(next, font, size) > width) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** `text` cut to fit `width`, with an ellipsis of two dots when cut. */
function fit(text: string, font: Font, size: number, width: number): string {
  if (textWidth(text, font, size) <= width) return text;
  let s = text;
  while (s.length > 1 && textWidth(s + '..', font, size) > width) s = s.slice(0, -1);
  return s + '..';
}

export interface LinkLine {
  /** Text before the link, then the link's own words. */
  lead: string;
  label: string;
}

/** Lays the document out page by page. */
function layout(doc: DocModel, pageSize: readonly [number, number], accent: readonly [number, number, number], footer: string, online: LinkLine | null): Page[] {
  const [pageW, pageH] = pageSize;
  const textW = pageW - 2 * MARGIN;
  const c = new Canvas();
  let y = pageH - MARGIN;
  const need = (h: number): boolean => {
    if (y - h < MARGIN + 20) {
      c.newPage();
      y = pageH - MARGIN;
      return true;
    }
    return false;
  };
  const text = (x: number, yy: number, font: Font, size: number, s: string, fill: readonly [number, number, number] | number) => {
    c.setFont(font, size);
    c.setFill(fill);
    c.drawString(x, yy, s);
  };
  const paragraph = (p: string) => {
    for (const line of wrap(p, 'F1', 10, textW)) {
      need(14);
      text(MARGIN, y, 'F1', 10, line, 0.13);
      y -= 14;
    }
  };

  text(MARGIN, y - 18, 'F2', 18, fit(doc.title, 'F2', 18, textW), accent);
  y -= 34;
  text(MARGIN, y, 'F1', 9, fit(`${doc.subtitle} | ${doc.dateText} | ${doc.author}`, 'F1', 9, textW), 0.4);
  y -= 8;
  c.line(MARGIN, y, pageW - MARGIN, y, accent, 1.5);
  y -= 16;
  // The online-version line: grey lead, the link words in blue, a link annotation over them.
  if (online !== null) {
    text(MARGIN, y, 'F1', 8, online.lead, 0.4);
    const lx = MARGIN + textWidth(online.lead + ' ', 'F1', 8);
    text(lx, y, 'F1', 8, online.label, [0.07, 0.33, 0.8]);
    c.link(lx, y - 2, textWidth(online.label, 'F1', 8), 10);
    y -= 20;
  } else y -= 4;
  for (const p of doc.intro) {
    paragraph(p);
    y -= 6;
  }
  need(40);
  y -= 6;
  text(MARGIN, y, 'F2', 13, doc.tableHeading, accent);
  y -= 20;

  const cols = doc.table.headers.length;
  const lens = doc.table.headers.map((h, i) => Math.min(40, Math.max(h.length, ...doc.table.rows.map((row) => (row[i] ?? '').length))));
  const total = lens.reduce((a, v) => a + v, 0);
  const widths = lens.map((l) => (textW * l) / total);
  const xs: number[] = [];
  let acc = MARGIN;
  for (let i = 0; i < cols; i++) {
    xs.push(acc);
    acc += widths[i]!;
  }
  const header = () => {
    c.setFill(accent);
    c.rect(MARGIN, y - 4, textW, 15);
    doc.table.headers.forEach((h, i) => text(xs[i]! + 3, y, 'F2', 8, fit(h, 'F2', 8, widths[i]! - 6), 1));
    y -= 15;
  };
  header();
  doc.table.rows.forEach((row, ri) => {
    if (need(14)) header();
    if (ri % 2 === 1) {
      c.setFill(0.95);
      c.rect(MARGIN, y - 4, textW, 14);
    }
    row.forEach((cell, i) => text(xs[i]! + 3, y, 'F1', 8, fit(cell, 'F1', 8, widths[i]! - 6), 0.13));
    y -= 14;
  });
  y -= 16;
  need(40);
  text(MARGIN, y, 'F2', 13, doc.closingHeading, accent);
  y -= 20;
  for (const p of doc.closing) paragraph(p);
  // Footers, once the page count is known (a second pass, as a numbered report's script does).
  const n = c.pages.length;
  c.pages.forEach((p, i) => {
    p.ops.push('.5 g', 'BT /F1 7 Tf 8.4 TL ET', `BT 1 0 0 1 ${MARGIN} 40 Tm ${pdfString(`${footer} | Page ${i + 1} of ${n}`)} Tj T* ET`);
  });
  return c.pages;
}

/** Writes objects and remembers their offsets for the xref table. */
class PdfWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  readonly offsets: number[] = [];

  raw(data: string): void {
    const b = Buffer.from(data, 'latin1');
    this.chunks.push(b);
    this.size += b.length;
  }

  object(num: number, body: string): void {
    this.offsets[num] = this.size;
    this.raw(`${num} 0 obj\n${body}\nendobj\n`);
  }

  /** A content stream: Flate, then ASCII85, as ReportLab's page compression writes it. */
  stream(num: number, content: string): void {
    const data = ascii85Encode(zlib(Buffer.from(content, 'latin1')));
    this.object(num, `${dict({ Filter: '[ /ASCII85Decode /FlateDecode ]', Length: String(data.length) })}\nstream\n${data}endstream`);
  }

  get position(): number {
    return this.size;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

export interface PdfMeta {
  /** The Info dictionary as the script set it; null leaves ReportLab's default. */
  title: string | null;
  author: string | null;
  subject: string | null;
  creator: string | null;
  pageSize: keyof typeof PAGE_SIZES;
  accent: readonly [number, number, number];
  ref: string;
  /** The generation time (ReportLab writes the same for CreationDate and ModDate). */
  createdMs: number;
  uri: string;
  online: LinkLine;
  /** Seeds the trailer /ID. */
  slug: string;
}

/** Serialises a laid-out document: objects in ReportLab's order, exact xref offsets, trailer. */
export function writePdf(doc: DocModel, meta: PdfMeta): Uint8Array {
  // An empty uri: an ordinary report (the pre-history's): no online line, no link, no action.
  const plain = meta.uri === '';
  const pages = layout(doc, PAGE_SIZES[meta.pageSize], meta.accent, `${doc.classification} | ${meta.ref}`, plain ? null : meta.online);
  const w = new PdfWriter();
  w.raw(HEADER);
  // Numbering: 1 font resources, 2-3 fonts, then per page its link annotations and the page,
  // then catalog, Info, page tree, and the content streams.
  let next = 4;
  const pageNums: number[] = [];
  const annotNums: number[][] = [];
  for (const p of pages) {
    annotNums.push(p.links.map(() => next++));
    pageNums.push(next++);
  }
  const catalog = next++;
  const info = next++;
  const tree = next++;
  const contents = pages.map(() => next++);
  const uri = pdfString(meta.uri);
  const action = (): string => dict({ S: '/URI', Type: '/Action', URI: uri });

  w.object(1, dict({ F1: ref(2), F2: ref(3) }));
  w.object(2, dict({ BaseFont: '/Helvetica', Encoding: '/WinAnsiEncoding', Name: '/F1', Subtype: '/Type1', Type: '/Font' }));
  w.object(3, dict({ BaseFont: '/Helvetica-Bold', Encoding: '/WinAnsiEncoding', Name: '/F2', Subtype: '/Type1', Type: '/Font' }));
  const [pw, ph] = PAGE_SIZES[meta.pageSize];
  pages.forEach((p, i) => {
    p.links.forEach((r, k) => w.object(annotNums[i]![k]!, dict({ A: action(), Border: arr([0, 0, 0]), Rect: arr(r), Subtype: '/Link', Type: '/Annot' })));
    const entries: Record<string, string> = {
      Contents: ref(contents[i]!),
      MediaBox: arr([0, 0, pw, ph]),
      Parent: ref(tree),
      Resources: dict({ Font: ref(1), ProcSet: '[ /PDF /Text /ImageB /ImageC /ImageI ]' }),
      Rotate: '0',
      Trans: '<<\n\n>>',
      Type: '/Page',
    };
    if (p.links.length > 0) entries.Annots = arr(annotNums[i]!.map(ref));
    w.object(pageNums[i]!, dict(entries));
  });
  w.object(catalog, dict(plain ? { PageMode: '/UseNone', Pages: ref(tree), Type: '/Catalog' } : { OpenAction: action(), PageMode: '/UseNone', Pages: ref(tree), Type: '/Catalog' }));
  const date = pdfString(pdfDate(meta.createdMs));
  w.object(
    info,
    dict({
      Author: pdfString(meta.author ?? '(anonymous)'),
      CreationDate: date,
      Creator: pdfString(meta.creator ?? '(unspecified)'),
      Keywords: '()',
      ModDate: date,
      Producer: pdfString(PRODUCER),
      Subject: pdfString(meta.subject ?? '(unspecified)'),
      Title: pdfString(meta.title ?? '(anonymous)'),
      Trapped: '/False',
    }),
  );
  w.object(tree, dict({ Count: String(pages.length), Kids: arr(pageNums.map(ref)), Type: '/Pages' }));
  pages.forEach((p, i) => w.stream(contents[i]!, p.ops.join('\n') + '\n'));

  const count = next;
  const xrefAt = w.position;
  let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let n = 1; n < count; n++) xref += `${String(w.offsets[n]).padStart(10, '0')} 00000 n \n`;
  w.raw(xref);
  const id = sha256(`pdf-id\u0000${meta.slug}`).subarray(0, 16).toString('hex');
  w.raw(
    `trailer\n<<\n/ID \n[<${id}><${id}>]\n% ReportLab generated PDF document -- digest (http://www.reportlab.com)\n\n` +
      `/Info ${ref(info)}\n/Root ${ref(catalog)}\n/Size ${count}\n>>\nstartxref\n${xrefAt}\n%%EOF\n`,
  );
  return w.bytes();
}

const ONLINE: ReadonlyArray<readonly [string, string]> = [
  ['The current version of this report is kept online:', 'open the latest version'],
  ['This is a generated copy. Figures may have changed since;', 'view the live report'],
  ['Printed copies are not controlled.', 'Check the current revision'],
  ['Online version:', 'view in browser'],
  ['Report generated from the reporting portal.', 'Open in portal'],
];

function drawMeta(rng: Rng, ctx: CanaryContext, doc: DocModel): Omit<PdfMeta, 'uri' | 'slug' | 'createdMs'> {
  // A script sets what its author thought of: always a title here, often the author and a
  // subject, seldom the creator.
  const author = rng() < 0.7 ? doc.author : null;
  const subject = rng() < 0.5 ? doc.subtitle : null;
  const creator = rng() < 0.25 ? pick(rng, ['reportgen', 'report-builder', 'export_report.py', 'nightly-reports']) : null;
  const country = ctx.org?.country;
  const letter = country === 'US' || country === 'CA' ? rng() < 0.9 : rng() < 0.15;
  const [lead, label] = pick(rng, ONLINE);
  return { title: doc.title, author, subject, creator, pageSize: letter ? 'letter' : 'A4', accent: pick(rng, ACCENTS), ref: docRef(rng), online: { lead, label } };
}

export function generateHoneydocPdf(ctx: CanaryContext): Uint8Array {
  const rng = ctx.rng;
  const author = ownerName(ctx);
  const doc = buildDocument(ctx, author, mailDomain(ctx, rng));
  const meta = drawMeta(rng, ctx, doc);
  // Generated a few minutes to hours before the file's mtime (copied or downloaded since).
  const createdMs = ctx.mtimeMs - Math.floor(rng() * 3 * 3600) * 1000;
  return writePdf(doc, { ...meta, createdMs, uri: ctx.callback, slug: ctx.slug });
}

export const honeydocPdfSpec: CanarySpec = {
  cls: 'canary_honeydoc_pdf',
  generator: 'honeydoc_pdf',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng, date) => docCandidates(rng, `${home}/Documents`, DOC_STEMS.map((s) => (rng() < 0.5 ? s.replace(/-/g, '_') : s)), 'pdf', date),
  ageSeconds: spreadAgeSeconds,
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'doc', style, r),
  generate: generateHoneydocPdf,
};
