// Human-readable summary of a live run (the --json form is the summary object itself).
import type { DryRunSummary, RunSummary } from './run.js';

function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function renderSummary(s: RunSummary | DryRunSummary): string {
  if (s.mode === 'dry-run') {
    const lines = [`dry run: ${s.events} events, ${s.calls} docker calls, ${s.quiet} quiet (no call)${s.skipped ? `, ${s.skipped} already done in the state` : ''}${s.outsideWindow ? `, ${s.outsideWindow} before --from` : ''}${s.afterUntil ? `, ${s.afterUntil} after --until` : ''}${s.rejected ? `, ${s.rejected} rejected` : ''}`];
    return lines.join('\n') + '\n';
  }
  const out: string[] = [];
  const head = s.mode === 'follow' ? 'follow stopped' : s.interrupted ? 'run interrupted' : 'run finished';
  out.push(`${head}: ${s.events} events from ${s.source === 'timeline' ? 'the timeline' : `seed ${JSON.stringify(s.seed)}`} (${s.start} to ${s.end}) in ${secs(s.durationMs)}`);
  const parts = [`applied ${s.applied}`];
  if (s.already) parts.push(`(${s.already} found already written)`);
  parts.push(`skipped ${s.quiet + s.noUser} (${s.quiet} quiet, ${s.noUser} without their user)`);
  parts.push(`done earlier ${s.skipped}`, `diverged ${s.diverged}`, `failed ${s.failed + s.rejected}`, `pending ${s.pending}`);
  out.push(`  ${parts.join('  ')}`);
  out.push(`  traffic: ${s.traffic.ok} banners, ${s.traffic.fail} without;  canaries: ${s.canaries.planted} planted, ${s.canaries.failed} failed`);
  const names = Object.keys(s.deckies).sort();
  const w = Math.max(5, ...names.map((n) => n.length));
  for (const n of names) {
    const d = s.deckies[n]!;
    const err = d.error ? `  last error: ${d.error}` : '';
    out.push(`  ${n.padEnd(w)}  applied ${String(d.applied).padStart(5)}  skipped ${String(d.quiet + d.noUser).padStart(5)}  earlier ${String(d.skipped).padStart(5)}  diverged ${String(d.diverged).padStart(3)}  failed ${String(d.failed + d.rejected).padStart(3)}  pending ${String(d.pending).padStart(5)}${err}`);
  }
  const hf = s.hostFacts;
  if (hf && hf.disagreements.length > 0) {
    const by = s.source === 'timeline' ? 'the timeline' : 'the fleet';
    out.push(`  host facts: ${hf.disagreements.length} ${hf.disagreements.length === 1 ? 'fact' : 'facts'} of ${by} contradicted by the containers:`);
    for (const d of hf.disagreements) out.push(`    ${d.decky} (container ${d.container}): ${d.fact} is ${d.found}, ${by} says ${d.expected}`);
  }
  out.push(`  state: ${s.state}`);
  if (s.exitCode !== 0) out.push(s.pending > 0 || s.interrupted ? '  some events are pending: fix the cause and re-run the same command to resume' : '  some events failed: see the state for details');
  return out.join('\n') + '\n';
}
