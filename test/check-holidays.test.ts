// Invariant 21 (issue 12, item 8): persona-attributed user files on the persona's public
// holidays. A hand-broken timeline is caught; planned timelines over holidays are clean.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Checker } from '../src/check/checker.js';
import { runCheck, type CheckReport } from '../src/check/index.js';
import { sourceFromFile } from '../src/check/source.js';
import type { Timeline } from '../src/timeline/types.js';
import { localDate, windowDayAt, windowSpec } from '../src/sim/schedule.js';
import { calendarCountry, holidayCountries, isPublicHoliday, ordOf } from '../src/world/calendar.js';
import { inputs, planned, rehash, serialize, writeTemp } from './check-helpers.js';
import { ROOT } from './helpers/cli.js';

const USER = new Set(['note', 'todo', 'draft', 'script']);
const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };

async function checkTimeline(t: Timeline): Promise<CheckReport> {
  return runCheck(await sourceFromFile(writeTemp(serialize(t))));
}

test('21: a persona working on a public holiday of its country is caught and named', async () => {
  // The busiest persona works on days that are public holidays in some other country (2026-01-07
  // is one in Serbia and Russia, for instance): moving it to that country in the header makes
  // its planned work of that day holiday work.
  const t = planned('broken', inputs({ days: 7 }));
  const counts = new Map<string, number>();
  for (const e of t.events) if (e.persona !== undefined && USER.has(e.contentClass ?? '')) counts.set(e.persona, (counts.get(e.persona) ?? 0) + 1);
  const name = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const persona = t.header.inputs.personas.find((p) => p.name === name)!;
  const zone = persona.timezone;
  const home = calendarCountry(persona);
  // A tick's work (the homes' pre-history is the machine's planting, which invariant 21 skips).
  const mine = t.events.filter((e) => e.persona === name && USER.has(e.contentClass ?? '') && e.job === undefined);
  const dates = [...new Set(mine.map((e) => localDate(zone, Date.parse(e.at))))].sort();
  let country = '';
  let date = '';
  for (const d of dates) {
    const c = [...holidayCountries()].sort().find((x) => x !== home && isPublicHoliday(x, ordOf(d)));
    if (c) {
      [country, date] = [c, d];
      break;
    }
  }
  assert.ok(country !== '', `a country with a public holiday on one of ${dates.join(', ')}`);
  // The window an event falls in belongs to the local date it started on (a night shift).
  const spec = windowSpec(persona);
  const hits = mine.filter((e) => isPublicHoliday(country, windowDayAt(spec, Date.parse(e.at)) ?? ordOf(localDate(zone, Date.parse(e.at)))));
  assert.ok(hits.length > 0);
  const before = await checkTimeline(t);
  assert.is(before.byInvariant['21'], undefined, 'clean before the edit');
  persona.country = country;
  rehash(t);
  const r = await checkTimeline(t);
  const v21 = r.violations.filter((v) => v.invariant === 21);
  assert.is(v21.length, hits.length, JSON.stringify(v21.slice(0, 2)));
  assert.equal(new Set(v21.map((v) => v.eventId)), new Set(hits.map((e) => e.id)));
  assert.ok(v21.some((v) => v.reason.includes(`${date}, a public holiday in ${country}`)), v21[0]!.reason);
  const others = Object.keys(r.byInvariant).map(Number).filter((k) => k !== 21 && k !== 10 && k !== 9);
  assert.equal(others, [], JSON.stringify(r.violations.filter((v) => others.includes(v.invariant)).slice(0, 3)));
  assert.is(r.ok, false);
});

test('21: planned timelines over Christmas and New Year are clean (night shift and weekend worker included)', async () => {
  for (const seed of ['h1', 'h2', 'h3']) {
    const t = planned(seed, inputs({ fleet: multiTz, start: '2026-12-21T00:00:00Z', days: 14 }));
    const r = await checkTimeline(t);
    assert.is(r.byInvariant['21'], undefined, `${seed}: ${JSON.stringify(r.violations.filter((v) => v.invariant === 21).slice(0, 2))}`);
    assert.is(r.violationCount, 0, `${seed}: ${JSON.stringify(r.violations.slice(0, 3))}`);
  }
});

test('21: an evening shift that began the day before a holiday is not holiday work, the one starting on it is', () => {
  // Night Owl (America/Chicago, 22:30-06:15, US): 2026-12-25 01:00 local belongs to the shift
  // of the 24th; 2026-12-25 23:00 local to the shift of the 25th, Christmas Day.
  const inp = inputs({ fleet: multiTz, start: '2026-12-21T00:00:00Z', days: 7 });
  const t = planned('h1', inp);
  const ev = t.events.find((e) => e.persona === 'Night Owl' && USER.has(e.contentClass ?? '') && e.action === 'file:create' && e.job === undefined);
  assert.ok(ev, 'a create by Night Owl');
  const checker = new Checker(inp, { seed: 'h1' });
  for (const [i, iso] of ['2026-12-25T07:00:00Z', '2026-12-26T05:00:00Z'].entries()) {
    const copy = structuredClone(ev!);
    copy.id = `${ev!.id.slice(0, 15)}${i}`;
    copy.at = iso;
    copy.mtime = iso;
    copy.atime = iso;
    copy.path = `${ev!.path}${i}`;
    checker.add(copy);
  }
  const v21 = checker.violations.filter((v) => v.invariant === 21);
  assert.is(v21.length, 1, JSON.stringify(v21));
  assert.match(v21[0]!.reason, /at 2026-12-26T05:00:00Z by Night Owl on 2026-12-25, a public holiday in US/);
  assert.is(checker.violations.filter((v) => v.invariant === 6).length, 0, 'both inside the working window');
});

test.run();
