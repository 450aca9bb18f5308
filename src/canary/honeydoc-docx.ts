// ~/Documents/*.docx: a WordprocessingML package with the parts Word saves (docx-parts.ts). The
// page header holds the letterhead logo, linked (not embedded) from the callback through an
// external image relationship that Word resolves when the document is opened. Entries are written
// in a fixed order with the fixed 1980-01-01 stamp Word itself uses, so the bytes depend only on
// the inputs (not the time zone).
import { between, pick, token, type Rng } from '../rng/stream.js';
import { httpCallback } from './callback.js';
import { spreadAgeSeconds, docCandidates, mailDomain, ownerName, xmlEscape, isoSecondsUtc } from './common.js';
import { buildDocument, docRef, DOC_STEMS, type DocModel } from './doc-content.js';
import { DECL, FIRST_FREE_REL, NS_A, PART_OVERRIDES, REL_BASE, PART_RELATIONSHIPS, STYLE, THEME_XML, WEB_SETTINGS_XML, fontTableXml, settingsXml, storyRoot, stylesXml } from './docx-parts.js';
import { zipArchive } from '../util/zip.js';
import type { CanaryContext, CanarySpec } from './types.js';

const NS_PIC = 'http://schemas.openxmlformats.org/drawingml/2006/picture';
const NS_A14 = 'http://schemas.microsoft.com/office/drawing/2010/main';
const EMU_PER_PX = 9525; // one pixel at 96 dpi
const FONTS = ['Calibri', 'Arial', 'Cambria', 'Segoe UI', 'Aptos'] as const;
const COLORS = ['1F4E79', '2E5E4E', '5B2C6F', '7B3F00', '264653', '404040'] as const;

function run(text: string, opts: { bold?: boolean; size?: number; color?: string; font: string }): string {
  const rpr: string[] = [`<w:rFonts w:ascii="${opts.font}" w:hAnsi="${opts.font}" w:cs="${opts.font}"/>`];
  if (opts.bold) rpr.push('<w:b/>');
  if (opts.color) rpr.push(`<w:color w:val="${opts.color}"/>`);
  if (opts.size) rpr.push(`<w:sz w:val="${opts.size}"/><w:szCs w:val="${opts.size}"/>`);
  return `<w:r><w:rPr>${rpr.join('')}</w:rPr><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r>`;
}

function para(content: string, spacingAfter = 160, jc?: string, style?: string): string {
  return `<w:p><w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}<w:spacing w:after="${spacingAfter}"/>${jc ? `<w:jc w:val="${jc}"/>` : ''}</w:pPr>${content}</w:p>`;
}

/** A picture linked (not embedded) from relationship relId, as Word writes one inserted with
 * "Link to File": an inline drawing of the given size in EMU, `r:link` on the blip. */
function linkedPicture(relId: string, picId: number, cx: number, cy: number, anchorId: string, editId: string): string {
  return (
    '<w:r><w:rPr><w:noProof/></w:rPr><w:drawing>' +
    `<wp:inline distT="0" distB="0" distL="0" distR="0" wp14:anchorId="${anchorId}" wp14:editId="${editId}">` +
    `<wp:extent cx="${cx}" cy="${cy}"/>` +
    '<wp:effectExtent l="0" t="0" r="0" b="0"/>' +
    `<wp:docPr id="${picId}" name="Picture ${picId}"/>` +
    `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="${NS_A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic xmlns:a="${NS_A}"><a:graphicData uri="${NS_PIC}">` +
    `<pic:pic xmlns:pic="${NS_PIC}">` +
    `<pic:nvPicPr><pic:cNvPr id="${picId}" name="Picture ${picId}"/><pic:cNvPicPr/></pic:nvPicPr>` +
    `<pic:blipFill><a:blip r:link="${relId}"><a:extLst><a:ext uri="{28A0092B-C50C-407E-A947-70E740481C1C}"><a14:useLocalDpi xmlns:a14="${NS_A14}" val="0"/></a:ext></a:extLst></a:blip>` +
    '<a:stretch><a:fillRect/></a:stretch></pic:blipFill>' +
    `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
  );
}

/** Word's paragraph and drawing ids: 8 hex digits below 0x80000000. */
function wordId(rng: Rng): string {
  return `${token(rng, 1, '01234567')}${token(rng, 7, '0123456789ABCDEF')}`;
}

function table(doc: DocModel, font: string, color: string): string {
  const cols = doc.table.headers.length;
  const width = Math.floor(9360 / cols);
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>`;
  const cell = (text: string, header: boolean) =>
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${header ? `<w:shd w:val="clear" w:color="auto" w:fill="${color}"/>` : ''}</w:tcPr>` +
    `<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>${run(text, { bold: header, size: 18, color: header ? 'FFFFFF' : undefined, font })}</w:p></w:tc>`;
  const rows = [
    `<w:tr><w:trPr><w:tblHeader/></w:trPr>${doc.table.headers.map((h) => cell(h, true)).join('')}</w:tr>`,
    ...doc.table.rows.map((r) => `<w:tr>${r.map((c) => cell(c, false)).join('')}</w:tr>`),
  ];
  return (
    `<w:tbl><w:tblPr><w:tblStyle w:val="${STYLE.table}"/><w:tblW w:w="9360" w:type="dxa"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>' +
    `<w:tblGrid>${doc.table.headers.map(() => `<w:gridCol w:w="${width}"/>`).join('')}</w:tblGrid>` +
    rows.join('') +
    '</w:tbl>'
  );
}

function countWords(doc: DocModel): number {
  const all = [doc.title, doc.subtitle, ...doc.intro, doc.tableHeading, ...doc.table.headers, ...doc.table.rows.flat(), doc.closingHeading, ...doc.closing];
  return all.join(' ').split(/\s+/).filter(Boolean).length;
}

export function generateHoneydocDocx(ctx: CanaryContext): Uint8Array {
  const rng = ctx.rng;
  const author = ownerName(ctx);
  const doc = buildDocument(ctx, author, mailDomain(ctx, rng));
  const font = pick(rng, FONTS);
  const color = pick(rng, COLORS);
  const ref = docRef(rng);
  const relId = `rId${between(rng, FIRST_FREE_REL, FIRST_FREE_REL + 3)}`;
  const picId = between(rng, 1, 4);
  const revision = between(rng, 2, 14);
  const editMinutes = between(rng, 12, 240);
  const createdMs = ctx.mtimeMs - between(rng, 1, 20) * 86_400_000 - between(rng, 0, 36_000) * 1000;
  const appVersion = pick(rng, ['16.0000', '16.0000', '15.0000']);
  const words = countWords(doc);
  const chars = [doc.title, ...doc.intro, ...doc.closing, ...doc.table.rows.flat()].join('').replace(/\s/g, '').length;

  // An empty callback: an ordinary document (the pre-history's), with no header picture.
  const beacon = ctx.callback !== '';
  // The letterhead logo, linked from the callback, in the page header (where Word loads remote
  // pictures from as it opens the file) at the size a logo has: 110 to 220 px wide.
  const logoW = between(rng, 110, 220);
  const logoH = Math.round(logoW * between(rng, 22, 45) / 100);
  const headerXml = beacon
    ? DECL + storyRoot('hdr') +
      `<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr>${linkedPicture('rId1', picId, logoW * EMU_PER_PX, logoH * EMU_PER_PX, wordId(rng), wordId(rng))}</w:p></w:hdr>`
    : '';
  const body: string[] = [];
  body.push(para(run(doc.title, { bold: true, size: 36, color, font }), 80, undefined, STYLE.title));
  body.push(para(run(`${doc.subtitle} | ${doc.dateText}`, { size: 20, color: '666666', font }), 240));
  for (const p of doc.intro) body.push(para(run(p, { size: 22, font })));
  body.push(para(run(doc.tableHeading, { bold: true, size: 26, color, font }), 120, undefined, STYLE.heading));
  body.push(table(doc, font, color));
  body.push(para(run(doc.closingHeading, { bold: true, size: 26, color, font }), 120, undefined, STYLE.heading));
  for (const p of doc.closing) body.push(para(run(p, { size: 22, font })));
  body.push(para(run(`${doc.classification} | ${ref} | ${author}`, { size: 16, color: '888888', font }), 0));
  const sect =
    `<w:sectPr>${beacon ? `<w:headerReference w:type="default" r:id="${relId}"/>` : ''}<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>` +
    '<w:cols w:space="720"/></w:sectPr>';

  const documentXml =
    DECL +
    storyRoot('document') +
    `<w:body>${body.join('')}${sect}</w:body></w:document>`;

  const contentTypes =
    DECL +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
    PART_OVERRIDES +
    (beacon ? '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' : '') +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    '</Types>';

  const rootRels =
    DECL +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId3" Type="${REL_BASE}/extended-properties" Target="docProps/app.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId1" Type="${REL_BASE}/officeDocument" Target="word/document.xml"/>` +
    '</Relationships>';

  const docRels =
    DECL +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    PART_RELATIONSHIPS +
    (beacon ? `<Relationship Id="${relId}" Type="${REL_BASE}/header" Target="header1.xml"/>` : '') +
    '</Relationships>';
  const headerRels =
    DECL +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${REL_BASE}/image" Target="${xmlEscape(ctx.callback)}" TargetMode="External"/>` +
    '</Relationships>';

  const coreXml =
    DECL +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlEscape(doc.title)}</dc:title><dc:subject></dc:subject><dc:creator>${xmlEscape(author)}</dc:creator>` +
    `<cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy>${xmlEscape(author)}</cp:lastModifiedBy>` +
    `<cp:revision>${revision}</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${isoSecondsUtc(createdMs)}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${isoSecondsUtc(ctx.mtimeMs)}</dcterms:modified>` +
    '</cp:coreProperties>';

  const appXml =
    DECL +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    `<Template>Normal.dotm</Template><TotalTime>${editMinutes}</TotalTime><Pages>${doc.table.rows.length > 12 ? 2 : 1}</Pages>` +
    `<Words>${words}</Words><Characters>${chars}</Characters><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity>` +
    `<Lines>${Math.ceil(chars / 70)}</Lines><Paragraphs>${doc.intro.length + doc.closing.length + 4}</Paragraphs><ScaleCrop>false</ScaleCrop>` +
    `<Company>${xmlEscape(doc.company)}</Company><LinksUpToDate>false</LinksUpToDate><CharactersWithSpaces>${chars + words}</CharactersWithSpaces>` +
    `<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>${appVersion}</AppVersion>` +
    '</Properties>';

  // In the order Word writes them; parts that are the same in many documents keep their
  // compressed form (src/util/zip.ts).
  return zipArchive([
    { name: '[Content_Types].xml', data: contentTypes, recurs: true },
    { name: '_rels/.rels', data: rootRels, recurs: true },
    { name: 'word/document.xml', data: documentXml },
    { name: 'word/_rels/document.xml.rels', data: docRels, recurs: true },
    ...(beacon ? [{ name: 'word/header1.xml', data: headerXml }, { name: 'word/_rels/header1.xml.rels', data: headerRels }] : []),
    { name: 'word/theme/theme1.xml', data: THEME_XML, recurs: true },
    { name: 'word/settings.xml', data: settingsXml(rng, revision) },
    { name: 'word/styles.xml', data: stylesXml(font, color, beacon), recurs: true },
    { name: 'word/webSettings.xml', data: WEB_SETTINGS_XML, recurs: true },
    { name: 'word/fontTable.xml', data: fontTableXml(font), recurs: true },
    { name: 'docProps/core.xml', data: coreXml },
    { name: 'docProps/app.xml', data: appXml },
  ]);
}

function titleStem(stem: string): string {
  return stem.split('-').map((w) => (w === 'it' || w === 'dr' ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1))).join('-');
}

export const honeydocDocxSpec: CanarySpec = {
  cls: 'canary_honeydoc_docx',
  generator: 'honeydoc_docx',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng, date) => docCandidates(rng, `${home}/Documents`, DOC_STEMS.map(titleStem), 'docx', date),
  ageSeconds: spreadAgeSeconds,
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'image', style, r),
  generate: generateHoneydocDocx,
};
