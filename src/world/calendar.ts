// A persona's calendar (issue 12, item 6): public holidays of its country, seeded days off and
// vacations, and the intensity of its work inside the working window.
//
// - Country: the persona's `country` (ISO 3166-1 alpha-2), else the one its time zone gives
//   (countryOfZone in locale.ts, a short documented table); a zone not in that table (UTC, Etc/*)
//   has no country and so no public holidays (the plan says so in a diagnostic).
// - Public holidays: date-holidays, type "public" only (no bank, school, optional or observance
//   days), by the holiday's local date. The library computes from its bundled rules (no network,
//   no clock); its version is pinned exactly since its output feeds the timeline.
// - Days off and vacations: drawn per calendar year from a stream keyed by (seed, persona, year)
//   only, a fixed number of draws per year, so the days of a year never depend on the horizon
//   (a 7-day plan is a prefix of a 30-day one). Each year: 2 to 5 single days off and 1 or 2
//   vacations of 5 to 10 consecutive workdays (holidays inside a vacation extend it, a vacation
//   may run into the next year).
// - Intensity: the chance that the persona is at work at an instant inside its window: a ramp-up
//   over the first hour, a lunch dip around midday local (at the middle of a window that holds no
//   midday), a tail over the last hour. Windows of 16 hours or more are flat.
import { createRequire } from 'node:module';
import { fmix, stream } from '../rng/stream.js';
import { countryOfZone } from './locale.js';

const DAY_MS = 86_400_000;

interface HolidayLib {
  getHolidays(year: number): Array<{ date: string; type: string }>;
  getCountries(): Record<string, string>;
}
type HolidayCtor = new (country?: string) => HolidayLib;

let ctor: HolidayCtor | null = null;
/** date-holidays, loaded on first use (it costs ~100 ms: commands that need no calendar skip it). */
function holidaysLib(): HolidayCtor {
  if (ctor === null) ctor = createRequire(import.meta.url)('date-holidays') as HolidayCtor;
  return ctor;
}

let countries: ReadonlySet<string> | null = null;
/** Country codes date-holidays knows (ISO 3166-1 alpha-2). */
export function holidayCountries(): ReadonlySet<string> {
  if (countries === null) countries = new Set(Object.keys(new (holidaysLib())().getCountries()));
  return countries;
}

/** The persona's holiday country: its own, else its time zone's, else null (no holidays). */
export function calendarCountry(p: { country?: string | null; timezone: string }): string | null {
  if (p.country) return p.country;
  const c = countryOfZone(p.timezone);
  return c !== null && holidayCountries().has(c) ? c : null;
}

/** Day ordinal (days since 1970-01-01) of a YYYY-MM-DD date. */
export function ordOf(ymd: string): number {
  return Math.floor(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / DAY_MS);
}

/** YYYY-MM-DD of a day ordinal. */
export function ymdOf(ord: number): string {
  return new Date(ord * DAY_MS).toISOString().slice(0, 10);
}

// Holidays per country and year. Bounded by the countries of the personas times the years of the
// horizon (a few dozen small sets at most).
const HOLIDAYS = new Map<string, ReadonlySet<number>>();

/** Ordinals of the country's public holidays in a year. */
export function publicHolidays(country: string, year: number): ReadonlySet<number> {
  const key = `${country}:${year}`;
  let set = HOLIDAYS.get(key);
  if (set === undefined) {
    const lib = new (holidaysLib())(country);
    set = new Set(lib.getHolidays(year).filter((h) => h.type === 'public').map((h) => ordOf(h.date.slice(0, 10))));
    HOLIDAYS.set(key, set);
  }
  return set;
}

export function isPublicHoliday(country: string | null, ord: number): boolean {
  return country !== null && publicHolidays(country, new Date(ord * DAY_MS).getUTCFullYear()).has(ord);
}

/** luxon weekday (1 = Monday) of a day ordinal. */
export function weekdayOf(ord: number): number {
  return ((((ord + 3) % 7) + 7) % 7) + 1;
}

export interface CalendarSpec {
  country: string | null;
  /** luxon weekday numbers of the workdays. */
  days: ReadonlySet<number>;
}

/**
 * A persona's own days away (days off and vacations) as day ordinals, per year, with public
 * holidays and the persona's rest days left out (they are off anyway).
 */
export class DaysAway {
  private readonly years = new Map<number, ReadonlySet<number>>();

  constructor(
    private readonly seed: string,
    private readonly persona: string,
    private readonly spec: CalendarSpec,
  ) {}

  private workday(ord: number): boolean {
    return this.spec.days.has(weekdayOf(ord)) && !isPublicHoliday(this.spec.country, ord);
  }

  /** The next workday at or after ord (a week without any workday: ord itself). */
  private nextWorkday(ord: number): number {
    for (let d = ord; d < ord + 21; d++) if (this.workday(d)) return d;
    return ord;
  }

  /** Days away drawn for a year (some may fall in the next year). */
  private drawn(year: number): ReadonlySet<number> {
    let set = this.years.get(year);
    if (set !== undefined) return set;
    const out = new Set<number>();
    if (this.spec.days.size > 0) {
      const r = stream(this.seed, 'calendar', this.persona, year);
      const first = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
      const length = Math.floor(Date.UTC(year + 1, 0, 1) / DAY_MS) - first;
      // Always the same number of draws per year, whatever is kept.
      const vacations = r() < 0.5 ? 1 : 2;
      for (let v = 0; v < 2; v++) {
        const start = first + Math.floor(r() * length);
        const days = 5 + Math.floor(r() * 6);
        if (v >= vacations) continue;
        let d = this.nextWorkday(start);
        for (let n = 0; n < days; d++) {
          if (!this.workday(d)) {
            if (d - start > 60) break;
            continue;
          }
          out.add(d);
          n++;
        }
      }
      const off = 2 + Math.floor(r() * 4);
      for (let k = 0; k < 5; k++) {
        const day = first + Math.floor(r() * length);
        if (k < off) out.add(this.nextWorkday(day));
      }
    }
    set = out;
    this.years.set(year, set);
    if (this.years.size > 4) this.years.delete(this.years.keys().next().value!);
    return set;
  }

  /** Is the local date `ord` one of the persona's days off or vacation days? */
  has(ord: number): boolean {
    const year = new Date(ord * DAY_MS).getUTCFullYear();
    return this.drawn(year).has(ord) || this.drawn(year - 1).has(ord);
  }
}

/** Why a local date is not worked (null: a workday). */
export function dayOffReason(spec: CalendarSpec, away: DaysAway | null, ord: number): 'holiday' | 'away' | null {
  if (isPublicHoliday(spec.country, ord)) return 'holiday';
  if (away !== null && away.has(ord)) return 'away';
  return null;
}

const RAMP_MIN = 60;
const TAIL_MIN = 60;
const LUNCH_HALF_MIN = 45;
const LUNCH_LOCAL_MIN = 12 * 60 + 30;

/**
 * Probability that the persona is at work `m` minutes into a window of `w` minutes that starts
 * at local minute `startMin`: 0.3 rising to 1 over the first hour, a dip to 0.35 centred on 12:30
 * local (or the middle of a window without midday) over 1.5 hours, 1 falling to 0.35 over the
 * last hour. Windows of 16 hours or more: 1.
 */
export function intensity(m: number, w: number, startMin: number): number {
  if (w >= 16 * 60 || m < 0 || m >= w) return m >= 0 && m < w ? 1 : 0;
  let f = 1;
  const ramp = Math.min(RAMP_MIN, w / 4);
  if (m < ramp) f *= 0.3 + 0.7 * (m / ramp);
  const tail = Math.min(TAIL_MIN, w / 4);
  if (w - m < tail) f *= 0.35 + 0.65 * ((w - m) / tail);
  if (w >= 4 * 60) {
    let c = LUNCH_LOCAL_MIN - startMin;
    if (c < 0) c += 1440;
    if (c < LUNCH_HALF_MIN + ramp || c > w - LUNCH_HALF_MIN - tail) c = w / 2;
    const x = Math.abs(m - c);
    if (x < LUNCH_HALF_MIN) f *= 1 - 0.65 * (0.5 + 0.5 * Math.cos((Math.PI * x) / LUNCH_HALF_MIN));
  }
  return f;
}

/** The presence salt of a persona on a decky (from the seed). */
export function presenceSalt(seed: string, deckyUuid: string, persona: string): number {
  return stream(seed, deckyUuid, 'presence', persona).int32() >>> 0;
}

/**
 * A uniform number in [0, 1) for (salt, n), n a whole second (or an hour for the traffic jitter):
 * whether the persona is at work then is `presence(salt, second) < intensity`. A hash rather than
 * a stream, so the checker can answer for any event from its time without replaying the planner.
 */
export function presence(salt: number, tick: number): number {
  const lo = tick >>> 0;
  const hi = Math.floor(tick / 4294967296) >>> 0;
  return fmix(fmix(salt ^ Math.imul(lo, 0x9e3779b9)) ^ (hi + 0x7f4a7c15)) / 4294967296;
}
