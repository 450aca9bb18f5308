// `run --dry-run`: what a run would do, event by event, touching nothing. By default one readable
// line per event (planned time, decky, action, then what happens: the path with its mode, owner
// and size, the SSH probe's target, or nothing for a quiet tick). With --json one object per
// event: the exact docker argv of each call and what goes on its stdin (the request lines as
// sent, the fixed script and the body by size and sha256, not repeated in full on every line).
import type { Decky } from '../inputs/types.js';
import type { LiveState } from '../state/records.js';
import type { TimelineEvent } from '../timeline/types.js';
import { escapeControls } from '../util/text.js';
import { companionInvocations, invocationFor } from './apply.js';
import type { Invocation } from './docker.js';
import { describeStdin } from './protocol.js';
import { confinement, rootsOf } from './roots.js';
import type { EventSource } from './source.js';
import { UnsafeValue } from './validate.js';

export interface DryRunSummary {
  mode: 'dry-run';
  source: 'plan' | 'timeline';
  seed: string;
  inputsSha256: string;
  start: string;
  end: string;
  /** Events of the timeline. */
  events: number;
  /** docker calls a run would make (a lure's companion files are calls of their own). */
  calls: number;
  /** Already done in the state (not printed). */
  skipped: number;
  /** Before --from: printed as skipped (a run records them so, never applying them). */
  outsideWindow: number;
  /** After --until of a replay: printed as skipped (a later run applies them). */
  afterUntil: number;
  /** Quiet ticks: no call. */
  quiet: number;
  rejected: number;
  exitCode: number;
}

export interface DryRunOptions {
  /** One JSON object per event instead of a readable line. */
  json: boolean;
  out: (line: string) => void;
  /** The replay window (`--from`, `--until`), epoch ms; null: open on that side. */
  window?: { fromMs: number | null; untilMs: number | null };
}

/** Why an event falls outside the replay window, or null when it is inside. */
export function outsideWindow(atMs: number, w: DryRunOptions['window']): string | null {
  if (!w) return null;
  if (w.fromMs !== null && atMs < w.fromMs) return 'before --from (recorded as skipped, never applied)';
  if (w.untilMs !== null && atMs > w.untilMs) return 'after --until (a later run applies it)';
  return null;
}

/** The JSON form of one call. */
function callJson(inv: Invocation): Record<string, unknown> {
  return { argv: inv.argv, request: { op: inv.op, ...inv.fields }, stdin: describeStdin(inv.input) };
}

function size(bytes: number): string {
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** The readable line of an event (pure). `rejected` is the reason a run would refuse it. */
export function dryRunLine(ev: TimelineEvent, widths: { decky: number; action: number }, rejected: string | null, skipped: string | null = null): string {
  const head = `${ev.at}  ${ev.decky.name.padEnd(widths.decky)}  ${ev.action.padEnd(widths.action)}`;
  let what: string;
  if (ev.kind === 'quiet') {
    what = `quiet: no call${ev.reason === 'off-hours' ? ' (off hours)' : ''}`;
  } else if (ev.kind === 'traffic') {
    const t = ev.traffic!;
    what = `SSH banner probe to ${t.dst.name} at ${t.dst.address}:${t.port ?? 22}`;
  } else if (ev.action === 'file:rename') {
    what = `${ev.path} -> ${ev.to}`;
  } else if (ev.action === 'file:delete') {
    what = `${ev.path} (delete)`;
  } else {
    const parts = [ev.path!, `mode ${ev.mode ?? '0644'}`, `owner ${ev.owner ?? 'root'}`, size(ev.content!.bytes)];
    if (ev.action === 'file:edit' && ev.previousSha256) parts.push(`replaces sha256 ${ev.previousSha256.slice(0, 12)}`);
    if (ev.canary) parts.push(`lure ${ev.canary.kind}`);
    const n = ev.companions?.length ?? 0;
    if (n > 0) parts.push(`with ${n} more file${n === 1 ? '' : 's'}`);
    what = parts.join('  ');
  }
  return escapeControls(`${head}  ${what}${rejected ? `  REJECTED: ${rejected}` : ''}${skipped ? `  SKIPPED: ${skipped}` : ''}`);
}

/** What a dry run knows we wrote, per decky and path; renames and deletes carry it along. */
function track(written: Map<string, string>, ev: TimelineEvent): void {
  if (ev.kind !== 'file') return;
  const key = `${ev.decky.uuid}\u0000${ev.path}`;
  if (ev.content) {
    written.set(key, ev.content.sha256);
    return;
  }
  const sha = written.get(key);
  written.delete(key);
  if (ev.action === 'file:rename' && sha !== undefined) written.set(`${ev.decky.uuid}\u0000${ev.to}`, sha);
}

export async function dryRun(o: DryRunOptions, source: EventSource, state: LiveState | null): Promise<{ summary: DryRunSummary; exitCode: number }> {
  let events = 0;
  let calls = 0;
  let skipped = 0;
  let quiet = 0;
  let rejected = 0;
  let before = 0;
  let after = 0;
  const deckies: Decky[] = [...source.deckies.values()];
  const widths = { decky: Math.max(5, ...deckies.map((d) => d.name.length)), action: 'exec:tcp_connect:22'.length };
  const roots = new Map(deckies.map((d) => [d.uuid, rootsOf(d, source.inputs.personas)]));
  // Edits expect what the state says we last wrote; without a state, what the plan says.
  const written = new Map<string, string>();
  for await (const ev of source.events()) {
    events++;
    if (state?.isDone(ev)) {
      skipped++;
      track(written, ev);
      continue;
    }
    const out = outsideWindow(Date.parse(ev.at), o.window);
    if (out !== null) {
      if (out.startsWith('before')) before++;
      else after++;
      o.out(o.json ? JSON.stringify({ id: ev.id, at: ev.at, decky: ev.decky.name, action: ev.action, ...(ev.kind === 'file' ? { path: ev.path } : {}), argv: null, skipped: out }) : dryRunLine(ev, widths, null, out));
      continue;
    }
    if (ev.kind === 'quiet') quiet++;
    const decky = source.deckies.get(ev.decky.uuid)!;
    let expect: string | null | undefined;
    if (ev.action === 'file:edit' || ev.action === 'file:rename' || ev.action === 'file:delete') {
      const key = `${ev.decky.uuid}\u0000${ev.path}`;
      expect = state?.lastFile(decky.name, ev.path!)?.content_sha256 ?? written.get(key) ?? ev.previousSha256 ?? null;
    }
    const line: Record<string, unknown> = { id: ev.id, at: ev.at, decky: ev.decky.name, action: ev.action };
    if (ev.kind === 'file') {
      line.path = ev.path;
      if (ev.content) Object.assign(line, { mode: ev.mode ?? '0644', owner: ev.owner ?? 'root', bytes: ev.content.bytes });
    }
    let refused: string | null = null;
    try {
      if (ev.kind === 'file') {
        const why = confinement(roots.get(decky.uuid)!, ev.path!, ev.mode ?? '0644', ev.owner ?? 'root');
        if (why !== null) throw new UnsafeValue(why);
      }
      const inv = invocationFor(ev, decky, expect);
      const extra = ev.kind === 'file' ? companionInvocations(ev, decky) : [];
      if (inv) {
        calls += 1 + extra.length;
        Object.assign(line, callJson(inv));
        if (extra.length > 0) line.companions = extra.map((c) => ({ path: c.companion.path, mode: c.companion.mode, bytes: c.companion.content.bytes, ...callJson(c.invocation) }));
      } else {
        line.argv = null;
        line.stdin = null;
      }
    } catch (e) {
      if (!(e instanceof UnsafeValue)) throw e;
      rejected++;
      refused = e.message;
      line.argv = null;
      line.error = `rejected: ${e.message}`;
    }
    track(written, ev);
    o.out(o.json ? JSON.stringify(line) : dryRunLine(ev, widths, refused));
  }
  const exitCode = rejected > 0 ? 3 : 0;
  return {
    summary: { mode: 'dry-run', source: source.kind, seed: source.seed, inputsSha256: source.inputsSha256, start: source.inputs.start, end: source.inputs.end, events, calls, skipped, outsideWindow: before, afterUntil: after, quiet, rejected, exitCode },
    exitCode,
  };
}
