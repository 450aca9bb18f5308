// `stats`: a summary of a timeline, streamed: counts per kind, action, class, decky and persona,
// activity per hour of day (persona events in the persona's time zone, the rest in UTC), a
// decky x hour (UTC) matrix for the heatmap, and the canary list.
import { DateTime } from 'luxon';
import type { TimelineSource } from '../check/source.js';
import type { PlanInputs } from '../inputs/types.js';
import { PersonaCalendar } from '../sim/schedule.js';

export interface CanaryListing {
  at: string;
  decky: string;
  generator: string;
  kind: string;
  path: string;
  mode: string;
  owner: string;
  mtime: string;
  tokenId: string;
  slug: string;
  callback: string;
}

export interface StatsReport {
  source: string;
  seed: string;
  start: string;
  end: string;
  events: number;
  firstAt: string | null;
  lastAt: string | null;
  byKind: Record<string, number>;
  byAction: Record<string, number>;
  byClass: Record<string, number>;
  byDecky: Record<string, number>;
  byPersona: Record<string, number>;
  /** File and traffic events per hour of day: persona events in the persona's zone, others UTC. */
  byHour: number[];
  /** Quiet ticks per hour of day (UTC). */
  quietByHour: number[];
  /** File and traffic events per decky and UTC hour of day. */
  heatmap: { deckies: string[]; hours: number[][] };
  canaries: CanaryListing[];
  /** The calendar: persona user-file events per UTC day of the horizon, per decky and fleet-wide. */
  calendar: CalendarStrip;
}

export interface CalendarStrip {
  /** The horizon's UTC days, YYYY-MM-DD. */
  days: string[];
  deckies: string[];
  /** Per decky (same order), persona user-file events per day. */
  counts: number[][];
  /** Per decky, one character per day: H every persona of the decky on a public holiday, h some, v a persona away (day off, vacation), '.' none. */
  marks: string[];
  /** Fleet-wide events per day. */
  fleet: number[];
}

const DAY = 86_400_000;
const USER_CLASSES: ReadonlySet<string> = new Set(['note', 'todo', 'draft', 'script']);

/** Each decky's day marks (see CalendarStrip.marks), from the personas' calendars and the seed. */
export function calendarMarks(inputs: PlanInputs, seed: string | null, firstOrd: number, days: number): Map<string, string> {
  const cals = new Map(inputs.personas.map((p) => [p.name, new PersonaCalendar(p, { seed })]));
  const out = new Map<string, string>();
  for (const d of inputs.fleet) {
    let s = '';
    for (let i = 0; i < days; i++) {
      const reasons = d.personas.map((n) => cals.get(n)?.offReason(firstOrd + i) ?? null);
      const holidays = reasons.filter((x) => x === 'holiday').length;
      s += d.personas.length > 0 && holidays === d.personas.length ? 'H' : holidays > 0 ? 'h' : reasons.includes('away') ? 'v' : '.';
    }
    out.set(d.name, s);
  }
  return out;
}

const LEVELS = ' \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588';

/** One character per value: blank for 0, eighth blocks up to a full block for the row's maximum. */
export function strip(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v <= 0 || max === 0 ? ' ' : LEVELS[Math.max(1, Math.ceil((v / max) * 8))]!)).join('');
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out[k] = v;
  return out;
}

const HOUR = 3_600_000;

/**
 * Hour of day in a time zone, as luxon gives it, with the zone's offset looked up once per UTC
 * hour (events come in time order) instead of once per event. An hour in which the offset
 * changes is left to luxon event by event.
 */
class ZoneHours {
  private hour = NaN;
  private offsetMs: number | null = null;

  constructor(private readonly zone: string) {}

  at(t: number): number {
    if (!Number.isFinite(t)) return DateTime.fromMillis(t, { zone: this.zone }).hour;
    const h = Math.floor(t / HOUR);
    if (h !== this.hour) {
      this.hour = h;
      const a = DateTime.fromMillis(h * HOUR, { zone: this.zone }).offset;
      const b = DateTime.fromMillis(h * HOUR + HOUR - 1, { zone: this.zone }).offset;
      this.offsetMs = a === b ? a * 60_000 : null;
    }
    if (this.offsetMs === null) return DateTime.fromMillis(t, { zone: this.zone }).hour;
    return utcHourOf(t + this.offsetMs);
  }
}

/** new Date(t).getUTCHours() without the Date (NaN stays NaN). */
function utcHourOf(t: number): number {
  return ((Math.floor(t / HOUR) % 24) + 24) % 24;
}

export async function computeStats(src: TimelineSource): Promise<StatsReport> {
  const zones = new Map(src.inputs.personas.map((p) => [p.name, p.timezone]));
  const zoneHours = new Map<string, ZoneHours>();
  const hourIn = (zone: string, t: number): number => {
    let z = zoneHours.get(zone);
    if (!z) zoneHours.set(zone, (z = new ZoneHours(zone)));
    return z.at(t);
  };
  const byKind = new Map<string, number>();
  const byAction = new Map<string, number>();
  const byClass = new Map<string, number>();
  const byDecky = new Map<string, number>();
  const byPersona = new Map<string, number>();
  const byHour = new Array<number>(24).fill(0);
  const quietByHour = new Array<number>(24).fill(0);
  const deckyOrder = src.inputs.fleet.map((d) => d.name);
  const heat = new Map<string, number[]>(deckyOrder.map((n) => [n, new Array<number>(24).fill(0)]));
  const canaries: CanaryListing[] = [];
  const startMs = Date.parse(src.inputs.start);
  const firstOrd = Math.floor(startMs / DAY);
  const dayCount = Math.max(0, Math.ceil(Date.parse(src.inputs.end) / DAY) - firstOrd);
  const perDay = new Map<string, number[]>(deckyOrder.map((n) => [n, new Array<number>(dayCount).fill(0)]));
  const fleetDays = new Array<number>(dayCount).fill(0);
  let events = 0;
  let firstAt: string | null = null;
  let lastAt: string | null = null;

  for (const ev of src.events()) {
    events++;
    firstAt ??= ev.at;
    lastAt = ev.at;
    bump(byKind, ev.kind);
    bump(byAction, ev.action);
    if (ev.contentClass) bump(byClass, ev.contentClass);
    bump(byDecky, ev.decky.name);
    if (ev.persona !== undefined) bump(byPersona, ev.persona);
    const t = Date.parse(ev.at);
    if (ev.persona !== undefined && ev.job === undefined && USER_CLASSES.has(ev.contentClass ?? '')) {
      const i = Math.floor(t / DAY) - firstOrd;
      const row = perDay.get(ev.decky.name);
      if (row && i >= 0 && i < dayCount) {
        row[i]!++;
        fleetDays[i]!++;
      }
    }
    const utcHour = utcHourOf(t);
    if (ev.kind === 'quiet') {
      quietByHour[utcHour]!++;
      continue;
    }
    const zone = ev.persona !== undefined ? zones.get(ev.persona) : undefined;
    const hour = zone && zone !== 'UTC' ? hourIn(zone, t) : utcHour;
    byHour[hour]!++;
    let row = heat.get(ev.decky.name);
    if (!row) {
      row = new Array<number>(24).fill(0);
      heat.set(ev.decky.name, row);
      deckyOrder.push(ev.decky.name);
    }
    row[utcHour]!++;
    if (ev.canary) {
      canaries.push({
        at: ev.at,
        decky: ev.decky.name,
        generator: ev.canary.generator,
        kind: ev.canary.kind,
        path: ev.path ?? '',
        mode: ev.mode ?? '',
        owner: ev.owner ?? '',
        mtime: ev.mtime ?? '',
        tokenId: ev.canary.tokenId,
        slug: ev.canary.slug,
        callback: ev.canary.callback,
      });
    }
  }
  return {
    source: src.label,
    seed: src.header.seed,
    start: src.inputs.start,
    end: src.inputs.end,
    events,
    firstAt,
    lastAt,
    byKind: sorted(byKind),
    byAction: sorted(byAction),
    byClass: sorted(byClass),
    byDecky: sorted(byDecky),
    byPersona: sorted(byPersona),
    byHour,
    quietByHour,
    heatmap: { deckies: deckyOrder, hours: deckyOrder.map((n) => heat.get(n)!) },
    canaries,
    calendar: (() => {
      const marks = calendarMarks(src.inputs, src.header.seed ?? null, firstOrd, dayCount);
      const names = src.inputs.fleet.map((d) => d.name);
      return {
        days: Array.from({ length: dayCount }, (_, i) => new Date((firstOrd + i) * DAY).toISOString().slice(0, 10)),
        deckies: names,
        counts: names.map((n) => perDay.get(n)!),
        marks: names.map((n) => marks.get(n)!),
        fleet: fleetDays,
      };
    })(),
  };
}

/** Deckies listed one by one in the text calendar at most; beyond, the fleet row alone. */
export const CALENDAR_MAX_ROWS = 50;

/** The text calendar: a strip per decky (and the fleet), holidays and days away marked below each. */
export function renderCalendar(c: CalendarStrip): string[] {
  if (c.days.length === 0) return [];
  const rows = c.deckies.length <= CALENDAR_MAX_ROWS ? c.deckies.map((d, i) => [d, i] as const) : [];
  const w = Math.max(5, ...rows.map(([d]) => d.length));
  const out = [`calendar (persona file events per UTC day, ${c.days[0]} to ${c.days[c.days.length - 1]}, one character a day, \u2588 the row's busiest; below: H holiday of all the decky's personas, h of some, v a persona away):`];
  out.push(`  ${'fleet'.padEnd(w)}  |${strip(c.fleet)}|`);
  for (const [d, i] of rows) {
    out.push(`  ${d.padEnd(w)}  |${strip(c.counts[i]!)}|`);
    if (/[Hhv]/.test(c.marks[i]!)) out.push(`  ${''.padEnd(w)}   ${c.marks[i]!.replace(/\./g, ' ')}`);
  }
  return out;
}

function table(title: string, m: Record<string, number>, total: number): string[] {
  const rows = Object.entries(m);
  if (rows.length === 0) return [];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [`${title}:`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(7)}  ${total > 0 ? ((v / total) * 100).toFixed(1).padStart(5) : '  0.0'}%`)];
}

/** The default text report, with a bar chart of activity per hour. */
export function renderStats(r: StatsReport): string {
  const out: string[] = [];
  out.push(`${r.source}: seed ${r.seed}, ${r.start} to ${r.end}, ${r.events} events`);
  out.push(...table('per kind', r.byKind, r.events));
  out.push(...table('per action', r.byAction, r.events));
  const files = Object.values(r.byClass).reduce((a, b) => a + b, 0);
  out.push(...table('per class', r.byClass, files));
  out.push(...table('per decky', r.byDecky, r.events));
  out.push(...table('per persona', r.byPersona, Object.values(r.byPersona).reduce((a, b) => a + b, 0)));
  out.push('activity per hour of day (file and traffic events; persona events in the persona\'s time zone, the rest UTC):');
  const max = Math.max(1, ...r.byHour);
  const width = 50;
  r.byHour.forEach((n, h) => {
    const len = (n / max) * width;
    const full = Math.floor(len);
    const bar = '\u2588'.repeat(full) + (len - full >= 0.5 ? '\u258c' : '');
    out.push(`  ${String(h).padStart(2, '0')}  ${bar.padEnd(width + 1)} ${n}`);
  });
  out.push(...renderCalendar(r.calendar));
  out.push(`canaries (${r.canaries.length}):`);
  for (const c of r.canaries) out.push(`  ${c.at}  ${c.decky}  ${c.generator}  ${c.path}  ${c.mode}  ${c.callback}`);
  return out.join('\n') + '\n';
}
