// Working-hours lookups for the checker and the statistics: the planner's forward-only
// schedules while queries move forward in time (timelines are sorted), random access otherwise.
//
// Two readings: `isActive` is the persona's working hours and days (invariant 6); `activeOn`
// is whether the persona was at work on the decky at a tick, as the planner decided it (its
// calendar's holidays, days off and vacations, and the presence drawn against the intensity
// curve, all reproducible from the seed). Without a seed, activeOn falls back to the hours.
import type { Decky, PlanInputs, Persona } from '../inputs/types.js';
import { PersonaCalendar, Schedule, isActiveAt, levelIn, windowAt } from '../sim/schedule.js';
import { presence, presenceSalt } from '../world/calendar.js';

export class Activity {
  readonly personas: ReadonlyMap<string, Persona>;
  private readonly deckies = new Map<string, Decky>();
  private readonly schedules = new Map<string, { schedule: Schedule; last: number }>();
  readonly seed: string | null;
  private readonly calendars = new Map<string, PersonaCalendar>();
  private readonly onDecky = new Map<string, { schedule: Schedule; salt: number; last: number }>();

  constructor(inputs: PlanInputs, seed: string | null = null) {
    this.personas = new Map(inputs.personas.map((p) => [p.name, p]));
    for (const d of inputs.fleet) this.deckies.set(d.uuid, d);
    this.seed = seed;
  }

  decky(uuid: string): Decky | undefined {
    return this.deckies.get(uuid);
  }

  /** Is the named persona inside its working hours and days at t? */
  isActive(name: string, t: number): boolean {
    const p = this.personas.get(name);
    if (!p) return false;
    let s = this.schedules.get(name);
    if (!s) {
      s = { schedule: new Schedule(p), last: -Infinity };
      this.schedules.set(name, s);
    }
    if (t < s.last) return isActiveAt(p, t);
    s.last = t;
    return s.schedule.isActive(t);
  }

  /** The persona's calendar with holidays and days away (shared by its deckies). */
  calendar(name: string): PersonaCalendar | null {
    const p = this.personas.get(name);
    if (!p) return null;
    let c = this.calendars.get(name);
    if (!c) this.calendars.set(name, (c = new PersonaCalendar(p, { seed: this.seed })));
    return c;
  }

  /** Was the persona at work on the decky at this tick (the planner's reading)? */
  presentOn(uuid: string, name: string, t: number): boolean {
    if (this.seed === null) return this.isActive(name, t);
    const key = `${uuid}\u0000${name}`;
    let s = this.onDecky.get(key);
    if (!s) {
      const cal = this.calendar(name);
      if (!cal) return false;
      s = { schedule: new Schedule(cal, presenceSalt(this.seed, uuid, name)), salt: presenceSalt(this.seed, uuid, name), last: -Infinity };
      this.onDecky.set(key, s);
    }
    if (t < s.last) {
      const cal = this.calendar(name)!;
      const iv = windowAt(cal, t);
      return iv !== null && presence(s.salt, Math.floor(t / 1000)) < levelIn(cal.spec, iv, t);
    }
    s.last = t;
    return s.schedule.present(t);
  }

  /** Is at least one persona of the decky at work at t (the planner's in-hours branch)? */
  deckyInHours(uuid: string, t: number, planned = false): boolean {
    return this.activeOn(uuid, t, planned).length > 0;
  }

  /** Names of the decky's personas at work at t (planned: the planner's reading, else the hours). */
  activeOn(uuid: string, t: number, planned = false): string[] {
    const d = this.deckies.get(uuid);
    if (!d) return [];
    return planned ? d.personas.filter((n) => this.presentOn(uuid, n, t)) : d.personas.filter((n) => this.isActive(n, t));
  }
}
