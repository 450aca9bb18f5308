// `diff`: two timelines compared event by event. Both are streamed in lockstep in SPEC 6 order
// (at, decky uuid, tick) like a merge join: events of the same decky at the same second are
// matched by what they touch (the path, or kind/action for traffic and quiet ticks). A matched
// pair that differs in any byte is one changed event; the rest are added or removed. Memory is
// bounded: one group of same-second events per side, counts, and the first K events in detail.
// Files are compared by raw line first: a line of B equal to one A has just decoded reuses A's
// event (no second parse, no re-encoding to compare).
import type { TimelineEvent, TimelineHeader } from '../timeline/types.js';
import type { TimelineSource } from '../check/source.js';
import type { TimelineReader } from '../timeline/read.js';

export interface EventBrief {
  /** 0-based position of the event in its timeline. */
  index: number;
  id: string;
  at: string;
  tick: number;
  decky: string;
  kind: string;
  action: string;
  contentClass?: string;
  path?: string;
}

export interface ChangedEvent {
  a: EventBrief;
  b: EventBrief;
  /** Top-level keys whose values differ. */
  fields: string[];
}

export interface CountDelta {
  a: number;
  b: number;
  delta: number;
}

export interface DiffReport {
  a: string;
  b: string;
  identical: boolean;
  inputs: { same: boolean; differences: Array<{ field: string; a: string; b: string }> };
  firstDivergence: { indexA: number; indexB: number; a: EventBrief | null; b: EventBrief | null } | null;
  events: CountDelta;
  byKind: Record<string, CountDelta>;
  byClass: Record<string, CountDelta>;
  byDecky: Record<string, CountDelta>;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** The first `limit` events of each list. */
  details: { limit: number; added: EventBrief[]; removed: EventBrief[]; changed: ChangedEvent[] };
}

interface Item {
  ev: TimelineEvent;
  index: number;
  /** The event's raw line (files only): equal lines are equal events. */
  text: string | null;
}

/**
 * Lines A has decoded that B has not reached yet, in A's order: when B reads the same line it
 * takes A's event instead of parsing its own (only B's order check runs; A's decode already
 * checked that very text). The sides move in lockstep, so B's line is compared with the oldest
 * few lines waiting (plain string comparison; a map keyed by the text would hash every line of
 * both files); lines B skipped past are dropped. Which lines are shared changes no result, only
 * what is parsed twice. Bounded; oldest dropped.
 */
class SharedLines {
  private texts: string[] = [];
  private events: TimelineEvent[] = [];
  private head = 0;
  static readonly CAP = 1 << 14;
  static readonly LOOK = 16;

  put(text: string, ev: TimelineEvent): void {
    this.texts.push(text);
    this.events.push(ev);
    if (this.texts.length - this.head > SharedLines.CAP) this.head++;
    if (this.head >= 4096) {
      this.texts = this.texts.slice(this.head);
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  take(text: string): TimelineEvent | undefined {
    const end = Math.min(this.texts.length, this.head + SharedLines.LOOK);
    for (let i = this.head; i < end; i++) {
      if (this.texts[i] === text) {
        const ev = this.events[i]!;
        this.head = i + 1;
        return ev;
      }
    }
    return undefined;
  }
}

class Side {
  private readonly it: Iterator<TimelineEvent> | null;
  private readonly reader: TimelineReader | null;
  private head: { ev: TimelineEvent; text: string | null } | null | undefined;
  index = 0;
  readonly byKind = new Map<string, number>();
  readonly byClass = new Map<string, number>();
  readonly byDecky = new Map<string, number>();

  constructor(src: TimelineSource, private readonly shared: SharedLines, private readonly role: 'a' | 'b') {
    this.reader = src.reader ?? null;
    this.it = this.reader ? null : src.events()[Symbol.iterator]();
  }

  private pull(): { ev: TimelineEvent; text: string | null } | null {
    const r = this.reader;
    if (!r) {
      const n = this.it!.next();
      return n.done ? null : { ev: n.value, text: null };
    }
    const text = r.nextLine();
    if (text === null) return null;
    if (this.role === 'b') {
      const ev = this.shared.take(text);
      if (ev) return { ev: r.accept(ev), text };
    }
    const ev = r.decode();
    if (this.role === 'a') this.shared.put(text, ev);
    return { ev, text };
  }

  peek(): TimelineEvent | null {
    if (this.head === undefined) this.head = this.pull();
    return this.head ? this.head.ev : null;
  }

  /** All events of the decky at the head's second (usually one). */
  group(): Item[] {
    const first = this.peek();
    if (!first) return [];
    const out: Item[] = [];
    let ev: TimelineEvent | null = first;
    while (ev && ev.at === first.at && ev.decky.uuid === first.decky.uuid) {
      out.push({ ev, index: this.index++, text: this.head!.text });
      bump(this.byKind, ev.kind);
      if (ev.contentClass) bump(this.byClass, ev.contentClass);
      bump(this.byDecky, ev.decky.name);
      this.head = undefined;
      ev = this.peek();
    }
    return out;
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function brief(ev: TimelineEvent, index: number): EventBrief {
  const b: EventBrief = { index, id: ev.id, at: ev.at, tick: ev.tick, decky: ev.decky.name, kind: ev.kind, action: ev.action };
  if (ev.contentClass) b.contentClass = ev.contentClass;
  if (ev.path !== undefined) b.path = ev.path;
  return b;
}

function matchKey(ev: TimelineEvent): string {
  return ev.path !== undefined ? `path:${ev.path}` : `${ev.kind}/${ev.action}`;
}

function changedFields(a: TimelineEvent, b: TimelineEvent): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const ar = a as unknown as Record<string, unknown>;
  const br = b as unknown as Record<string, unknown>;
  return keys.filter((k) => JSON.stringify(ar[k]) !== JSON.stringify(br[k]));
}

function deltas(a: Map<string, number>, b: Map<string, number>): Record<string, CountDelta> {
  const out: Record<string, CountDelta> = {};
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(k) ?? 0;
    const y = b.get(k) ?? 0;
    out[k] = { a: x, b: y, delta: y - x };
  }
  return out;
}

function headerDifferences(a: TimelineHeader, b: TimelineHeader): Array<{ field: string; a: string; b: string }> {
  const out: Array<{ field: string; a: string; b: string }> = [];
  for (const f of ['seed', 'engineVersion', 'generatorVersion', 'inputsSha256'] as const) {
    if (a[f] !== b[f]) out.push({ field: f, a: String(a[f]), b: String(b[f]) });
  }
  const ai = a.inputs as unknown as Record<string, unknown>;
  const bi = b.inputs as unknown as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(ai), ...Object.keys(bi)])]) {
    const x = JSON.stringify(ai[k]);
    const y = JSON.stringify(bi[k]);
    if (x !== y) out.push({ field: `inputs.${k}`, a: short(x), b: short(y) });
  }
  return out;
}

function short(s: string | undefined): string {
  if (s === undefined) return '(absent)';
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export async function diffTimelines(a: TimelineSource, b: TimelineSource, opts: { limit?: number } = {}): Promise<DiffReport> {
  const limit = opts.limit ?? 20;
  const shared = new SharedLines();
  const A = new Side(a, shared, 'a');
  const B = new Side(b, shared, 'b');
  const details: DiffReport['details'] = { limit, added: [], removed: [], changed: [] };
  let added = 0;
  let removed = 0;
  let changed = 0;
  let unchanged = 0;
  let first: DiffReport['firstDivergence'] = null;

  const addEv = (ev: TimelineEvent, index: number): void => {
    added++;
    if (details.added.length < limit) details.added.push(brief(ev, index));
  };
  const removeEv = (ev: TimelineEvent, index: number): void => {
    removed++;
    if (details.removed.length < limit) details.removed.push(brief(ev, index));
  };

  for (;;) {
    const ha = A.peek();
    const hb = B.peek();
    if (!ha && !hb) break;
    const order = !ha ? 1 : !hb ? -1 : cmpGroup(ha, hb);
    const startA = A.index;
    const startB = B.index;
    if (order < 0) {
      const g = A.group();
      if (!first) first = { indexA: g[0]!.index, indexB: startB, a: brief(g[0]!.ev, g[0]!.index), b: hb ? brief(hb, startB) : null };
      for (const x of g) removeEv(x.ev, x.index);
      continue;
    }
    if (order > 0) {
      const g = B.group();
      if (!first) first = { indexA: startA, indexB: g[0]!.index, a: ha ? brief(ha, startA) : null, b: brief(g[0]!.ev, g[0]!.index) };
      for (const x of g) addEv(x.ev, x.index);
      continue;
    }
    const ga = A.group();
    const gb = B.group();
    const rest = [...gb];
    let firstA: Item | null = null;
    let firstB: Item | null = null;
    for (const x of ga) {
      const j = rest.findIndex((y) => matchKey(y.ev) === matchKey(x.ev));
      if (j < 0) {
        removeEv(x.ev, x.index);
        firstA ??= x;
        continue;
      }
      const y = rest.splice(j, 1)[0]!;
      // Equal raw lines (or one shared decoded event) are equal events: no re-encoding.
      if ((x.text !== null && x.text === y.text) || x.ev === y.ev || JSON.stringify(x.ev) === JSON.stringify(y.ev)) {
        unchanged++;
        continue;
      }
      changed++;
      firstA ??= x;
      firstB ??= y;
      if (details.changed.length < limit) details.changed.push({ a: brief(x.ev, x.index), b: brief(y.ev, y.index), fields: changedFields(x.ev, y.ev) });
    }
    for (const y of rest) {
      addEv(y.ev, y.index);
      firstB ??= y;
    }
    if (!first && (firstA || firstB)) {
      first = { indexA: firstA?.index ?? startA, indexB: firstB?.index ?? startB, a: firstA ? brief(firstA.ev, firstA.index) : null, b: firstB ? brief(firstB.ev, firstB.index) : null };
    }
  }

  const inputDiffs = headerDifferences(a.header, b.header);
  const identical = inputDiffs.length === 0 && added === 0 && removed === 0 && changed === 0;
  return {
    a: a.label,
    b: b.label,
    identical,
    inputs: { same: inputDiffs.length === 0, differences: inputDiffs },
    firstDivergence: first,
    events: { a: A.index, b: B.index, delta: B.index - A.index },
    byKind: deltas(A.byKind, B.byKind),
    byClass: deltas(A.byClass, B.byClass),
    byDecky: deltas(A.byDecky, B.byDecky),
    added,
    removed,
    changed,
    unchanged,
    details,
  };
}

/** Order of two groups: by at, then decky uuid (tick is matched within a group). */
function cmpGroup(a: TimelineEvent, b: TimelineEvent): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.decky.uuid !== b.decky.uuid) return a.decky.uuid < b.decky.uuid ? -1 : 1;
  return 0;
}

function line(e: EventBrief): string {
  return `#${e.index} ${e.id} ${e.at} ${e.decky} ${e.action}${e.contentClass ? ` ${e.contentClass}` : ''}${e.path ? ` ${e.path}` : ''}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function renderDiff(r: DiffReport): string {
  const out: string[] = [];
  out.push(`A: ${r.a}`);
  out.push(`B: ${r.b}`);
  if (r.identical) {
    out.push(`identical: same inputs, ${r.events.a} events, no difference`);
    return out.join('\n') + '\n';
  }
  if (r.inputs.same) out.push('inputs: same (seed, inputs, engine and generator versions)');
  else {
    out.push('inputs differ:');
    for (const d of r.inputs.differences) out.push(`  ${d.field}: ${d.a} -> ${d.b}`);
  }
  const f = r.firstDivergence;
  if (f) {
    out.push(`first divergence: event #${f.indexA} of A, #${f.indexB} of B`);
    out.push(`  A: ${f.a ? line(f.a) : '(no event)'}`);
    out.push(`  B: ${f.b ? line(f.b) : '(no event)'}`);
  }
  out.push(`events: ${r.events.a} -> ${r.events.b} (${signed(r.events.delta)}): ${r.added} added, ${r.removed} removed, ${r.changed} changed, ${r.unchanged} unchanged`);
  const table = (title: string, m: Record<string, CountDelta>): void => {
    const rows = Object.entries(m).filter(([, d]) => d.delta !== 0);
    if (rows.length === 0) return;
    out.push(`${title} (A -> B):`);
    const w = Math.max(...rows.map(([k]) => k.length));
    for (const [k, d] of rows) out.push(`  ${k.padEnd(w)}  ${String(d.a).padStart(6)} -> ${String(d.b).padStart(6)}  ${signed(d.delta)}`);
  };
  table('per kind', r.byKind);
  table('per class', r.byClass);
  table('per decky', r.byDecky);
  const list = (title: string, n: number, items: string[]): void => {
    if (n === 0) return;
    out.push(`${title}${n > items.length ? ` (first ${items.length} of ${n})` : ''}:`);
    for (const s of items) out.push(`  ${s}`);
  };
  list('changed', r.changed, r.details.changed.map((c) => `${line(c.a)}  [${c.fields.join(', ')}]${c.a.index !== c.b.index ? ` (B #${c.b.index})` : ''}`));
  list('added (only in B)', r.added, r.details.added.map(line));
  list('removed (only in A)', r.removed, r.details.removed.map(line));
  return out.join('\n') + '\n';
}
