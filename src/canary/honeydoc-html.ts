// ~/Documents/*.html: a report exported as a standalone page. Its letterhead carries a 1x1
// remote image (the callback), fetched by any browser or mail client that renders the page.
import { pick } from '../rng/stream.js';
import { httpCallback } from './callback.js';
import { spreadAgeSeconds, docCandidates, htmlEscape, mailDomain, ownerName } from './common.js';
import { buildDocument, docRef, DOC_STEMS } from './doc-content.js';
import type { CanaryContext, CanarySpec } from './types.js';

const FONTS = ['Arial, Helvetica, sans-serif', 'Calibri, Arial, sans-serif', '"Segoe UI", Roboto, sans-serif', 'Georgia, "Times New Roman", serif', 'Verdana, Geneva, sans-serif'] as const;
const ACCENTS = ['#1f4e79', '#2e5e4e', '#5b2c6f', '#7b3f00', '#264653', '#3a3a3a', '#0b5394'] as const;

export function generateHoneydocHtml(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const author = ownerName(ctx);
  const doc = buildDocument(ctx, author, mailDomain(ctx, rng));
  const font = pick(rng, FONTS);
  const accent = pick(rng, ACCENTS);
  const ref = docRef(rng);
  const e = htmlEscape;
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en">');
  out.push('<head>');
  out.push('<meta charset="utf-8">');
  out.push(`<title>${e(doc.title)}</title>`);
  out.push(`<meta name="author" content="${e(author)}">`);
  out.push('<style>');
  out.push(`  body { font-family: ${font}; margin: 40px auto; max-width: 960px; color: #222; }`);
  out.push(`  header { border-bottom: 3px solid ${accent}; padding-bottom: 8px; margin-bottom: 24px; }`);
  out.push(`  h1 { color: ${accent}; margin: 0 0 4px 0; font-size: 26px; }`);
  out.push(`  h2 { color: ${accent}; font-size: 18px; margin-top: 28px; }`);
  out.push('  .meta { color: #666; font-size: 13px; }');
  out.push('  table { border-collapse: collapse; width: 100%; font-size: 13px; }');
  out.push(`  th { background: ${accent}; color: #fff; text-align: left; padding: 6px 8px; }`);
  out.push('  td { border-bottom: 1px solid #ddd; padding: 5px 8px; }');
  out.push('  tr:nth-child(even) td { background: #f6f6f6; }');
  out.push('  footer { margin-top: 32px; font-size: 11px; color: #888; }');
  out.push('</style>');
  out.push('</head>');
  out.push('<body>');
  out.push('<header>');
  // An empty callback: an ordinary exported report (the pre-history's), no remote image.
  if (ctx.callback !== '') out.push(`<img src="${e(ctx.callback)}" width="1" height="1" alt="" style="border:0">`);
  out.push(`<h1>${e(doc.title)}</h1>`);
  out.push(`<div class="meta">${e(doc.subtitle)} | ${e(doc.dateText)} | ${e(author)}</div>`);
  out.push('</header>');
  for (const p of doc.intro) out.push(`<p>${e(p)}</p>`);
  out.push(`<h2>${e(doc.tableHeading)}</h2>`);
  out.push('<table>');
  out.push(`<thead><tr>${doc.table.headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>`);
  out.push('<tbody>');
  for (const row of doc.table.rows) out.push(`<tr>${row.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
  out.push('</tbody>');
  out.push('</table>');
  out.push(`<h2>${e(doc.closingHeading)}</h2>`);
  for (const p of doc.closing) out.push(`<p>${e(p)}</p>`);
  out.push(`<footer>${e(doc.classification)} | ${e(ref)} | ${e(doc.company)}</footer>`);
  out.push('</body>');
  out.push('</html>');
  return out.join('\n') + '\n';
}

export const honeydocHtmlSpec: CanarySpec = {
  cls: 'canary_honeydoc',
  generator: 'honeydoc',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng, date) => docCandidates(rng, `${home}/Documents`, DOC_STEMS, 'html', date),
  ageSeconds: spreadAgeSeconds,
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'image', style, r),
  generate: generateHoneydocHtml,
};
