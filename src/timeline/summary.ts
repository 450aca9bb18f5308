// Running counts for the timeline's closing summary (SPEC 6), built while events stream past.
import type { CanaryToken, TimelineEvent, TimelineSummary } from './types.js';

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}

function add(m: Map<string, number>, k: string, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** A summary's counts, as passed between threads and merged. */
export interface SummaryParts {
  events: number;
  byKind: Array<[string, number]>;
  byAction: Array<[string, number]>;
  byClass: Array<[string, number]>;
  byDecky: Array<[string, number]>;
  tokens: Array<{ ms: number; uuid: string; tick: number; token: CanaryToken }>;
}

export class SummaryBuilder {
  private events = 0;
  private readonly byKind = new Map<string, number>();
  private readonly byAction = new Map<string, number>();
  private readonly byClass = new Map<string, number>();
  private readonly byDecky = new Map<string, number>();
  private readonly tokens: CanaryToken[] = [];
  private readonly tokenTicks: number[] = [];
  // Counts not yet folded into the maps above: per decky name, one counter per distinct
  // (kind, action, class). A lookup and a short scan per event instead of four map updates.
  private readonly combos: Array<{ kind: string; action: string; cls: string | undefined }> = [];
  private readonly pending = new Map<string, number[]>();

  add(ev: TimelineEvent): void {
    this.events++;
    let counts = this.pending.get(ev.decky.name);
    if (counts === undefined) this.pending.set(ev.decky.name, (counts = []));
    const { kind, action, contentClass } = ev;
    const combos = this.combos;
    let i = 0;
    while (i < combos.length && !(combos[i]!.action === action && combos[i]!.cls === contentClass && combos[i]!.kind === kind)) i++;
    if (i === combos.length) combos.push({ kind, action, cls: contentClass });
    counts[i] = (counts[i] ?? 0) + 1;
    if (ev.canary) {
      this.tokenTicks.push(ev.tick);
      this.tokens.push({
        tokenId: ev.canary.tokenId,
        decky: ev.decky,
        generator: ev.canary.generator,
        kind: ev.canary.kind,
        path: ev.path!,
        slug: ev.canary.slug,
        callback: ev.canary.callback,
        plantedAt: ev.at,
        state: 'planned',
      });
    }
  }

  private fold(): void {
    for (const [name, counts] of this.pending) {
      let total = 0;
      counts.forEach((n, i) => {
        const c = this.combos[i]!;
        add(this.byKind, c.kind, n);
        add(this.byAction, c.action, n);
        if (c.cls) add(this.byClass, c.cls, n);
        total += n;
      });
      add(this.byDecky, name, total);
    }
    this.pending.clear();
  }

  /** Counts and tokens for merging (tokens carry their timeline sort key). */
  parts(): SummaryParts {
    this.fold();
    return {
      events: this.events,
      byKind: [...this.byKind],
      byAction: [...this.byAction],
      byClass: [...this.byClass],
      byDecky: [...this.byDecky],
      tokens: this.tokens.map((token, i) => ({ ms: Date.parse(token.plantedAt), uuid: token.decky.uuid, tick: this.tokenTicks[i]!, token })),
    };
  }

  /** Merge parts from other builders (the parallel planner's shards). */
  static merge(all: SummaryParts[], diagnostics: string[]): TimelineSummary {
    const b = new SummaryBuilder();
    for (const p of all) {
      b.events += p.events;
      for (const [k, n] of p.byKind) add(b.byKind, k, n);
      for (const [k, n] of p.byAction) add(b.byAction, k, n);
      for (const [k, n] of p.byClass) add(b.byClass, k, n);
      for (const [k, n] of p.byDecky) add(b.byDecky, k, n);
    }
    const tokens = all.flatMap((p) => p.tokens);
    tokens.sort((x, y) => x.ms - y.ms || (x.uuid < y.uuid ? -1 : x.uuid > y.uuid ? 1 : x.tick - y.tick));
    b.tokens.push(...tokens.map((t) => t.token));
    return b.build(diagnostics);
  }

  build(diagnostics: string[]): TimelineSummary {
    this.fold();
    return {
      events: this.events,
      byKind: sorted(this.byKind),
      byAction: sorted(this.byAction),
      byClass: sorted(this.byClass),
      byDecky: sorted(this.byDecky),
      canaryTokens: this.tokens,
      diagnostics,
    };
  }
}
