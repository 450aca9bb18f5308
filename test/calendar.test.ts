// Calendars (issue 12, item 6): public holidays, seeded days off and vacations, the intensity
// curve inside the working window and traffic that follows the working day. Property-style over
// many seeds, on the multi-time-zone fleet (an overnight shift, a weekend worker, a persona whose
// zone has no country).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DateTime } from 'luxon';
import { InputError } from '../src/errors.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import type { PlanInputs } from '../src/inputs/types.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import { PersonaCalendar, windowDayAt } from '../src/sim/schedule.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { DaysAway, calendarCountry, intensity, isPublicHoliday, ordOf, weekdayOf } from '../src/world/calendar.js';
import { ROOT } from './helpers/cli.js';

const USER = new Set(['note', 'todo', 'draft', 'script']);
const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };
const SEEDS = Array.from({ length: 12 }, (_, i) => `cal-${i}`);

function plan(seed: string, start: string, days: number): { inputs: PlanInputs; events: TimelineEvent[] } {
  const inputs = resolveInputs({ fleet: multiTz, start, days }).inputs;
  return { inputs, events: [...planEvents(buildContext(seed, inputs))] };
}

// One run per seed over Christmas and New Year, shared by the properties below.
const RUNS = SEEDS.map((seed) => ({ seed, ...plan(seed, '2026-12-14T00:00:00Z', 28) }));

test('holiday activity is far below a normal workday\'s (none at all by the persona)', () => {
  let holidayDays = 0;
  let holidayEvents = 0;
  let workDays = 0;
  let workEvents = 0;
  for (const { seed, inputs, events } of RUNS) {
    for (const p of inputs.personas) {
      const country = calendarCountry(p);
      if (country === null) continue;
      const cal = new PersonaCalendar(p, { seed });
      const spec = cal.spec;
      const byDay = new Map<number, number>();
      for (const e of events) {
        if (e.persona !== p.name || !USER.has(e.contentClass ?? '')) continue;
        const d = windowDayAt(spec, Date.parse(e.at));
        if (d !== null) byDay.set(d, (byDay.get(d) ?? 0) + 1);
      }
      const first = ordOf(inputs.start.slice(0, 10)) + 1;
      const last = ordOf(inputs.end.slice(0, 10)) - 2;
      for (let d = first; d <= last; d++) {
        if (!spec.days.has(weekdayOf(d))) continue;
        const n = byDay.get(d) ?? 0;
        if (isPublicHoliday(country, d)) {
          holidayDays++;
          holidayEvents += n;
        } else if (cal.offReason(d) === null) {
          workDays++;
          workEvents += n;
        } else assert.is(n, 0, `${seed} ${p.name}: work on a day away`);
      }
    }
  }
  assert.ok(holidayDays >= 50, `holidays seen: ${holidayDays}`);
  const workMean = workEvents / workDays;
  assert.ok(workMean > 2, `a workday's mean ${workMean}`);
  assert.ok(holidayEvents / holidayDays < 0.1 * workMean, `holiday mean ${holidayEvents / holidayDays} vs workday ${workMean}`);
  assert.is(holidayEvents, 0);
});

test('traffic follows the working day: by hour clearly not flat, a day/night ratio above 2, jittered', () => {
  // Mia Howe (Australia/Lord_Howe, 07:30-15:30) is alone on lhi-relay: its traffic by her local hour.
  const hours = new Array<number>(24).fill(0);
  let dayTicks = 0;
  let dayTraffic = 0;
  let nightTicks = 0;
  let nightTraffic = 0;
  const gaps: number[] = [];
  for (const { inputs, events, seed } of RUNS) {
    const decky = inputs.fleet.find((d) => d.name === 'lhi-relay')!;
    const cal = new PersonaCalendar(inputs.personas.find((p) => p.name === 'Mia Howe')!, { seed });
    let prev = -1;
    for (const e of events) {
      // Ticks only: the machine's own events (log write-outs, rotation, history) run day and night.
      if (e.decky.uuid !== decky.uuid || e.job !== undefined) continue;
      const t = Date.parse(e.at);
      const hour = DateTime.fromMillis(t, { zone: 'Australia/Lord_Howe' }).hour;
      const ord = Math.floor(t / 86_400_000);
      let working = false;
      for (let d = ord - 1; d <= ord + 1; d++) {
        const iv = cal.interval(d);
        if (iv && iv[0] <= t && t < iv[1]) working = true;
      }
      if (e.kind === 'traffic') {
        hours[hour]!++;
        if (prev >= 0) gaps.push(t - prev);
        prev = t;
      }
      if (working) {
        dayTicks++;
        if (e.kind === 'traffic') dayTraffic++;
      } else {
        nightTicks++;
        if (e.kind === 'traffic') nightTraffic++;
      }
    }
  }
  const ratio = dayTraffic / dayTicks / (nightTraffic / nightTicks);
  assert.ok(ratio > 2, `day/night share ratio ${ratio}`);
  const office = (hours[10]! + hours[11]! + hours[13]! + hours[14]!) / 4;
  const night = (hours[1]! + hours[2]! + hours[3]! + hours[4]!) / 4;
  assert.ok(office > 2 * night, `by hour: office ${office}, night ${night}: ${hours.join(' ')}`);
  // No timer: the gaps between one decky's connections vary like a Poisson process's.
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
  assert.ok(sd / mean > 0.7, `coefficient of variation ${sd / mean}`);
});

test('the intensity curve: a ramp-up, a lunch dip around midday local and a tail', () => {
  // Jordan Lee (America/Los_Angeles, 10:00-19:00) and Aroha Ngata (Pacific/Auckland, 08:00-16:30):
  // each one's user events per minute in bins of the window, against the late morning's rate.
  for (const name of ['Jordan Lee', 'Aroha Ngata']) {
    const bins = new Map<string, number>();
    const add = (k: string): void => void bins.set(k, (bins.get(k) ?? 0) + 1);
    let start = 0;
    let end = 0;
    for (const { events, inputs } of RUNS) {
      const p = inputs.personas.find((x) => x.name === name)!;
      start = Number(p.active_hours.slice(0, 2)) * 60 + Number(p.active_hours.slice(3, 5));
      end = Number(p.active_hours.slice(6, 8)) * 60 + Number(p.active_hours.slice(9, 11));
      for (const e of events) {
        if (e.persona !== name || !USER.has(e.contentClass ?? '')) continue;
        const local = DateTime.fromMillis(Date.parse(e.at), { zone: p.timezone });
        const m = local.hour * 60 + local.minute;
        if (m < start + 30) add('ramp');
        else if (m >= 12 * 60 + 10 && m < 12 * 60 + 50) add('lunch');
        else if (m >= end - 30) add('tail');
        else if (m >= start + 60 && m < 11 * 60 + 40) add('morning');
      }
    }
    const rate = (k: string, min: number): number => (bins.get(k) ?? 0) / min;
    const morning = rate('morning', 11 * 60 + 40 - (start + 60));
    assert.ok((bins.get('morning') ?? 0) > 50, `${name}: ${JSON.stringify([...bins])}`);
    assert.ok(rate('ramp', 30) < 0.75 * morning, `${name}: ramp ${rate('ramp', 30)} vs ${morning}`);
    assert.ok(rate('lunch', 40) < 0.7 * morning, `${name}: lunch ${rate('lunch', 40)} vs ${morning}`);
    assert.ok(rate('tail', 30) < 0.75 * morning, `${name}: tail ${rate('tail', 30)} vs ${morning}`);
  }
});

test('intensity: the shape of the curve', () => {
  const w = 9 * 60;
  assert.ok(intensity(0, w, 540) < 0.35);
  assert.ok(intensity(120, w, 540) === 1);
  assert.ok(intensity(210, w, 540) < 0.4, 'lunch at 12:30 for a 09:00 start');
  assert.ok(intensity(w - 1, w, 540) < 0.4);
  assert.is(intensity(w, w, 540), 0);
  assert.is(intensity(-1, w, 540), 0);
  // A night shift (22:00-04:00) has its meal at the middle of the window.
  assert.ok(intensity(180, 360, 22 * 60) < 0.4);
  assert.ok(intensity(100, 360, 22 * 60) > 0.9);
  // A 24-hour window is flat.
  assert.is(intensity(0, 1440, 0), 1);
});

test('days off and vacations: a few days a year, one or two runs of 5 to 10 workdays, from (seed, persona) only', () => {
  const spec = { country: 'GB', days: new Set([1, 2, 3, 4, 5]) };
  const first = ordOf('2026-01-01');
  let twoVacations = 0;
  for (let s = 0; s < 60; s++) {
    const away = new DaysAway(`s${s}`, 'Ana', spec);
    const days: number[] = [];
    for (let d = first; d < first + 365; d++) if (away.has(d)) days.push(d);
    for (const d of days) {
      assert.ok(spec.days.has(weekdayOf(d)), 'only workdays');
      assert.not.ok(isPublicHoliday('GB', d), 'never a public holiday');
    }
    assert.ok(days.length >= 5 + 2 - 2 && days.length <= 2 * 10 + 5 + 10, `${days.length} days away`);
    // The longest run of consecutive workdays away.
    let run = 0;
    let best = 0;
    let runs = 0;
    for (let d = first; d < first + 365; d++) {
      if (!spec.days.has(weekdayOf(d)) || isPublicHoliday('GB', d)) continue;
      if (away.has(d)) run++;
      else {
        if (run >= 5) runs++;
        best = Math.max(best, run);
        run = 0;
      }
    }
    assert.ok(best >= 5, `a vacation of 5+ workdays (${best})`);
    if (runs >= 2) twoVacations++;
    // Same (seed, persona): same days, whoever asks and in whatever order.
    const again = new DaysAway(`s${s}`, 'Ana', spec);
    for (let d = first + 364; d >= first; d--) assert.is(again.has(d), days.includes(d));
  }
  assert.ok(twoVacations > 5 && twoVacations < 55, `two vacations in ${twoVacations} of 60 years`);
});

test('determinism, and a 7-day plan is the prefix of a 14-day plan', () => {
  for (const seed of SEEDS.slice(0, 4)) {
    const a = plan(seed, '2026-12-21T00:00:00Z', 7).events;
    const b = plan(seed, '2026-12-21T00:00:00Z', 7).events;
    assert.is(JSON.stringify(a), JSON.stringify(b));
    const long = plan(seed, '2026-12-21T00:00:00Z', 14).events;
    const cut = Date.parse('2026-12-28T00:00:00Z');
    const prefix = long.filter((e) => Date.parse(e.at) < cut);
    assert.is(prefix.length, a.length, seed);
    assert.is(JSON.stringify(prefix), JSON.stringify(a), seed);
  }
});

test('persona country: validated, upper-cased, defaulted from the time zone, none for UTC', () => {
  const fleet = (country: unknown) => ({ file: 'f.json', data: { deckies: [{ name: 'a', services: ['ssh'], address: '10.0.0.1', personas: ['p'] }], personas: [{ name: 'p', timezone: 'Europe/Warsaw', ...(country === undefined ? {} : { country }) }] } });
  assert.is(resolveInputs({ fleet: fleet('pt') }).inputs.personas[0]!.country, 'PT');
  assert.is(resolveInputs({ fleet: fleet(undefined) }).inputs.personas[0]!.country, null);
  assert.is(calendarCountry(resolveInputs({ fleet: fleet(undefined) }).inputs.personas[0]!), 'PL');
  for (const bad of ['XX', 'GBR', 7, 'g']) {
    try {
      resolveInputs({ fleet: fleet(bad) });
      assert.unreachable(`accepted ${String(bad)}`);
    } catch (e) {
      assert.instance(e, InputError);
      assert.match((e as Error).message, /personas\[0\]\.country.*ISO 3166-1 alpha-2/);
    }
  }
  assert.is(calendarCountry({ timezone: 'UTC' }), null);
  const ctx = buildContext('x', resolveInputs({ fleet: multiTz }).inputs);
  assert.ok(ctx.diagnostics.some((d) => /no country for .*Sita Shrestha \(Asia\/Kathmandu\).*no public holidays/.test(d)), ctx.diagnostics.join('\n'));
});

test.run();
