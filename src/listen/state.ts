// The listener's side of the state database: it reads the lures `run` recorded
// (canary_tokens) and records what it hears in canary_triggers (part of the state schema,
// src/state/schema.ts), as typed journal operations.
//
// The state is single-writer (its lock file): the listener reads it without the lock, and
// writes triggers in short locked transactions. While another process holds the lock (a
// `run --follow` on the same file), triggers wait in a bounded queue and are retried; stdout and
// the webhooks get them at once either way.
import { StateStore } from '../state/store.js';
import type { Trigger } from './trigger.js';
import { type TokenTable } from './tokens.js';

/** Add every token the state recorded to the table; the plan's inputs give the zone and base. */
export async function loadStateTokens(table: TokenTable, file: string): Promise<number> {
  const store = await StateStore.open(file, { create: false });
  try {
    const inputs = store.getMeta('inputs');
    if (inputs) {
      try {
        const c = JSON.parse(inputs).config?.canary;
        if (typeof c?.dnsZone === 'string') table.zones.add(c.dnsZone);
        if (typeof c?.httpBase === 'string') table.httpBases.add(c.httpBase);
      } catch {
        /* an identity without inputs: tokens still load */
      }
    }
    const rows = store.all<{ token_id: string; decky: string; generator: string; kind: string; path: string; slug: string; callback: string; planted_at: string; state: string }>(
      'SELECT token_id, decky, generator, kind, path, slug, callback, planted_at, state FROM canary_tokens ORDER BY planted_at, token_id',
    );
    for (const r of rows) {
      table.add({ tokenId: r.token_id, slug: r.slug, decky: r.decky, path: r.path, persona: null, generator: r.generator, kind: r.kind, callback: r.callback, plantedAt: r.planted_at, state: r.state, source: file });
    }
    return rows.length;
  } finally {
    store.close({ save: false });
  }
}

/** Triggers recorded in a state file (for `tokens`): count and last time per token. */
export async function stateTriggerCounts(file: string): Promise<Map<string, { count: number; last: string }>> {
  const store = await StateStore.open(file, { create: false });
  try {
    const has = store.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'canary_triggers'");
    const out = new Map<string, { count: number; last: string }>();
    if (has.length === 0) return out;
    for (const r of store.all<{ token_id: string; n: number; last: string }>('SELECT token_id, COUNT(*) AS n, MAX(at) AS last FROM canary_triggers GROUP BY token_id')) {
      out.set(r.token_id, { count: Number(r.n), last: r.last });
    }
    return out;
  } finally {
    store.close({ save: false });
  }
}

export class TriggerRecorder {
  private readonly queue: Trigger[] = [];
  dropped = 0;
  recorded = 0;
  lastError: string | null = null;
  private busy = false;

  constructor(
    readonly file: string,
    private readonly max = 10_000,
  ) {}

  push(t: Trigger): void {
    if (this.queue.length >= this.max) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(t);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Write what is queued in one locked transaction; on a busy lock keep it for the next try. */
  async flush(): Promise<void> {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const batch = this.queue.slice();
    try {
      const store = await StateStore.open(this.file);
      try {
        store.commit(
          batch.map((t) => ({ t: 'trigger', at: t.at, token: t.tokenId, slug: t.slug, decky: t.decky, path: t.path, generator: t.generator, protocol: t.protocol, address: t.source.address, port: t.source.port, detail: JSON.stringify(t) })),
        );
        store.save();
      } finally {
        store.close({ save: false });
      }
      this.queue.splice(0, batch.length);
      this.recorded += batch.length;
      this.lastError = null;
    } catch (e) {
      this.lastError = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
