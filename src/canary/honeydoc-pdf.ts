// ~/Documents/*.pdf: a hand-written PDF 1.7 file: catalog, page tree, Helvetica fonts, one or
// more pages whose Flate-compressed content streams lay out the report, an Info dictionary, a
// classic xref table with exact byte offsets and a trailer whose /ID is derived from the slug.
// The catalog's /OpenAction is a URI action pointing at the callback.
import { zlibSync } from 'fflate';
import { pick } from '../rng/stream.js';
import { httpCallback } from './callback.js';
import { ageDays, docCandidates, mailDomain, ownerName, sha256 } from './common.js';
import { buildDocument, docRef, DOC_STEMS, type DocModel } from './doc-content.js';
import type { CanaryContext, CanarySpec } from './types.js';

const PAGE_W = 612;
const PAGE_H = 792;
const MARGIN = 72;
const TEXT_W = PAGE_W - 2 * MARGIN;

const PRODUCERS = [
  ['Microsoft Word for Microsoft 365', 'Microsoft Word for Microsoft 365'],
  ['Writer', 'LibreOffice 7.5'],
  ['Writer', 'LibreOffice 24.2'],
  ['Microsoft Word', 'Microsoft: Print To PDF'],
  ['PScript5.dll Version 5.2.2', 'Acrobat Distiller 23.0 (Windows)'],
] as const;

const ACCENTS: ReadonlyArray<readonly [number, number, number]> = [[0.12, 0.31, 0.47], [0.18, 0.37, 0.31], [0.36, 0.17, 0.44], [0.15, 0.27, 0.33], [0.25, 0.25, 0.25]];

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

function pdfDate(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > maxChars) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

function fit(text: string, width: number, size: number): string {
  const max = Math.max(3, Math.floor(width / (size * 0.5)));
  return text.length <= max ? text : text.slice(0, max - 2) + '..';
}

const f2 = (n: number) => (Math.round(n * 100) / 100).toString();

/** Lays the document out into one content stream per page. */
function layout(doc: DocModel, accent: readonly [number, number, number], footer: string): string[] {
  const pages: string[][] = [];
  let ops: string[] = [];
  let y = PAGE_H - MARGIN;
  const [r, g, b] = accent;
  const newPage = () => {
    pages.push(ops);
    ops = [];
    y = PAGE_H - MARGIN;
  };
  const need = (h: number) => {
    if (y - h < MARGIN + 20) newPage();
  };
  const text = (x: number, yy: number, font: 'F1' | 'F2', size: number, s: string, rgb?: readonly [number, number, number] | 'white') => {
    const fill = rgb === 'white' ? '1 g' : rgb ? `${rgb.map(f2).join(' ')} rg` : '0.13 g';
    ops.push(`BT ${fill} /${font} ${size} Tf 1 0 0 1 ${f2(x)} ${f2(yy)} Tm ${pdfString(s)} Tj ET`);
  };
  /** Body text wrapped at 92 characters, breaking pages as needed. */
  const paragraph = (p: string) => {
    for (const line of wrap(p, 92)) {
      need(14);
      text(MARGIN, y, 'F1', 10, line);
      y -= 14;
    }
  };

  text(MARGIN, y - 18, 'F2', 18, doc.title, accent);
  y -= 34;
  text(MARGIN, y, 'F1', 9, `${doc.subtitle} | ${doc.dateText} | ${doc.author}`, [0.4, 0.4, 0.4]);
  y -= 8;
  ops.push(`${f2(r)} ${f2(g)} ${f2(b)} RG 1.5 w ${MARGIN} ${f2(y)} m ${PAGE_W - MARGIN} ${f2(y)} l S`);
  y -= 22;
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
  const widths = lens.map((l) => (TEXT_W * l) / total);
  const xs: number[] = [];
  let acc = MARGIN;
  for (let i = 0; i < cols; i++) {
    xs.push(acc);
    acc += widths[i]!;
  }
  const header = () => {
    ops.push(`${f2(r)} ${f2(g)} ${f2(b)} rg ${MARGIN} ${f2(y - 4)} ${TEXT_W} 15 re f`);
    doc.table.headers.forEach((h, i) => text(xs[i]! + 3, y, 'F2', 8, fit(h, widths[i]! - 6, 8), 'white'));
    y -= 15;
  };
  header();
  doc.table.rows.forEach((row, ri) => {
    if (y - 14 < MARGIN + 20) {
      newPage();
      header();
    }
    if (ri % 2 === 1) ops.push(`0.95 g ${MARGIN} ${f2(y - 4)} ${TEXT_W} 14 re f`);
    row.forEach((c, i) => text(xs[i]! + 3, y, 'F1', 8, fit(c, widths[i]! - 6, 8)));
    y -= 14;
  });
  y -= 16;
  need(40);
  text(MARGIN, y, 'F2', 13, doc.closingHeading, accent);
  y -= 20;
  for (const p of doc.closing) paragraph(p);
  pages.push(ops);
  return pages.map((p, i) => {
    const foot = `BT 0.5 g /F1 7 Tf 1 0 0 1 ${MARGIN} 40 Tm ${pdfString(`${footer} | Page ${i + 1} of ${pages.length}`)} Tj ET`;
    return [...p, foot].join('\n') + '\n';
  });
}

class PdfWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  readonly offsets: number[] = [];

  raw(data: string | Uint8Array): void {
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    this.chunks.push(b);
    this.size += b.length;
  }

  object(num: number, body: string): void {
    this.offsets[num] = this.size;
    this.raw(`${num} 0 obj\n${body}\nendobj\n`);
  }

  stream(num: number, content: string): void {
    const data = zlibSync(Buffer.from(content, 'latin1'), { level: 6 });
    this.offsets[num] = this.size;
    this.raw(`${num} 0 obj\n<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`);
    this.raw(data);
    this.raw('\nendstream\nendobj\n');
  }

  get position(): number {
    return this.size;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

export interface PdfMeta {
  creator: string;
  producer: string;
  accent: readonly [number, number, number];
  ref: string;
  createdMs: number;
  modifiedMs: number;
  uri: string;
  /** Seeds the trailer /ID. */
  slug: string;
}

/** Serialises a laid-out document: objects, exact xref offsets, trailer. */
export function writePdf(doc: DocModel, meta: PdfMeta): Uint8Array {
  const pages = layout(doc, meta.accent, `${doc.classification} | ${meta.ref}`);
  const w = new PdfWriter();
  w.raw('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const firstPage = 7;
  const kids = pages.map((_, i) => `${firstPage + 2 * i} 0 R`).join(' ');
  w.object(1, '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /PageLayout /OneColumn /Lang (en-US) >>');
  w.object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  w.object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  w.object(4, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  w.object(5, `<< /Type /Action /S /URI /URI ${pdfString(meta.uri)} >>`);
  w.object(
    6,
    `<< /Title ${pdfString(doc.title)} /Author ${pdfString(doc.author)} /Subject ${pdfString(doc.company)} ` +
      `/Creator ${pdfString(meta.creator)} /Producer ${pdfString(meta.producer)} /CreationDate ${pdfString(pdfDate(meta.createdMs))} /ModDate ${pdfString(pdfDate(meta.modifiedMs))} >>`,
  );
  pages.forEach((content, i) => {
    const pageNum = firstPage + 2 * i;
    w.object(pageNum, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageNum + 1} 0 R >>`);
    w.stream(pageNum + 1, content);
  });
  const count = firstPage + 2 * pages.length;
  const xrefAt = w.position;
  let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let n = 1; n < count; n++) xref += `${String(w.offsets[n]).padStart(10, '0')} 00000 n \n`;
  w.raw(xref);
  const id = sha256(`pdf-id\u0000${meta.slug}`).subarray(0, 16).toString('hex').toUpperCase();
  w.raw(`trailer\n<< /Size ${count} /Root 1 0 R /Info 6 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return w.bytes();
}

export function generateHoneydocPdf(ctx: CanaryContext): Uint8Array {
  const rng = ctx.rng;
  const author = ownerName(ctx);
  const doc = buildDocument(ctx, author, mailDomain(ctx, rng));
  const [creator, producer] = pick(rng, PRODUCERS);
  const accent = pick(rng, ACCENTS);
  const ref = docRef(rng);
  const createdMs = ctx.mtimeMs - Math.floor(rng() * 3 * 3600) * 1000;
  return writePdf(doc, { creator, producer, accent, ref, createdMs, modifiedMs: ctx.mtimeMs, uri: ctx.callback, slug: ctx.slug });
}

export const honeydocPdfSpec: CanarySpec = {
  cls: 'canary_honeydoc_pdf',
  generator: 'honeydoc_pdf',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng, date) => docCandidates(rng, `${home}/Documents`, DOC_STEMS.map((s) => (rng() < 0.5 ? s.replace(/-/g, '_') : s)), 'pdf', date),
  ageSeconds: (rng) => ageDays(rng, 1, 12),
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'doc', style, r),
  generate: generateHoneydocPdf,
};
