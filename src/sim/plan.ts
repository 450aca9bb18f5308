// The planner: every decky's event stream merged into SPEC 6 order (time, decky uuid, tick).
// A generator: events are produced one at a time, memory is bounded by the fleet's live state.
import type { Decky, PlanInputs } from '../inputs/types.js';
import type { TimelineEvent } from '../timeline/types.js';
import { type SimContext, buildContext } from './context.js';
import { DeckySim } from './decky.js';

interface Head {
  ms: number;
  ev: TimelineEvent;
  sim: DeckySim;
}

export function before(a: { ms: number; ev: TimelineEvent }, b: { ms: number; ev: TimelineEvent }): boolean {
  if (a.ms !== b.ms) return a.ms < b.ms;
  if (a.ev.decky.uuid !== b.ev.decky.uuid) return a.ev.decky.uuid < b.ev.decky.uuid;
  return a.ev.tick < b.ev.tick;
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
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  /** Replace the top with h (or remove it when h is null) and restore order. */
  replaceTop(h: Head | null): void {
    const a = this.items;
    if (h === null) {
      const last = a.pop()!;
      if (a.length === 0) return;
      a[0] = last;
    } else a[0] = h;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
  top(): Head {
    return this.items[0]!;
  }
}

function head(sim: DeckySim): Head | null {
  const ev = sim.next();
  return ev === null ? null : { ms: sim.now, ev, sim };
}

/**
 * Events of the given deckies (default: the whole fleet) in timeline order, as a cursor: each
 * call of next() returns the next event or null; `ms` is that event's time in epoch ms.
 */
export class EventCursor {
  private readonly heap = new HeadHeap();
  ms = 0;

  constructor(ctx: SimContext, deckies: readonly Decky[] = ctx.inputs.fleet) {
    for (const d of deckies) {
      const h = head(new DeckySim(ctx, d));
      if (h) this.heap.push(h);
    }
  }

  next(): TimelineEvent | null {
    if (this.heap.size === 0) return null;
    const top = this.heap.top();
    const ev = top.ev;
    this.ms = top.ms;
    this.heap.replaceTop(head(top.sim));
    return ev;
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
