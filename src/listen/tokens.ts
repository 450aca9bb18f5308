// The listener's token table: every planted lure, by slug. Callback shapes vary per deployment
// and per lure (src/canary/callback.ts), so attribution never parses a URL shape: each [a-z0-9]
// run of the request (path, query, DNS labels) of a slug's possible length is looked up here.
/** Slug lengths (src/canary/callback.ts draws 10 to 20 characters). */
const SLUG_MIN = 10;
const SLUG_MAX = 20;
import { openTimeline } from '../timeline/read.js';
import type { TimelineEvent } from '../timeline/types.js';

export interface TokenInfo {
  tokenId: string;
  slug: string;
  decky: string;
  path: string;
  persona: string | null;
  generator: string;
  kind: string;
  callback: string;
  plantedAt: string;
  /** `planned` (from a timeline) or the state's pending / planted / failed. */
  state: string;
  /** Where the token came from (a timeline file or the state file). */
  source: string;
}

export class TokenTable {
  private readonly bySlug = new Map<string, TokenInfo>();
  /** The DNS zones and HTTP bases of the plans the tokens came from. */
  readonly zones = new Set<string>();
  readonly httpBases = new Set<string>();

  get size(): number {
    return this.bySlug.size;
  }

  add(t: TokenInfo): void {
    // A state row (what really happened) wins over the plan's `planned`.
    const had = this.bySlug.get(t.slug);
    if (had && had.state !== 'planned' && t.state === 'planned') return;
    this.bySlug.set(t.slug, t);
  }

  get(slug: string): TokenInfo | undefined {
    return this.bySlug.get(slug);
  }

  /**
   * The first known token in a request string (a URL, a DNS name), if any: each maximal run of
   * ASCII letters and digits of a slug's length, lowercased, is looked up (the runs
   * `slugCandidates` gives, found in one pass without splitting the string).
   */
  find(text: string): TokenInfo | undefined {
    const n = text.length;
    let start = -1;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 0;
      const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
      if (word) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) {
        const len = i - start;
        if (len >= SLUG_MIN && len <= SLUG_MAX) {
          const t = this.bySlug.get(text.slice(start, i).toLowerCase());
          if (t) return t;
        }
        start = -1;
      }
    }
    return undefined;
  }

  list(): TokenInfo[] {
    return [...this.bySlug.values()].sort((a, b) => (a.plantedAt < b.plantedAt ? -1 : a.plantedAt > b.plantedAt ? 1 : a.tokenId < b.tokenId ? -1 : 1));
  }
}

export function tokenFromEvent(ev: TimelineEvent, source: string, state = 'planned'): TokenInfo | null {
  if (!ev.canary || ev.action !== 'file:create') return null;
  return {
    tokenId: ev.canary.tokenId,
    slug: ev.canary.slug,
    decky: ev.decky.name,
    path: ev.path!,
    persona: ev.persona ?? null,
    generator: ev.canary.generator,
    kind: ev.canary.kind,
    callback: ev.canary.callback,
    plantedAt: ev.at,
    state,
    source,
  };
}

/** Every lure of a timeline file (streamed; only canary creates are kept). */
export async function loadTimelineTokens(table: TokenTable, file: string): Promise<number> {
  const r = await openTimeline(file);
  const c = r.header.inputs.config.canary;
  if (c.dnsZone) table.zones.add(c.dnsZone);
  if (c.httpBase) table.httpBases.add(c.httpBase);
  let n = 0;
  for await (const ev of r.events()) {
    const t = tokenFromEvent(ev, file);
    if (t) {
      table.add(t);
      n++;
    }
  }
  return n;
}
