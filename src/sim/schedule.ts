// Working hours of a persona as UTC intervals. Windows are evaluated in the persona's time zone
// with luxon (DST aware); a window that wraps midnight belongs to the day it starts on; equal
// start and end means a whole day (24 h from the start) on each working day.
//
// Evaluating luxon per tick is slow, so a Schedule collects intervals one local day at a time
// and answers `isActive` with a comparison. Queries must be non-decreasing in time (a decky's
// clock only moves forward); `isActiveAt` answers for any single instant (the checker).
import { DateTime } from 'luxon';
import type { Persona, Weekday } from '../inputs/types.js';
import { WEEKDAYS } from '../inputs/types.js';
import { type CalendarSpec, DaysAway, calendarCountry, dayOffReason, intensity, presence } from '../world/calendar.js';

export interface WindowSpec {
  startMin: number;
  endMin: number;
  zone: string;
  days: ReadonlySet<number>; // luxon weekday numbers, 1 = Monday
}

export function windowSpec(p: Pick<Persona, 'active_hours' | 'timezone' | 'workdays'>): WindowSpec {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(p.active_hours);
  if (!m) throw new Error(`bad window ${p.active_hours}`);
  return {
    startMin: Number(m[1]) * 60 + Number(m[2]),
    endMin: Number(m[3]) * 60 + Number(m[4]),
    zone: p.timezone,
    days: new Set(p.workdays.map((d: Weekday) => WEEKDAYS.indexOf(d) + 1)),
  };
}

const DAY_MS = 86_400_000;

/** Civil date of a day ordinal (days since 1970-01-01) and its luxon weekday (1 = Monday). */
function civil(ord: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(ord * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: ((((ord + 3) % 7) + 7) % 7) + 1 };
}

/** The UTC interval [start, end) of the window that begins on local date `ord`, or null. */
export function intervalOnDay(spec: WindowSpec, ord: number): [number, number] | null {
  const c = civil(ord);
  if (!spec.days.has(c.weekday)) return null;
  const s = DateTime.fromObject({ year: c.year, month: c.month, day: c.day, hour: Math.floor(spec.startMin / 60), minute: spec.startMin % 60 }, { zone: spec.zone });
  const e1 = spec.endMin <= spec.startMin ? civil(ord + 1) : c;
  const e = DateTime.fromObject({ year: e1.year, month: e1.month, day: e1.day, hour: Math.floor(spec.endMin / 60), minute: spec.endMin % 60 }, { zone: spec.zone });
  const sm = s.toMillis();
  const em = e.toMillis();
  return em > sm ? [sm, em] : null;
}

/**
 * A persona's windows by local day, memoised: every decky that hosts the persona asks for the
 * same days at about the same time, so one luxon evaluation serves them all. Old days are
 * dropped, keeping memory flat over any horizon.
 */
type CalendarPersona = Pick<Persona, 'active_hours' | 'timezone' | 'workdays'> & { name?: string; country?: string | null };

export class PersonaCalendar {
  readonly spec: WindowSpec;
  /** Public holidays and days away (null: working hours and days only, as invariant 6 reads them). */
  readonly daysOff: { spec: CalendarSpec; away: DaysAway | null } | null;
  private readonly days = new Map<number, [number, number] | null>();
  private newest = -Infinity;

  /**
   * `calendar`: leave out the persona's public holidays and, given a seed, its seeded days off and
   * vacations (a window belongs to the local date it starts on).
   */
  constructor(p: CalendarPersona, calendar: { seed: string | null } | null = null) {
    this.spec = windowSpec(p);
    if (calendar === null) this.daysOff = null;
    else {
      const spec: CalendarSpec = { country: calendarCountry(p), days: this.spec.days };
      this.daysOff = { spec, away: calendar.seed !== null && p.name !== undefined ? new DaysAway(calendar.seed, p.name, spec) : null };
    }
  }

  /** Why the local date `ord` is not worked although a workday (null: it is worked, or no calendar). */
  offReason(ord: number): 'holiday' | 'away' | null {
    return this.daysOff === null ? null : dayOffReason(this.daysOff.spec, this.daysOff.away, ord);
  }

  interval(ord: number): [number, number] | null {
    const hit = this.days.get(ord);
    if (hit !== undefined) return hit;
    const iv = this.offReason(ord) === null ? intervalOnDay(this.spec, ord) : null;
    this.days.set(ord, iv);
    if (ord > this.newest) {
      this.newest = ord;
      for (const k of this.days.keys()) if (k < ord - 8) this.days.delete(k);
    }
    return iv;
  }
}

/** Intensity of work at t inside the window [s, e) (see intensity in world/calendar.ts). */
export function levelIn(spec: WindowSpec, iv: [number, number], t: number): number {
  return intensity((t - iv[0]) / 60_000, (iv[1] - iv[0]) / 60_000, spec.startMin);
}

/** Forward-only schedule of one persona on one decky: answers isActive(t) for non-decreasing t. */
export class Schedule {
  private readonly calendar: PersonaCalendar;
  private readonly salt: number;
  private intervals: Array<[number, number]> = [];
  private nextDay: number | null = null;

  /** `salt`: the persona's presence salt on this decky (presenceSalt), for present(). */
  constructor(calendar: PersonaCalendar | Pick<Persona, 'active_hours' | 'timezone' | 'workdays'>, salt = 0) {
    this.calendar = calendar instanceof PersonaCalendar ? calendar : new PersonaCalendar(calendar);
    this.salt = salt;
  }

  /** Inside a working window at t (on a worked day, when the calendar has days off). */
  isActive(t: number): boolean {
    return this.window(t) !== null;
  }

  /** The intensity of work at t: 0 outside the windows. */
  level(t: number): number {
    const iv = this.window(t);
    return iv === null ? 0 : levelIn(this.calendar.spec, iv, t);
  }

  /**
   * At work on this decky at t: inside a window and drawn present by the intensity at t. The draw
   * is keyed by t's second (what a timeline records), so a reader reproduces it from `at` alone.
   */
  present(t: number): boolean {
    const iv = this.window(t);
    return iv !== null && presence(this.salt, Math.floor(t / 1000)) < levelIn(this.calendar.spec, iv, t);
  }

  /** The window holding t, or null. */
  window(t: number): [number, number] | null {
    const today = Math.floor(t / DAY_MS);
    // Local dates are within a day of the UTC date; a window may also have opened the day before.
    if (this.nextDay === null) this.nextDay = today - 2;
    while (this.nextDay <= today + 1) {
      const iv = this.calendar.interval(this.nextDay);
      if (iv) this.intervals.push(iv);
      this.nextDay++;
    }
    while (this.intervals.length > 0 && this.intervals[0]![1] <= t) this.intervals.shift();
    for (const iv of this.intervals) {
      if (iv[0] <= t && t < iv[1]) return iv;
      if (iv[0] > t) break;
    }
    return null;
  }
}

/** The window of a calendar holding t, for any single instant (the checker), or null. */
export function windowAt(cal: PersonaCalendar, t: number): [number, number] | null {
  const today = Math.floor(t / DAY_MS);
  for (let d = today - 2; d <= today + 1; d++) {
    const iv = cal.interval(d);
    if (iv && iv[0] <= t && t < iv[1]) return iv;
  }
  return null;
}

/** The local date (day ordinal) whose window holds t, ignoring days off, or null (`interval`: a cached source of intervalOnDay). */
export function windowDayAt(spec: WindowSpec, t: number, interval: (ord: number) => [number, number] | null = (d) => intervalOnDay(spec, d)): number | null {
  const today = Math.floor(t / DAY_MS);
  for (let d = today - 2; d <= today + 1; d++) {
    const iv = interval(d);
    if (iv && iv[0] <= t && t < iv[1]) return d;
  }
  return null;
}

const TRAFFIC_NIGHT = 0.15;
const TRAFFIC_DAY = 0.45;
/** Share of ticks a decky without personas gives to traffic. */
const TRAFFIC_FLAT = 0.35;

/**
 * The share of a decky's ticks that are SSH traffic to a peer: TRAFFIC_NIGHT while none of its
 * personas is inside a working window (nights, rest days, holidays, days away), TRAFFIC_DAY while
 * one is, times a jitter of 0.75 to 1.25 drawn per decky and UTC hour. The share is flat inside
 * the window on purpose: traffic and file work share a decky's ticks, so a share that followed
 * the intensity curve would flatten the curve of the files. Ticks themselves are a Poisson
 * process, so no connection ever runs on a timer.
 */
export class TrafficShare {
  constructor(
    private readonly schedules: readonly Schedule[],
    private readonly salt: number,
  ) {}

  at(t: number): number {
    if (this.schedules.length === 0) return TRAFFIC_FLAT;
    let level = 0;
    for (const s of this.schedules) if (s.isActive(t)) level = 1;
    const jitter = 0.75 + 0.5 * presence(this.salt, Math.floor(t / 3_600_000));
    return Math.min(0.9, (TRAFFIC_NIGHT + (TRAFFIC_DAY - TRAFFIC_NIGHT) * level) * jitter);
  }
}

/** Random-access check for a single instant (used by the checker). */
export function isActiveAt(p: Pick<Persona, 'active_hours' | 'timezone' | 'workdays'>, t: number): boolean {
  const spec = windowSpec(p);
  const today = Math.floor(t / DAY_MS);
  for (let d = today - 2; d <= today + 1; d++) {
    const iv = intervalOnDay(spec, d);
    if (iv && iv[0] <= t && t < iv[1]) return true;
  }
  return false;
}

/** The persona's local calendar date (YYYY-MM-DD) at t. */
export function localDate(zone: string, t: number): string {
  return DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd');
}

/**
 * Local calendar dates with a cache of the last few local days per zone: a date looked up once
 * holds until the next local midnight. Shared by all deckies, whose clocks move forward together.
 */
export class LocalDates {
  private readonly cache = new Map<string, Array<{ from: number; to: number; date: string }>>();

  get(zone: string, t: number): string {
    let days = this.cache.get(zone);
    if (!days) this.cache.set(zone, (days = []));
    for (const d of days) if (d.from <= t && t < d.to) return d.date;
    const local = DateTime.fromMillis(t, { zone });
    const day = local.startOf('day');
    const entry = { from: day.toMillis(), to: day.plus({ days: 1 }).toMillis(), date: local.toFormat('yyyy-MM-dd') };
    days.push(entry);
    if (days.length > 4) days.shift();
    return entry.date;
  }
}
