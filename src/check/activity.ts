// Working-hours lookups for the checker and the statistics: the planner's forward-only
// schedules while queries move forward in time (timelines are sorted), isActiveAt otherwise.
import type { Decky, PlanInputs, Persona } from '../inputs/types.js';
import { Schedule, isActiveAt } from '../sim/schedule.js';

export class Activity {
  readonly personas: ReadonlyMap<string, Persona>;
  private readonly deckies = new Map<string, Decky>();
  private readonly schedules = new Map<string, { schedule: Schedule; last: number }>();

  constructor(inputs: PlanInputs) {
    this.personas = new Map(inputs.personas.map((p) => [p.name, p]));
    for (const d of inputs.fleet) this.deckies.set(d.uuid, d);
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

  /** Is at least one persona of the decky in hours at t (the planner's in-hours branch)? */
  deckyInHours(uuid: string, t: number): boolean {
    const d = this.deckies.get(uuid);
    if (!d) return false;
    for (const n of d.personas) if (this.isActive(n, t)) return true;
    return false;
  }

  /** Names of the decky's personas in hours at t. */
  activeOn(uuid: string, t: number): string[] {
    const d = this.deckies.get(uuid);
    return d ? d.personas.filter((n) => this.isActive(n, t)) : [];
  }
}
