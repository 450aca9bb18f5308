// `stats`: a summary of a timeline, streamed: counts per kind, action, class, decky and persona,
// activity per hour of day (persona events in the persona's time zone, the rest in UTC), a
// decky x hour (UTC) matrix for the heatmap, and the canary list.
import { DateTime } from 'luxon';
import type { TimelineSource } from '../check/source.js';

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
  };
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
  out.push(`canaries (${r.canaries.length}):`);
  for (const c of r.canaries) out.push(`  ${c.at}  ${c.decky}  ${c.generator}  ${c.path}  ${c.mode}  ${c.callback}`);
  return out.join('\n') + '\n';
}
