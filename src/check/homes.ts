// Invariant 22, the homes' pre-history (issue 12): what `find ~ -type f -printf '%T+ %p\n' |
// sort` shows on a decky.
//   (a) lures are not the oldest files of the homes: on a decky with a lure in a home and at
//       least MIN_ORDINARY ordinary files of its personas, the oldest persona file (by final
//       mtime) is not a lure (nor a file planted with one);
//   (b) backdated mtimes (the pre-history's persona files and persona lures) fall inside the
//       owner's working hours and days: at most 10% of them outside, per decky;
//   (c) a shell history agrees with its .bashrc: where .bashrc sets HISTTIMEFORMAT, bash stamps
//       every entry it writes (`#<epoch>` lines), so a history written after that has some.
// Memory: per decky, one mtime and one flag per persona file; two counters; per home two flags.
import type { Persona, PlanInputs } from '../inputs/types.js';
import { PersonaCalendar, windowAt } from '../sim/schedule.js';
import type { TimelineEvent } from '../timeline/types.js';
import type { InvariantModule, Violation } from './checker.js';

const MIN_ORDINARY = 5;
const OUTSIDE_SHARE = 0.1;

interface DeckyHomes {
  name: string;
  /** Persona files: path -> [final mtime, is a lure]. */
  files: Map<string, [number, boolean]>;
  backdated: number;
  outside: number;
  /** Homes whose .bashrc sets HISTTIMEFORMAT, and those whose history was written unstamped since. */
  stamping: Set<string>;
  unstamped: Map<string, string>;
  /** The first backdated mtime outside (reported). */
  first: { path: string; mtime: string; id: string; persona: string } | null;
}

export class HomesChecker implements InvariantModule {
  private readonly personas: ReadonlyMap<string, Persona>;
  private readonly calendars = new Map<string, PersonaCalendar>();
  private readonly deckies = new Map<string, DeckyHomes>();

  constructor(inputs: PlanInputs) {
    this.personas = new Map(inputs.personas.map((p) => [p.name, p]));
  }

  private inHours(name: string, t: number): boolean {
    const p = this.personas.get(name);
    if (!p) return true; // invariant 6 reports unknown personas
    let c = this.calendars.get(name);
    if (!c) this.calendars.set(name, (c = new PersonaCalendar(p)));
    return windowAt(c, t) !== null;
  }

  event(ev: TimelineEvent): void {
    if (ev.kind !== 'file' || ev.path === undefined) return;
    let d = this.deckies.get(ev.decky.uuid);
    if (ev.content !== undefined && (ev.path.endsWith('/.bashrc') || ev.path.endsWith('/.bash_history'))) this.shell(ev);
    if (ev.action === 'file:rename' || ev.action === 'file:delete') {
      const f = d?.files.get(ev.path);
      if (!d || !f) return;
      d.files.delete(ev.path);
      if (ev.action === 'file:rename' && ev.to !== undefined) d.files.set(ev.to, f);
      return;
    }
    const persona = ev.persona;
    if (persona === undefined) return;
    d ??= this.decky(ev);
    const mtimeMs = Date.parse(ev.mtime ?? ev.at);
    if (!Number.isFinite(mtimeMs)) return; // invariant 5's
    const lure = ev.canary !== undefined || d.files.get(ev.path)?.[1] === true;
    d.files.set(ev.path, [mtimeMs, lure]);
    for (const c of ev.companions ?? []) d.files.set(c.path, [c.mtime === undefined ? mtimeMs : Date.parse(c.mtime), true]);
    if (ev.action === 'file:create' && (ev.job === 'history' || ev.canary !== undefined)) {
      d.backdated++;
      if (!this.inHours(persona, mtimeMs) && d.outside++ === 0) d.first = { path: ev.path, mtime: ev.mtime ?? ev.at, id: ev.id, persona };
    }
  }

  private decky(ev: TimelineEvent): DeckyHomes {
    let d = this.deckies.get(ev.decky.uuid);
    if (!d) this.deckies.set(ev.decky.uuid, (d = { name: ev.decky.name, files: new Map(), backdated: 0, outside: 0, stamping: new Set(), unstamped: new Map(), first: null }));
    return d;
  }

  /** (c): a .bashrc that asks for stamps, a history written since without any. */
  private shell(ev: TimelineEvent): void {
    const d = this.decky(ev);
    const home = ev.path!.slice(0, ev.path!.lastIndexOf('/'));
    const text = Buffer.from(ev.content!.data, ev.content!.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    if (ev.path!.endsWith('/.bashrc')) {
      if (/^\s*(export\s+)?HISTTIMEFORMAT=/m.test(text)) d.stamping.add(home);
      else d.stamping.delete(home);
    } else if (d.stamping.has(home) && !/^#\d{9,11}$/m.test(text) && !d.unstamped.has(home)) d.unstamped.set(home, ev.id);
  }

  finish(report: (v: Violation) => void): void {
    for (const d of this.deckies.values()) {
      for (const [home, id] of d.unstamped) report({ invariant: 22, eventId: id, decky: d.name, path: `${home}/.bash_history`, reason: `${home}/.bashrc sets HISTTIMEFORMAT, so bash stamps each entry it writes, but this history has no #<epoch> line` });
      let lures = 0;
      let ordinary = 0;
      let oldest: [string, number, boolean] | null = null;
      for (const [path, [ms, lure]] of d.files) {
        if (lure) lures++;
        else ordinary++;
        if (oldest === null || ms < oldest[1] || (ms === oldest[1] && lure)) oldest = [path, ms, lure];
      }
      if (lures > 0 && ordinary >= MIN_ORDINARY && oldest !== null && oldest[2]) {
        report({ invariant: 22, eventId: null, decky: d.name, path: oldest[0], reason: `a lure is the oldest file of the homes (mtime ${new Date(oldest[1]).toISOString()}, older than all ${ordinary} ordinary files)` });
      }
      if (d.outside > Math.floor(OUTSIDE_SHARE * d.backdated) && d.first !== null) {
        const o = d.first;
        report({ invariant: 22, eventId: o.id, decky: d.name, path: o.path, reason: `${d.outside} of ${d.backdated} backdated home mtimes are outside their owner's working hours and days (at most ${Math.round(OUTSIDE_SHARE * 100)}%); this one, ${o.mtime}, is outside ${o.persona}'s` });
      }
    }
  }
}
