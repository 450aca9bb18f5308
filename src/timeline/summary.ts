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

export class SummaryBuilder {
  private events = 0;
  private readonly byKind = new Map<string, number>();
  private readonly byAction = new Map<string, number>();
  private readonly byClass = new Map<string, number>();
  private readonly byDecky = new Map<string, number>();
  private readonly tokens: CanaryToken[] = [];

  add(ev: TimelineEvent): void {
    this.events++;
    bump(this.byKind, ev.kind);
    bump(this.byAction, ev.action);
    if (ev.contentClass) bump(this.byClass, ev.contentClass);
    bump(this.byDecky, ev.decky.name);
    if (ev.canary) {
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
