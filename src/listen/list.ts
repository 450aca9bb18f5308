// `tokens`: the lures of timelines and/or a state, with what the listener heard of each.
import { InputError } from '../errors.js';
import { loadStateTokens, stateTriggerCounts } from './state.js';
import { loadTimelineTokens, TokenTable } from './tokens.js';

export interface TokenRow {
  tokenId: string;
  decky: string;
  path: string;
  class: string;
  kind: string;
  slug: string;
  callback: string;
  plantedAt: string;
  state: string;
  triggers: number;
  lastTrigger: string | null;
}

export async function listTokens(timelines: string[], state: string | undefined): Promise<TokenRow[]> {
  if (timelines.length === 0 && !state) throw new InputError('give --timeline FILE and/or --state FILE');
  const table = new TokenTable();
  for (const f of timelines) await loadTimelineTokens(table, f);
  let counts = new Map<string, { count: number; last: string }>();
  if (state) {
    await loadStateTokens(table, state);
    counts = await stateTriggerCounts(state);
  }
  return table.list().map((t) => ({
    tokenId: t.tokenId,
    decky: t.decky,
    path: t.path,
    class: `canary_${t.generator}`,
    kind: t.kind,
    slug: t.slug,
    callback: t.callback,
    plantedAt: t.plantedAt,
    state: t.state,
    triggers: counts.get(t.tokenId)?.count ?? 0,
    lastTrigger: counts.get(t.tokenId)?.last ?? null,
  }));
}

export function renderTokens(rows: TokenRow[]): string {
  if (rows.length === 0) return 'no tokens\n';
  const head = ['token', 'decky', 'path', 'class', 'state', 'triggers', 'callback'];
  const cells = rows.map((r) => [r.tokenId, r.decky, r.path, r.class, r.state, String(r.triggers), r.callback]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(w[i]!))).join('  ');
  return [line(head), ...cells.map(line)].join('\n') + '\n';
}
