// Running counts for the timeline's closing summary (SPEC 6), built while events stream past.
import type { CanaryToken, TimelineEvent, TimelineSummary } from './types.js';

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
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

  add(ev: TimelineEvent): void {
    this.events++;
    bump(this.byKind, ev.kind);
    bump(this.byAction, ev.action);
    if (ev.contentClass) bump(this.byClass, ev.contentClass);
    bump(this.byDecky, ev.decky.name);
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

  /** Counts and tokens for merging (tokens carry their timeline sort key). */
  parts(): SummaryParts {
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
      for (const [k, n] of p.byKind) b.byKind.set(k, (b.byKind.get(k) ?? 0) + n);
      for (const [k, n] of p.byAction) b.byAction.set(k, (b.byAction.get(k) ?? 0) + n);
      for (const [k, n] of p.byClass) b.byClass.set(k, (b.byClass.get(k) ?? 0) + n);
      for (const [k, n] of p.byDecky) b.byDecky.set(k, (b.byDecky.get(k) ?? 0) + n);
    }
    const tokens = all.flatMap((p) => p.tokens);
    tokens.sort((x, y) => x.ms - y.ms || (x.uuid < y.uuid ? -1 : x.uuid > y.uuid ? 1 : x.tick - y.tick));
    b.tokens.push(...tokens.map((t) => t.token));
    return b.build(diagnostics);
  }

  build(diagnostics: string[]): TimelineSummary {
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
