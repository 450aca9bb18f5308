// `stats`: counts that agree with the timeline's own summary, hours in the persona's time zone,
// the text bar chart, --json, and an HTML report that renders offline in headless Chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { execa } from 'execa';
import { DateTime } from 'luxon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markSkipped } from './helpers/skip.js';
import { sourceFromFile, sourceFromPlan } from '../src/check/source.js';
import { HEATMAP_MAX_ROWS, heatmapRows, renderStatsHtml } from '../src/stats/html.js';
import { computeStats, renderStats } from '../src/stats/index.js';
import { inputs, parse, planText, writeTemp } from './check-helpers.js';
import { cli } from './helpers/cli.js';

const TEXT = planText('stats', inputs({ days: 7 }));
const FILE = writeTemp(TEXT);
const CHROMIUM = process.env.DECNET_SIM_CHROMIUM ?? '/usr/bin/chromium';

test('counts agree with the timeline summary; hours use the persona time zone', async () => {
  const t = parse(TEXT);
  const r = await computeStats(await sourceFromFile(FILE));
  assert.is(r.events, t.summary.events);
  for (const [k, v] of Object.entries(t.summary.byKind)) assert.is(r.byKind[k], v, k);
  for (const [k, v] of Object.entries(t.summary.byAction)) assert.is(r.byAction[k], v, k);
  for (const [k, v] of Object.entries(t.summary.byClass)) assert.is(r.byClass[k], v, k);
  for (const [k, v] of Object.entries(t.summary.byDecky)) assert.is(r.byDecky[k], v, k);
  assert.is(r.canaries.length, t.summary.canaryTokens.length);
  const active = t.events.filter((e) => e.kind !== 'quiet');
  assert.is(r.byHour.reduce((a, b) => a + b, 0), active.length);
  assert.is(r.heatmap.hours.flat().reduce((a, b) => a + b, 0), active.length);
  // Recompute the local-hour histogram independently.
  const zones = new Map(t.header.inputs.personas.map((p) => [p.name, p.timezone]));
  const hours = new Array<number>(24).fill(0);
  for (const e of active) {
    const ms = Date.parse(e.at);
    hours[e.persona ? DateTime.fromMillis(ms, { zone: zones.get(e.persona)! }).hour : new Date(ms).getUTCHours()]!++;
  }
  assert.equal(r.byHour, hours);
  const personaEvents = t.events.filter((e) => e.persona !== undefined).length;
  assert.is(Object.values(r.byPersona).reduce((a, b) => a + b, 0), personaEvents);
});

test('text report: tables, a 24-row bar chart and the canary list', async () => {
  const r = await computeStats(sourceFromPlan('stats', inputs({ days: 7 })));
  const text = renderStats(r);
  for (const h of ['00', '09', '23']) assert.match(text, new RegExp(`^  ${h}  \u2588*`, 'm'));
  assert.match(text, /per class:/);
  assert.match(text, /per persona:/);
  assert.match(text, new RegExp(`canaries \\(${r.canaries.length}\\):`));
  const c = await cli(['stats', FILE]);
  assert.is(c.exitCode, 0, c.stderr);
  assert.match(c.stdout, /\u2588{10,}/);
});

test('--json and plan flags', async () => {
  const c = await cli(['stats', '--seed', 'stats', '--days', '7', '--json']);
  assert.is(c.exitCode, 0, c.stderr);
  const j = JSON.parse(c.stdout);
  const direct = await computeStats(await sourceFromFile(FILE));
  assert.equal(j.byClass, direct.byClass);
  assert.is(j.byHour.length, 24);
  assert.ok(Array.isArray(j.canaries));
});

test('bad input exits 2', async () => {
  const trunc = writeTemp(TEXT.slice(0, 5000));
  for (const args of [['stats', trunc], ['stats', FILE, '--days', '3'], ['stats', '/nonexistent.json']]) {
    const r = await cli(args);
    assert.is(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1);
  }
});

test('the HTML report is self-contained', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'decnet-sim-html-'));
  const out = join(dir, 'report.html');
  const c = await cli(['stats', FILE, '--html', out]);
  assert.is(c.exitCode, 0, c.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<svg[^>]+aria-label="activity heatmap/);
  assert.not.match(html, /<script|<link|@import|url\(|src=|href=/i);
  const r = await computeStats(await sourceFromFile(FILE));
  assert.is((html.match(/:59 UTC: [\d,]+ events<\/title><\/rect>/g) ?? []).length, r.heatmap.deckies.length * 24);
  assert.match(html, /in that hour of day \(UTC\), summed over the whole horizon/);
  assert.match(html, /hour of day: persona events in the persona's own time zone/);
  // Text from the timeline is escaped.
  const escaped = renderStatsHtml({ ...r, source: '<b>&"x"</b>' });
  assert.ok(escaped.includes('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;'));
  rmSync(dir, { recursive: true, force: true });
});

test('--html scales: beyond 50 deckies the heatmap shows groups (mean per decky, totals kept), numbers get separators', async () => {
  const r = await computeStats(await sourceFromFile(FILE));
  for (const n of [1, 49, 50, 51, 120, 1000, 1234]) {
    const deckies = Array.from({ length: n }, (_, i) => `node-${String(i).padStart(4, '0')}`);
    const hours = deckies.map((_, i) => Array.from({ length: 24 }, (_, h) => ((i * 7 + h * 13) % 17) * 300));
    const big = { ...r, events: 1_234_567, heatmap: { deckies, hours } };
    const rows = heatmapRows(big);
    assert.ok(rows.length <= HEATMAP_MAX_ROWS, `${n}: ${rows.length} rows`);
    assert.is(rows.reduce((a, x) => a + x.deckies, 0), n, 'every decky in one row');
    for (let h = 0; h < 24; h++) {
      const total = hours.reduce((a, x) => a + x[h]!, 0);
      const shown = rows.reduce((a, x) => a + x.hours[h]! * x.deckies, 0);
      assert.ok(Math.abs(total - shown) < 1e-6 * Math.max(1, total), `${n}: hour ${h} totals kept`);
    }
    if (n <= HEATMAP_MAX_ROWS) assert.equal(rows.map((x) => x.label), deckies);
    const html = renderStatsHtml(big);
    assert.ok(html.length < 400_000, `${n} deckies: ${html.length} bytes`);
    assert.ok(html.includes('<b>1,234,567</b>'), 'thousands separators');
    assert.ok(n <= HEATMAP_MAX_ROWS ? !html.includes('mean per decky') : html.includes('events per decky in that hour of day (UTC)'), `${n}: legend says what a cell is`);
  }
});

interface Png {
  width: number;
  height: number;
  pixels: Buffer;
  channels: number;
}

/** A minimal PNG decoder (8-bit RGB or RGBA, not interlaced): enough to look at a screenshot. */
function decodePng(buf: Buffer): Png {
  assert.ok(buf.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])), 'PNG signature');
  let off = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  let interlace = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8]!;
      colour = data[9]!;
      interlace = data[12]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  assert.is(depth, 8, 'bit depth');
  assert.is(interlace, 0, 'interlace');
  const channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
  assert.ok(channels > 0, `colour type ${colour}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, pixels, channels };
}

test('the HTML report renders in headless Chromium: a screenshot that is not blank', async () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') assert.unreachable(`${CHROMIUM} is missing and CI=true: the HTML rendering test cannot be skipped`);
    markSkipped('stats', 'the HTML report renders in headless Chromium', `${CHROMIUM} not found (set up Chromium, or CI=true to make this a failure)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'decnet-sim-chromium-'));
  const html = join(dir, 'report.html');
  const png = join(dir, 'shot.png');
  try {
    const c = await cli(['stats', FILE, '--html', html]);
    assert.is(c.exitCode, 0, c.stderr);
    const r = await execa(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, `--screenshot=${png}`, '--window-size=1200,900', `file://${html}`,
    ], { reject: false, timeout: 90_000 });
    assert.ok(existsSync(png), `no screenshot (exit ${r.exitCode}): ${String(r.stderr).slice(-500)}`);
    const img = decodePng(readFileSync(png));
    assert.is(img.width, 1200);
    assert.is(img.height, 900);
    const colours = new Map<number, number>();
    for (let i = 0; i < img.pixels.length; i += img.channels) {
      const key = (img.pixels[i]! << 16) | (img.pixels[i + 1]! << 8) | img.pixels[i + 2]!;
      colours.set(key, (colours.get(key) ?? 0) + 1);
    }
    assert.ok(colours.size > 50, `only ${colours.size} distinct colours: blank page?`);
    const total = img.width * img.height;
    const dominant = Math.max(...colours.values());
    assert.ok(dominant < total * 0.95, 'one colour covers nearly the whole page');
    // The heatmap's blues and the bar chart's orange are on screen.
    const blue = [...colours.keys()].filter((k) => (k & 0xff) > ((k >> 16) & 0xff) + 60).length;
    const orange = [...colours.keys()].filter((k) => ((k >> 16) & 0xff) > 200 && ((k >> 8) & 0xff) > 100 && ((k >> 8) & 0xff) < 160 && (k & 0xff) < 80).length;
    assert.ok(blue > 3, `heatmap colours missing (${blue})`);
    assert.ok(orange > 0, 'bar chart colour missing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
