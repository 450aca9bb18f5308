// A self-contained HTML report of a timeline's statistics: inline CSS and inline SVG only (no
// scripts, fonts, images or links to fetch), so it opens offline and renders the same anywhere.
import { thousands } from '../util/format.js';
import type { StatsReport } from './index.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Pale to deep blue, linear in the share of the maximum. */
function colour(v: number, max: number): string {
  if (v === 0) return '#f4f6f8';
  const x = v / Math.max(1, max);
  const from = [222, 235, 247];
  const to = [8, 48, 107];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * x));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Rows the heatmap draws at most; larger fleets are shown as groups of deckies. */
export const HEATMAP_MAX_ROWS = 50;

export interface HeatmapRow {
  label: string;
  /** Deckies in the row (1, or the size of the group). */
  deckies: number;
  /** Events per UTC hour of day, summed over the horizon; for a group, the mean per decky. */
  hours: number[];
}

/**
 * The heatmap's rows: one per decky up to HEATMAP_MAX_ROWS deckies, else consecutive groups of
 * deckies (in the report's decky order) averaged per decky, so the page stays small for any fleet.
 */
export function heatmapRows(r: StatsReport, maxRows = HEATMAP_MAX_ROWS): HeatmapRow[] {
  const { deckies, hours } = r.heatmap;
  if (deckies.length <= maxRows) return deckies.map((d, i) => ({ label: d, deckies: 1, hours: hours[i]! }));
  const size = Math.ceil(deckies.length / maxRows);
  const rows: HeatmapRow[] = [];
  for (let from = 0; from < deckies.length; from += size) {
    const to = Math.min(deckies.length, from + size);
    const sum = new Array<number>(24).fill(0);
    for (let i = from; i < to; i++) hours[i]!.forEach((v, h) => (sum[h]! += v));
    const n = to - from;
    rows.push({ label: n === 1 ? deckies[from]! : `${deckies[from]} .. ${deckies[to - 1]} (${n})`, deckies: n, hours: sum.map((v) => v / n) });
  }
  return rows;
}

/** A cell's number: whole below 10,000 with separators; a mean keeps one decimal below 10. */
function cellText(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(0)}k`;
  if (!Number.isInteger(v) && v < 10) return v.toFixed(1);
  return thousands(v);
}

function heatmap(r: StatsReport): string {
  const rowsData = heatmapRows(r);
  const grouped = rowsData.some((x) => x.deckies > 1);
  const cell = 28;
  const left = Math.min(300, 16 + 7 * Math.max(4, ...rowsData.map((d) => d.label.length)));
  const top = 28;
  const rows = rowsData.length;
  const w = Math.max(left + 24 * cell + 12, left + 11 * 22 + 420);
  const h = top + rows * cell + 44;
  const max = Math.max(1, ...rowsData.map((x) => x.hours).flat());
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="activity heatmap, decky by UTC hour of day">`);
  for (let hour = 0; hour < 24; hour++) {
    parts.push(`<text x="${left + hour * cell + cell / 2}" y="${top - 10}" class="ax" text-anchor="middle">${String(hour).padStart(2, '0')}</text>`);
  }
  rowsData.forEach((d, i) => {
    const y = top + i * cell;
    parts.push(`<text x="${left - 8}" y="${y + cell / 2 + 4}" class="ax" text-anchor="end">${esc(d.label)}</text>`);
    d.hours.forEach((v, hour) => {
      const x = left + hour * cell;
      const what = d.deckies > 1 ? `${cellText(v)} events per decky (mean of ${d.deckies})` : `${thousands(v)} events`;
      parts.push(`<rect x="${x + 1}" y="${y + 1}" width="${cell - 2}" height="${cell - 2}" rx="3" fill="${colour(v, max)}"><title>${esc(d.label)} ${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:59 UTC: ${what}</title></rect>`);
      if (v > 0) parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" class="n" text-anchor="middle" fill="${v / max > 0.55 ? '#ffffff' : '#1b2733'}">${cellText(v)}</text>`);
    });
  });
  // Legend: what a cell counts (totals over the horizon at that hour of day, not a rate).
  const ly = top + rows * cell + 16;
  for (let i = 0; i <= 10; i++) {
    parts.push(`<rect x="${left + i * 22}" y="${ly}" width="20" height="12" fill="${colour((i / 10) * max, max)}"/>`);
  }
  const unit = grouped ? 'events per decky' : 'events';
  parts.push(`<text x="${left + 11 * 22 + 6}" y="${ly + 10}" class="ax">0 to ${cellText(max)} ${unit} in that hour of day (UTC), summed over the whole horizon</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function hourBars(r: StatsReport): string {
  const bw = 26;
  const hgt = 160;
  const left = 40;
  const w = Math.max(left + 24 * bw + 10, 760);
  const h = hgt + 56;
  const max = Math.max(1, ...r.byHour);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="activity per hour of day">`];
  parts.push(`<line x1="${left}" y1="${hgt + 10}" x2="${w - 6}" y2="${hgt + 10}" stroke="#8895a3"/>`);
  parts.push(`<text x="${left - 6}" y="18" class="ax" text-anchor="end">${thousands(max)}</text>`);
  parts.push(`<text x="${left}" y="${hgt + 44}" class="ax">hour of day: persona events in the persona's own time zone, system and traffic events in UTC; events summed over the whole horizon</text>`);
  r.byHour.forEach((n, hour) => {
    const bh = Math.round((n / max) * hgt);
    const x = left + hour * bw;
    parts.push(`<rect x="${x + 3}" y="${hgt + 10 - bh}" width="${bw - 6}" height="${bh}" fill="#d9822b"><title>${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:59 local: ${thousands(n)} events</title></rect>`);
    parts.push(`<text x="${x + bw / 2}" y="${hgt + 28}" class="ax" text-anchor="middle">${String(hour).padStart(2, '0')}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The calendar's rows at most: beyond, the fleet row alone (as in the text report). */
const CALENDAR_MAX_ROWS = 50;
const MARK_TEXT: Record<string, string> = { H: 'a public holiday for every persona of the decky', h: 'a public holiday for some of its personas', v: 'a persona away (day off or vacation)' };

/**
 * The calendar: one row per decky (and the fleet), one cell per UTC day of the horizon, coloured
 * by persona file events against the row's busiest day; holidays and days away are marked under
 * the cell, weekends shaded in the day axis.
 */
function calendar(r: StatsReport): string {
  const c = r.calendar;
  const days = c.days.length;
  if (days === 0) return '<p>no days</p>';
  const rows: Array<{ label: string; counts: number[]; marks: string }> = [{ label: 'fleet', counts: c.fleet, marks: '' }];
  if (c.deckies.length <= CALENDAR_MAX_ROWS) c.deckies.forEach((d, i) => rows.push({ label: d, counts: c.counts[i]!, marks: c.marks[i]! }));
  const cell = Math.max(3, Math.min(22, Math.floor(1100 / days)));
  const rowH = 22;
  const left = Math.min(300, 16 + 7 * Math.max(5, ...rows.map((x) => x.label.length)));
  const top = 30;
  const w = Math.max(left + days * cell + 12, 760);
  const h = top + rows.length * (rowH + 10) + 30;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="activity calendar, decky by UTC day">`];
  const label = Math.max(1, Math.ceil(40 / cell));
  c.days.forEach((day, i) => {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) parts.push(`<rect x="${left + i * cell}" y="${top - 6}" width="${cell}" height="4" fill="#bcccdc"/>`);
    if (i % label === 0) parts.push(`<text x="${left + i * cell}" y="${top - 12}" class="ax">${day.slice(5)}</text>`);
  });
  rows.forEach((row, k) => {
    const y = top + k * (rowH + 10);
    const max = Math.max(1, ...row.counts);
    parts.push(`<text x="${left - 8}" y="${y + rowH / 2 + 4}" class="ax" text-anchor="end">${esc(row.label)}</text>`);
    row.counts.forEach((v, i) => {
      const x = left + i * cell;
      const m = row.marks[i] ?? '.';
      const why = MARK_TEXT[m] ? `; ${MARK_TEXT[m]}` : '';
      parts.push(`<rect x="${x}" y="${y}" width="${Math.max(1, cell - 1)}" height="${rowH}" fill="${colour(v, max)}"><title>${esc(row.label)} ${c.days[i]}: ${thousands(v)} persona file events${why}</title></rect>`);
      if (MARK_TEXT[m]) parts.push(`<rect x="${x}" y="${y + rowH + 2}" width="${Math.max(1, cell - 1)}" height="4" fill="${m === 'v' ? '#d9822b' : '#c23030'}" class="mark-${m === 'v' ? 'away' : 'holiday'}"/>`);
    });
  });
  const ly = top + rows.length * (rowH + 10) + 10;
  parts.push(`<rect x="${left}" y="${ly}" width="12" height="4" fill="#c23030"/><text x="${left + 16}" y="${ly + 6}" class="ax">public holiday</text>`);
  parts.push(`<rect x="${left + 120}" y="${ly}" width="12" height="4" fill="#d9822b"/><text x="${left + 136}" y="${ly + 6}" class="ax">a persona away</text>`);
  parts.push(`<rect x="${left + 250}" y="${ly}" width="12" height="4" fill="#bcccdc"/><text x="${left + 266}" y="${ly + 6}" class="ax">weekend (axis); colour against each row's busiest day</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Rows a count table lists; the rest are summed in a last row (the --json report has them all). */
const TABLE_MAX_ROWS = 50;

function countTable(title: string, m: Record<string, number>): string {
  const rows = Object.entries(m);
  if (rows.length === 0) return '';
  const total = rows.reduce((a, [, v]) => a + v, 0);
  const row = (k: string, v: number) => `<tr><th>${esc(k)}</th><td>${thousands(v)}</td><td>${((v / total) * 100).toFixed(1)}%</td></tr>`;
  const shown = rows.slice(0, TABLE_MAX_ROWS).map(([k, v]) => row(k, v));
  if (rows.length > TABLE_MAX_ROWS) shown.push(row(`${thousands(rows.length - TABLE_MAX_ROWS)} more`, rows.slice(TABLE_MAX_ROWS).reduce((a, [, v]) => a + v, 0)));
  return `<table><caption>${esc(title)}</caption><tbody>${shown.join('')}</tbody></table>`;
}

export function renderStatsHtml(r: StatsReport): string {
  const canaryRows = r.canaries
    .map((c) => `<tr><td>${esc(c.at)}</td><td>${esc(c.decky)}</td><td>${esc(c.generator)}</td><td>${esc(c.kind)}</td><td><code>${esc(c.path)}</code></td><td>${esc(c.mode)}</td><td><code>${esc(c.callback)}</code></td></tr>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Timeline statistics: seed ${esc(r.seed)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b2733; background: #ffffff; margin: 24px 32px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 28px 0 8px; color: #243b53; }
  .meta { color: #52606d; margin-bottom: 16px; }
  .cards { display: flex; flex-wrap: wrap; gap: 12px; }
  .card { background: #f0f4f8; border-radius: 8px; padding: 10px 16px; min-width: 110px; }
  .card b { display: block; font-size: 20px; color: #102a43; }
  .tables { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
  table { border-collapse: collapse; font-size: 13px; }
  caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
  th, td { padding: 3px 10px; border-bottom: 1px solid #e4e7eb; text-align: left; }
  td { text-align: right; font-variant-numeric: tabular-nums; }
  table.list td { text-align: left; }
  code { font-size: 12px; }
  svg .ax { font-size: 11px; fill: #52606d; }
  svg .n { font-size: 10px; }
</style>
</head>
<body>
<h1>Timeline statistics</h1>
<div class="meta">${esc(r.source)}: seed ${esc(r.seed)}, ${esc(r.start)} to ${esc(r.end)}</div>
<div class="cards">
  <div class="card"><b>${thousands(r.events)}</b>events</div>
  <div class="card"><b>${thousands(r.byKind.file ?? 0)}</b>file events</div>
  <div class="card"><b>${thousands(r.byKind.traffic ?? 0)}</b>traffic events</div>
  <div class="card"><b>${thousands(r.byKind.quiet ?? 0)}</b>quiet ticks</div>
  <div class="card"><b>${thousands(r.canaries.length)}</b>canaries</div>
</div>
<h2>Activity heatmap: decky by hour of day in UTC, file and traffic events${r.heatmap.deckies.length > HEATMAP_MAX_ROWS ? ` (${thousands(r.heatmap.deckies.length)} deckies in groups of up to ${Math.ceil(r.heatmap.deckies.length / HEATMAP_MAX_ROWS)}, mean per decky)` : ''}</h2>
${heatmap(r)}
<h2>Activity per hour of day in local time: persona events in the persona's time zone, the rest in UTC (so it differs from the heatmap for personas outside UTC)</h2>
${hourBars(r)}
<h2>Calendar: persona file events per UTC day${r.calendar.deckies.length > CALENDAR_MAX_ROWS ? ` (the fleet row only: ${thousands(r.calendar.deckies.length)} deckies)` : ''}</h2>
${calendar(r)}
<h2>Counts</h2>
<div class="tables">
${countTable('per kind', r.byKind)}
${countTable('per action', r.byAction)}
${countTable('per class', r.byClass)}
${countTable('per decky', r.byDecky)}
${countTable('per persona', r.byPersona)}
</div>
<h2>Canaries (${r.canaries.length})</h2>
${r.canaries.length > 0 ? `<table class="list"><thead><tr><th>planted</th><th>decky</th><th>generator</th><th>kind</th><th>path</th><th>mode</th><th>callback</th></tr></thead><tbody>${canaryRows}</tbody></table>` : '<p>none</p>'}
</body>
</html>
`;
}
