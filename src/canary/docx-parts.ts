// The parts Word writes next to word/document.xml in every package it saves: styles, settings,
// web settings, font table and theme. A .docx without them opens fine but lists half the
// members a saved document has, which anyone who unzips it would notice. Our own minimal
// content, in the element order of the WordprocessingML and DrawingML schemas.
import { token, type Rng } from '../rng/stream.js';

export const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
export const NS_W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
export const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
export const REL_BASE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DOC_TYPE = 'application/vnd.openxmlformats-officedocument';

const NS_MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const NS_W14 = 'http://schemas.microsoft.com/office/word/2010/wordml';
const NS_W15 = 'http://schemas.microsoft.com/office/word/2012/wordml';

/** The declaration and root element of a settings, styles, fonts or web settings part, with the
 * namespaces Word 2013 and later declare on them. */
const wordRoot = (tag: string) =>
  `${DECL}<w:${tag} xmlns:mc="${NS_MC}" xmlns:r="${NS_R}" xmlns:w="${NS_W}" xmlns:w14="${NS_W14}" xmlns:w15="${NS_W15}" mc:Ignorable="w14 w15">`;

/** The namespaces Word 2013 and later declare on the root of a story part (document, header,
 * footer), in its order, whether the part uses them or not; DrawingML's own (a, pic) are
 * declared where a picture uses them. */
export const STORY_NAMESPACES = [
  ['wpc', 'http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas'],
  ['mc', NS_MC],
  ['o', 'urn:schemas-microsoft-com:office:office'],
  ['r', NS_R],
  ['m', 'http://schemas.openxmlformats.org/officeDocument/2006/math'],
  ['v', 'urn:schemas-microsoft-com:vml'],
  ['wp14', 'http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing'],
  ['wp', 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'],
  ['w10', 'urn:schemas-microsoft-com:office:word'],
  ['w', NS_W],
  ['w14', NS_W14],
  ['w15', NS_W15],
  ['wpg', 'http://schemas.microsoft.com/office/word/2010/wordprocessingGroup'],
  ['wpi', 'http://schemas.microsoft.com/office/word/2010/wordprocessingInk'],
  ['wne', 'http://schemas.microsoft.com/office/word/2006/wordml'],
  ['wps', 'http://schemas.microsoft.com/office/word/2010/wordprocessingShape'],
] as const;

/** The root element of a story part (`document`, `hdr`, `ftr`) as Word writes it. */
export const storyRoot = (tag: string) => `<w:${tag} ${STORY_NAMESPACES.map(([p, u]) => `xmlns:${p}="${u}"`).join(' ')} mc:Ignorable="w14 w15 wp14">`;

/** [Content_Types].xml overrides and document relationships for the parts (rId1 to rId5). */
export const PART_OVERRIDES =
  `<Override PartName="/word/styles.xml" ContentType="${DOC_TYPE}.wordprocessingml.styles+xml"/>` +
  `<Override PartName="/word/settings.xml" ContentType="${DOC_TYPE}.wordprocessingml.settings+xml"/>` +
  `<Override PartName="/word/webSettings.xml" ContentType="${DOC_TYPE}.wordprocessingml.webSettings+xml"/>` +
  `<Override PartName="/word/fontTable.xml" ContentType="${DOC_TYPE}.wordprocessingml.fontTable+xml"/>` +
  `<Override PartName="/word/theme/theme1.xml" ContentType="${DOC_TYPE}.theme+xml"/>`;

export const PART_RELATIONSHIPS =
  `<Relationship Id="rId3" Type="${REL_BASE}/webSettings" Target="webSettings.xml"/>` +
  `<Relationship Id="rId2" Type="${REL_BASE}/settings" Target="settings.xml"/>` +
  `<Relationship Id="rId1" Type="${REL_BASE}/styles" Target="styles.xml"/>` +
  `<Relationship Id="rId5" Type="${REL_BASE}/theme" Target="theme/theme1.xml"/>` +
  `<Relationship Id="rId4" Type="${REL_BASE}/fontTable" Target="fontTable.xml"/>`;

/** First relationship id free for the document's own relationships. */
export const FIRST_FREE_REL = 6;

// PANOSE numbers and families of the fonts a document may use (published font metadata; all of
// them are proportional, pitch "variable").
const FONT_FACTS: Record<string, { panose: string; family: string }> = {
  Calibri: { panose: '020F0502020204030204', family: 'swiss' },
  'Calibri Light': { panose: '020F0302020204030204', family: 'swiss' },
  Arial: { panose: '020B0604020202020204', family: 'swiss' },
  Cambria: { panose: '02040503050406030204', family: 'roman' },
  'Segoe UI': { panose: '020B0502040204020203', family: 'swiss' },
  Aptos: { panose: '020B0004020202020204', family: 'swiss' },
  'Times New Roman': { panose: '02020603050405020304', family: 'roman' },
};

export function fontTableXml(font: string): string {
  const names = ['Calibri', 'Times New Roman', 'Calibri Light'];
  if (!names.includes(font)) names.splice(1, 0, font);
  const fonts = names.map((n) => {
    const f = FONT_FACTS[n]!;
    return `<w:font w:name="${n}"><w:panose1 w:val="${f.panose}"/><w:charset w:val="00"/><w:family w:val="${f.family}"/><w:pitch w:val="variable"/></w:font>`;
  });
  return `${wordRoot('fonts')}${fonts.join('')}</w:fonts>`;
}

export const WEB_SETTINGS_XML = `${wordRoot('webSettings')}<w:optimizeForBrowser/><w:allowPNG/></w:webSettings>`;

/** Revision save ids: one per editing session, as Word records them (the first is the root). */
function rsids(rng: Rng, sessions: number): string[] {
  const out: string[] = [];
  while (out.length < sessions) {
    const id = `00${token(rng, 6, '0123456789ABCDEF')}`;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

export function settingsXml(rng: Rng, revision: number): string {
  const ids = rsids(rng, Math.min(revision, 9));
  const sorted = [...ids].sort();
  return (
    wordRoot('settings') +
    '<w:zoom w:percent="100"/><w:proofState w:spelling="clean" w:grammar="clean"/><w:defaultTabStop w:val="720"/>' +
    '<w:characterSpacingControl w:val="doNotCompress"/>' +
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>' +
    '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>' +
    '<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>' +
    '<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/></w:compat>' +
    `<w:rsids><w:rsidRoot w:val="${ids[0]}"/>${sorted.map((id) => `<w:rsid w:val="${id}"/>`).join('')}</w:rsids>` +
    '<w:themeFontLang w:val="en-US"/>' +
    '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" ' +
    'w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>' +
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
  );
}

/** Paragraph styles the document body refers to (w:pStyle / w:tblStyle). */
export const STYLE = { title: 'Title', heading: 'Heading1', table: 'TableGrid' } as const;

/** Word's built-in header style and its linked character style, added when a document has a header. */
const HEADER_STYLES =
  '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:link w:val="HeaderChar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>' +
  '<w:pPr><w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>' +
  '<w:style w:type="character" w:customStyle="1" w:styleId="HeaderChar"><w:name w:val="Header Char"/><w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="Header"/><w:uiPriority w:val="99"/></w:style>';

export function stylesXml(font: string, color: string, header = false): string {
  const fonts = `<w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:cs="${font}"/>`;
  const heading = (id: string, name: string, level: number, size: number, before: number) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>` +
    `<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="${before}" w:after="80"/><w:outlineLvl w:val="${level}"/></w:pPr>` +
    `<w:rPr>${fonts}<w:color w:val="${color}"/><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr></w:style>`;
  return (
    wordRoot('styles') +
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/>' +
    '<w:kern w:val="2"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>' +
    '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>' +
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>' +
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>' +
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>' +
    heading(STYLE.heading, 'heading 1', 0, 26, 240) +
    `<w:style w:type="paragraph" w:styleId="${STYLE.title}"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/>` +
    `<w:pPr><w:spacing w:after="80" w:line="240" w:lineRule="auto"/><w:contextualSpacing/></w:pPr><w:rPr>${fonts}<w:b/><w:color w:val="${color}"/><w:kern w:val="28"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>` +
    `<w:style w:type="table" w:styleId="${STYLE.table}"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
    '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>' +
    '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>' +
    '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>' +
    (header ? HEADER_STYLES : '') +
    '</w:styles>'
  );
}

// The colours and fonts of the default Office theme (published values); the format scheme is a
// plain one of our own: solid fills, single lines, no effects.
const SCHEME_COLORS: Array<[string, string]> = [
  ['dk2', '44546A'], ['lt2', 'E7E6E6'], ['accent1', '4472C4'], ['accent2', 'ED7D31'], ['accent3', 'A5A5A5'],
  ['accent4', 'FFC000'], ['accent5', '5B9BD5'], ['accent6', '70AD47'], ['hlink', '0563C1'], ['folHlink', '954F72'],
];

function themeFont(latin: string): string {
  return `<a:latin typeface="${latin}" panose="${FONT_FACTS[latin]!.panose}"/><a:ea typeface=""/><a:cs typeface=""/>`;
}

const solid = (mods: string) => `<a:solidFill><a:schemeClr val="phClr">${mods}</a:schemeClr></a:solidFill>`;
const line = (w: number) => `<a:ln w="${w}" cap="flat" cmpd="sng" algn="ctr">${solid('')}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>`;

export const THEME_XML =
  `${DECL}<a:theme xmlns:a="${NS_A}" name="Office Theme"><a:themeElements>` +
  '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>' +
  SCHEME_COLORS.map(([n, v]) => `<a:${n}><a:srgbClr val="${v}"/></a:${n}>`).join('') +
  '</a:clrScheme>' +
  `<a:fontScheme name="Office"><a:majorFont>${themeFont('Calibri Light')}</a:majorFont><a:minorFont>${themeFont('Calibri')}</a:minorFont></a:fontScheme>` +
  '<a:fmtScheme name="Office">' +
  `<a:fillStyleLst>${solid('')}${solid('<a:tint val="60000"/>')}${solid('<a:shade val="80000"/>')}</a:fillStyleLst>` +
  `<a:lnStyleLst>${line(6350)}${line(12700)}${line(19050)}</a:lnStyleLst>` +
  '<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>' +
  `<a:bgFillStyleLst>${solid('')}${solid('<a:tint val="95000"/>')}${solid('<a:shade val="90000"/>')}</a:bgFillStyleLst>` +
  '</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>';
