// Working hours of a persona as UTC intervals. Windows are evaluated in the persona's time zone
// with luxon (DST aware); a window that wraps midnight belongs to the day it starts on; equal
// start and end means a whole day (24 h from the start) on each working day.
//
// Evaluating luxon per tick is slow, so a Schedule generates intervals one local day at a time
// and answers `isActive` with a comparison. Queries must be non-decreasing in time (a decky's
// clock only moves forward); `ScheduleIndex` handles arbitrary order for the checker.
import { DateTime } from 'luxon';
import type { Persona, Weekday } from '../inputs/types.js';
import { WEEKDAYS } from '../inputs/types.js';

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

/** The UTC interval [start, end) of the window that begins on the given local date, or null. */
export function intervalOn(spec: WindowSpec, local: DateTime): [number, number] | null {
  if (!spec.days.has(local.weekday)) return null;
  const base = { year: local.year, month: local.month, day: local.day };
  const s = DateTime.fromObject({ ...base, hour: Math.floor(spec.startMin / 60), minute: spec.startMin % 60 }, { zone: spec.zone });
  let endDay = DateTime.fromObject(base, { zone: spec.zone });
  if (spec.endMin <= spec.startMin) endDay = endDay.plus({ days: 1 });
  const e = DateTime.fromObject({ year: endDay.year, month: endDay.month, day: endDay.day, hour: Math.floor(spec.endMin / 60), minute: spec.endMin % 60 }, { zone: spec.zone });
  const sm = s.toMillis();
  const em = e.toMillis();
  return em > sm ? [sm, em] : null;
}

/** Forward-only schedule: answers isActive(t) for non-decreasing t. */
export class Schedule {
  private readonly spec: WindowSpec;
  private intervals: Array<[number, number]> = [];
  private nextLocal: DateTime | null = null;

  constructor(p: Pick<Persona, 'active_hours' | 'timezone' | 'workdays'>) {
    this.spec = windowSpec(p);
  }

  isActive(t: number): boolean {
    if (this.nextLocal === null) {
      // Start two local days back: a window that began yesterday may still be open.
      this.nextLocal = DateTime.fromMillis(t, { zone: this.spec.zone }).startOf('day').minus({ days: 2 });
    }
    // Generate local days until the next day starts after t (+1 day of slack for wraps).
    while (this.nextLocal.toMillis() <= t + 86_400_000) {
      const iv = intervalOn(this.spec, this.nextLocal);
      if (iv) this.intervals.push(iv);
      this.nextLocal = this.nextLocal.plus({ days: 1 });
    }
    while (this.intervals.length > 0 && this.intervals[0]![1] <= t) this.intervals.shift();
    for (const [s, e] of this.intervals) {
      if (s <= t && t < e) return true;
      if (s > t) break;
    }
    return false;
  }
}

/** Random-access check for a single instant (used by the checker). */
export function isActiveAt(p: Pick<Persona, 'active_hours' | 'timezone' | 'workdays'>, t: number): boolean {
  const spec = windowSpec(p);
  const local = DateTime.fromMillis(t, { zone: spec.zone }).startOf('day');
  for (const d of [local.minus({ days: 1 }), local]) {
    const iv = intervalOn(spec, d);
    if (iv && iv[0] <= t && t < iv[1]) return true;
  }
  return false;
}

/** The persona's local calendar date (YYYY-MM-DD) at t. */
export function localDate(zone: string, t: number): string {
  return DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd');
}
