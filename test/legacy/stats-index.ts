// Reference copy of src as it was before the one-pass reader (issue 17), kept only so
// test/reader-equivalence.test.ts can show that results and exit codes did not change.
// `stats`: a summary of a timeline, streamed: counts per kind, action, class, decky and persona,
// activity per hour of day (persona events in the persona's time zone, the rest in UTC), a
// decky x hour (UTC) matrix for the heatmap, and the canary list.
import { DateTime } from 'luxon';
import type { TimelineSource } from './check-source.js';
// The calendar strip came after the reader change; the reference counts it in its own loop and
// takes only the holiday marks from src.
import { calendarMarks } from '../../src/stats/index.js';

const DAY_MS = 86_400_000;
const USER_FILE_CLASSES: ReadonlySet<string> = new Set(['note', 'todo', 'draft', 'script']);

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
  calendar: { days: string[]; deckies: string[]; counts: number[][]; marks: string[]; fleet: number[] };
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out[k] = v;
  return out;
}

export async function computeStats(src: TimelineSource): Promise<StatsReport> {
  const zones = new Map(src.inputs.personas.map((p) => [p.name, p.timezone]));
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
  const firstOrd = Math.floor(Date.parse(src.inputs.start) / DAY_MS);
  const dayCount = Math.max(0, Math.ceil(Date.parse(src.inputs.end) / DAY_MS) - firstOrd);
  const names = src.inputs.fleet.map((d) => d.name);
  const perDay = new Map<string, number[]>(names.map((n) => [n, new Array<number>(dayCount).fill(0)]));

  for await (const ev of src.events()) {
    events++;
    firstAt ??= ev.at;
    lastAt = ev.at;
    bump(byKind, ev.kind);
    bump(byAction, ev.action);
    if (ev.contentClass) bump(byClass, ev.contentClass);
    bump(byDecky, ev.decky.name);
    if (ev.persona !== undefined) bump(byPersona, ev.persona);
    const t = Date.parse(ev.at);
    if (ev.persona !== undefined && ev.job === undefined && USER_FILE_CLASSES.has(ev.contentClass ?? '')) {
      const row = perDay.get(ev.decky.name);
      const i = Math.floor(t / DAY_MS) - firstOrd;
      if (row && i >= 0 && i < dayCount) row[i]!++;
    }
    const utcHour = new Date(t).getUTCHours();
    if (ev.kind === 'quiet') {
      quietByHour[utcHour]!++;
      continue;
    }
    const zone = ev.persona !== undefined ? zones.get(ev.persona) : undefined;
    const hour = zone && zone !== 'UTC' ? DateTime.fromMillis(t, { zone }).hour : utcHour;
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
      const counts = names.map((n) => perDay.get(n)!);
      return {
        days: Array.from({ length: dayCount }, (_, i) => new Date((firstOrd + i) * DAY_MS).toISOString().slice(0, 10)),
        deckies: names,
        counts,
        marks: names.map((n) => marks.get(n)!),
        fleet: Array.from({ length: dayCount }, (_, i) => counts.reduce((a, r) => a + r[i]!, 0)),
      };
    })(),
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
