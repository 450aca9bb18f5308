// `stats` shows the calendar (issue 12, item 8): one character per day of the horizon, per decky
// and for the fleet, scaled to each row's busiest day, with public holidays and days away marked.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sourceFromPlan } from '../src/check/source.js';
import { PersonaCalendar } from '../src/sim/schedule.js';
import { computeStats, renderStats, strip } from '../src/stats/index.js';
import { renderStatsHtml } from '../src/stats/html.js';
import { ordOf } from '../src/world/calendar.js';
import { inputs } from './check-helpers.js';
import { ROOT } from './helpers/cli.js';

const USER = new Set(['note', 'todo', 'draft', 'script']);
const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };

test('strip: blank for none, a full block for the busiest day, levels in between', () => {
  assert.is(strip([0, 8, 4, 1, 0]), ' \u2588\u2584\u2581 ');
  assert.is(strip([0, 0]), '  ');
  assert.is(strip([]), '');
  assert.is([...strip([3, 2, 1])].length, 3);
});

test('the calendar counts persona file work per day, marks holidays and days away, and renders a strip per decky', async () => {
  const seed = 'strip';
  const inp = inputs({ fleet: multiTz, start: '2026-12-21T00:00:00Z', days: 14 });
  const src = sourceFromPlan(seed, inp);
  const r = await computeStats(src);
  const c = r.calendar;
  assert.is(c.days.length, 14);
  assert.is(c.days[4], '2026-12-25');
  assert.equal(c.deckies, inp.fleet.map((d) => d.name));
  // Independent count of the same thing.
  const expected = new Map(inp.fleet.map((d) => [d.name, new Array<number>(14).fill(0)]));
  for (const e of sourceFromPlan(seed, inp).events()) {
    if (e.persona === undefined || !USER.has(e.contentClass ?? '') || e.job !== undefined) continue;
    expected.get(e.decky.name)![Math.floor(Date.parse(e.at) / 86_400_000) - ordOf('2026-12-21')]!++;
  }
  c.deckies.forEach((d, i) => assert.equal(c.counts[i], expected.get(d), d));
  assert.equal(c.fleet, c.counts[0]!.map((_, k) => c.counts.reduce((s, row) => s + row[k]!, 0)));
  // lax-jump: Jordan Lee (US) and Weekend Warrior (DE) both have Christmas Day off.
  const lax = c.deckies.indexOf('lax-jump');
  assert.is(c.marks[lax]![4], 'H');
  // edge-akl: Aroha Ngata (NZ) and Liam O'Brien (IE): 26 December is a holiday in both.
  assert.is(c.marks[c.deckies.indexOf('edge-akl')]![5], 'H');
  // Marks agree with the personas' calendars (v: someone away, no holiday).
  inp.fleet.forEach((d, i) => {
    for (let k = 0; k < 14; k++) {
      const reasons = d.personas.map((n) => new PersonaCalendar(inp.personas.find((p) => p.name === n)!, { seed }).offReason(ordOf(c.days[k]!)));
      const m = c.marks[i]![k]!;
      if (m === 'v') assert.ok(reasons.includes('away') && !reasons.includes('holiday'));
      if (m === '.') assert.ok(reasons.every((x) => x === null), `${d.name} ${c.days[k]}`);
    }
  });
  const text = renderStats(r);
  assert.match(text, /^calendar \(persona file events per UTC day, 2026-12-21 to 2027-01-03/m);
  const row = new RegExp(`^  lax-jump\\s+\\|(.{14})\\|$`, 'm').exec(text);
  assert.ok(row, text);
  assert.is(row![1], strip(c.counts[lax]!));
  assert.ok(row![1]!.includes('\u2588'), 'the busiest day is a full block');
  // The marks line under the strip puts H under 25 December.
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.startsWith('calendar ('));
  const at = lines.findIndex((l, i) => i > from && l.startsWith('  lax-jump'));
  const marks = lines[at + 1]!;
  assert.is(marks[lines[at]!.indexOf('|') + 1 + 4], 'H', marks);

  // The HTML report draws the same calendar: a cell per row and day whose title gives the day's
  // count, and a holiday or away mark under each marked day.
  const html = renderStatsHtml(r);
  assert.match(html, /<svg[^>]+aria-label="activity calendar, decky by UTC day"/);
  const cells = [...html.matchAll(/<title>(\S+) (\d{4}-\d{2}-\d{2}): ([\d,]+) persona file events(; [^<]*)?<\/title>/g)];
  assert.is(cells.length, (c.deckies.length + 1) * 14);
  for (const [, who, day, n, why] of cells) {
    const k = c.days.indexOf(day!);
    const i = c.deckies.indexOf(who!);
    assert.is(Number(n!.replace(/,/g, '')), i < 0 ? c.fleet[k] : c.counts[i]![k], `${who} ${day}`);
    const m = i < 0 ? '.' : c.marks[i]![k]!;
    assert.is(why === undefined, m === '.', `${who} ${day}: mark ${m}, title ${why}`);
    if (m === 'H') assert.match(why!, /public holiday for every persona/);
    if (m === 'v') assert.match(why!, /a persona away/);
  }
  const marked = c.marks.reduce((n, row) => n + [...row].filter((x) => x !== '.').length, 0);
  assert.is((html.match(/class="mark-(holiday|away)"/g) ?? []).length, marked);
  assert.ok(marked > 0);
});

test.run();
