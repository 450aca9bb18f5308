// The planner: every decky's event stream merged into SPEC 6 order (time, decky uuid, tick).
// A generator: events are produced one at a time, memory is bounded by the fleet's live state.
import type { Decky, PlanInputs } from '../inputs/types.js';
import type { TimelineEvent } from '../timeline/types.js';
import { type SimContext, buildContext } from './context.js';
import { DeckySim } from './decky.js';
import { FleetTraffic } from './fleet-traffic.js';

interface Head {
  ms: number;
  /** Null until the decky is first asked (ms is then the horizon's start, a lower bound). */
  ev: TimelineEvent | null;
  sim: DeckySim;
  /** Rank of the decky uuid in uuid order: an integer compare instead of a string one. */
  rank: number;
}

export function before(a: { ms: number; ev: TimelineEvent }, b: { ms: number; ev: TimelineEvent }): boolean {
  if (a.ms !== b.ms) return a.ms < b.ms;
  if (a.ev.decky.uuid !== b.ev.decky.uuid) return a.ev.decky.uuid < b.ev.decky.uuid;
  return a.ev.tick < b.ev.tick;
}

// Same order as before(): uuid ranks sort like the uuid strings.
function headBefore(a: Head, b: Head): boolean {
  if (a.ms !== b.ms) return a.ms < b.ms;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.ev!.tick < b.ev!.tick;
}

/** A binary min-heap of decky heads. */
class HeadHeap {
  private readonly items: Head[] = [];
  get size(): number {
    return this.items.length;
  }
  push(h: Head): void {
    const a = this.items;
    a.push(h);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!headBefore(a[i]!, a[p]!)) break;
      const t = a[i]!;
      a[i] = a[p]!;
      a[p] = t;
      i = p;
    }
  }
  /** Restore order after the top head changed, or remove it (when `remove`). */
  siftTop(remove: boolean): void {
    const a = this.items;
    if (remove) {
      const last = a.pop()!;
      if (a.length === 0) return;
      a[0] = last;
    }
    const n = a.length;
    const h = a[0]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && headBefore(a[r]!, a[l]!) ? r : l;
      if (!headBefore(a[m]!, h)) break;
      a[i] = a[m]!;
      i = m;
    }
    a[i] = h;
  }
  top(): Head {
    return this.items[0]!;
  }
}

/** Advance a head to its decky's next event; false once the decky is done. */
function advance(h: Head): boolean {
  const ev = h.sim.next();
  if (ev === null) return false;
  h.ev = ev;
  h.ms = h.sim.now;
  return true;
}

/**
 * Events of the given deckies (default: the whole fleet) in timeline order, as a cursor: each
 * call of next() returns the next event or null; `ms` is that event's time in epoch ms.
 */
export class EventCursor {
  private readonly heap = new HeadHeap();
  ms = 0;

  constructor(ctx: SimContext, deckies: readonly Decky[] = ctx.inputs.fleet) {
    const ranks = new Map(ctx.inputs.fleet.map((d) => d.uuid).sort().map((u, i) => [u, i]));
    // Probes between deckies, re-derived for the destinations planned here (any shard gives each
    // destination the same probes).
    const traffic = new FleetTraffic(ctx, deckies);
    // A decky's first event makes its whole pre-history (documents, log archives, homes) at the
    // horizon's start. Asking every decky up front would hold every history at once (over 250 MiB
    // at 1,000 deckies), so a decky is first asked when its turn comes: until then its head sits
    // at the horizon's start, no later than its first event, which keeps the order the same.
    for (const d of deckies) this.heap.push({ ms: ctx.startMs, ev: null, sim: new DeckySim(ctx, d, traffic), rank: ranks.get(d.uuid)! });
  }

  next(): TimelineEvent | null {
    while (this.heap.size > 0) {
      const top = this.heap.top();
      if (top.ev === null) {
        this.heap.siftTop(!advance(top));
        continue;
      }
      const ev = top.ev;
      this.ms = top.ms;
      this.heap.siftTop(!advance(top));
      return ev;
    }
    return null;
  }
}

/** Events of the given deckies (default: the whole fleet) in timeline order. */
export function* planEvents(ctx: SimContext, deckies: readonly Decky[] = ctx.inputs.fleet): Generator<TimelineEvent> {
  const cursor = new EventCursor(ctx, deckies);
  for (let ev = cursor.next(); ev !== null; ev = cursor.next()) yield ev;
}

export interface Plan {
  ctx: SimContext;
  events: Generator<TimelineEvent>;
}

export function plan(seed: string, inputs: PlanInputs): Plan {
  const ctx = buildContext(seed, inputs);
  return { ctx, events: planEvents(ctx) };
}
