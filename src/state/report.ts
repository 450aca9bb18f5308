// `decnet-sim state FILE`: what a state file says, read without locking or writing it. Pending
// counts come from re-planning the recorded seed and inputs (up to now for a --follow run).
import { InputError } from '../errors.js';
import type { PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { planEvents } from '../sim/plan.js';
import { LiveState } from './records.js';
import { StateStore } from './store.js';
import { escapeControls } from '../util/text.js';

export interface StateReport {
  file: string;
  seed: string | null;
  source: string | null;
  start: string | null;
  end: string | null;
  inputsSha256: string | null;
  inputs: unknown;
  deckies: Array<{ decky: string; applied: number; diverged: number; failed: number; rejected: number; skipped: number; pending: number | null; lastEvent: string | null; lastAt: string | null }>;
  divergences: Array<{ decky: string; path: string; at: string; reason: string; expectedSha256: string | null; foundSha256: string | null; detectedAt: string }>;
  canaries: Array<{ tokenId: string; decky: string; generator: string; kind: string; path: string; slug: string; callback: string; plantedAt: string; state: string; error: string | null }>;
  logins: Array<{ decky: string; login: string; status: string }>;
  /** Hostname and users `run` read from the containers and planned with, by decky (null: none recorded). */
  hostFacts: Record<string, unknown> | null;
  heartbeats: Array<{ time: string; applied: number; failures: number; nextEvent: string | null }>;
}

export async function stateReport(file: string, nowMs: number): Promise<StateReport> {
  const store = await StateStore.open(file, { create: false });
  try {
    const live = new LiveState(store, () => nowMs);
    const id = live.identity();
    const cursors = store.all<{ decky: string; tick: number; event_id: string; at: string; applied: number; diverged: number; failed: number; rejected: number; skipped: number }>('SELECT * FROM decky_cursor ORDER BY decky');
    let pending: Map<string, number> | null = null;
    let inputs: unknown = null;
    if (id) {
      try {
        inputs = JSON.parse(id.inputs);
      } catch {
        throw new InputError(`${file}: the recorded inputs are not JSON`);
      }
      pending = new Map();
      const p = inputs as PlanInputs;
      const until = id.source === 'follow' ? Math.min(Date.parse(p.end), nowMs) : Date.parse(p.end);
      for (const d of p.fleet) pending.set(d.name, 0);
      for (const ev of planEvents(buildContext(id.seed, p))) {
        if (Date.parse(ev.at) > until) break;
        if (!p.quiet && ev.kind === 'quiet') continue;
        if (!live.isDone(ev)) pending.set(ev.decky.name, (pending.get(ev.decky.name) ?? 0) + 1);
      }
    }
    const names = [...new Set([...cursors.map((c) => c.decky), ...(pending?.keys() ?? [])])].sort();
    return {
      file,
      seed: id?.seed ?? null,
      source: id?.source ?? null,
      start: id?.start ?? null,
      end: id?.end ?? null,
      inputsSha256: id?.inputsSha256 ?? null,
      inputs,
      deckies: names.map((n) => {
        const c = cursors.find((x) => x.decky === n);
        return { decky: n, applied: c?.applied ?? 0, diverged: c?.diverged ?? 0, failed: c?.failed ?? 0, rejected: c?.rejected ?? 0, skipped: c?.skipped ?? 0, pending: pending?.get(n) ?? null, lastEvent: c?.event_id || null, lastAt: c?.at || null };
      }),
      divergences: store
        .all<{ decky: string; path: string; at: string; reason: string; expected_sha256: string | null; found_sha256: string | null; detected_at: string }>('SELECT * FROM divergences ORDER BY at, decky, path')
        .map((d) => ({ decky: d.decky, path: d.path, at: d.at, reason: d.reason, expectedSha256: d.expected_sha256, foundSha256: d.found_sha256, detectedAt: d.detected_at })),
      canaries: store
        .all<{ token_id: string; decky: string; generator: string; kind: string; path: string; slug: string; callback: string; planted_at: string; state: string; error: string | null }>('SELECT * FROM canary_tokens ORDER BY planted_at, token_id')
        .map((t) => ({ tokenId: t.token_id, decky: t.decky, generator: t.generator, kind: t.kind, path: t.path, slug: t.slug, callback: t.callback, plantedAt: t.planted_at, state: t.state, error: t.error })),
      logins: store.all<{ decky: string; login: string; status: string }>('SELECT decky, login, status FROM logins ORDER BY decky, login'),
      hostFacts: live.hostFacts(),
      heartbeats: store.all<{ time: string; applied: number; failures: number; next_event: string | null }>('SELECT * FROM heartbeat ORDER BY time DESC LIMIT 10').map((h) => ({ time: h.time, applied: h.applied, failures: h.failures, nextEvent: h.next_event })),
    };
  } finally {
    store.close({ save: false });
  }
}

export function renderStateReport(r: StateReport): string {
  const out: string[] = [];
  out.push(`state ${r.file}: ${r.source ?? 'unbound'} run, seed ${JSON.stringify(r.seed)}, ${r.start} to ${r.end}, inputs sha256 ${r.inputsSha256?.slice(0, 12) ?? '-'}...`);
  const w = Math.max(5, ...r.deckies.map((d) => d.decky.length));
  out.push(`  ${'decky'.padEnd(w)}  applied  pending  diverged  failed  rejected  skipped  last event`);
  for (const d of r.deckies) {
    out.push(`  ${d.decky.padEnd(w)}  ${String(d.applied).padStart(7)}  ${String(d.pending ?? '?').padStart(7)}  ${String(d.diverged).padStart(8)}  ${String(d.failed).padStart(6)}  ${String(d.rejected).padStart(8)}  ${String(d.skipped).padStart(7)}  ${d.lastAt ?? '-'}`);
  }
  out.push(`divergences: ${r.divergences.length}`);
  for (const d of r.divergences) out.push(`  ${d.at}  ${d.decky}  ${d.path}  ${d.reason}`);
  out.push(`canary tokens: ${r.canaries.length}`);
  for (const t of r.canaries) out.push(`  ${t.tokenId}  ${t.state.padEnd(7)}  ${t.decky}  ${t.kind}  ${t.path}  ${t.slug}`);
  if (r.logins.length) out.push(`logins: ${r.logins.map((l) => `${l.decky}/${l.login} ${l.status}`).join(', ')}`);
  if (r.hostFacts) {
    const parts = Object.entries(r.hostFacts).map(([n, f]) => {
      const o = (f ?? {}) as { hostname?: string | null; users?: Record<string, { uid: number; gid: number }> | null; error?: string };
      if (o.error) return `${n}: not read (${o.error}), fleet defaults`;
      const users = o.users ? Object.entries(o.users).map(([l, u]) => `${l} ${u.uid}:${u.gid}`).join(' ') : '-';
      return `${n}: hostname ${o.hostname ?? '(the decky name)'}, users ${users || 'none'}`;
    });
    out.push(`host facts read from the containers: ${parts.length === 0 ? 'none' : parts.join('; ')}`);
  }
  out.push(`heartbeats: ${r.heartbeats.length === 0 ? 'none' : r.heartbeats.map((h) => `${h.time} (applied ${h.applied}, failures ${h.failures}, next ${h.nextEvent ?? '-'})`).slice(0, 3).join('; ')}`);
  return out.map(escapeControls).join('\n') + '\n';
}
