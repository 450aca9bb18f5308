// Reference copy of src as it was before the one-pass reader (issue 17), kept only so
// test/reader-equivalence.test.ts can show that results and exit codes did not change.
// `check`: every invariant of SPEC 9 over a streamed timeline (a file or an in-memory plan).
import { reservedCallbacks } from '../../src/canary/reserved.js';
import { verifyFile, type VerifyReport } from './verify-index.js';
import { Checker, type Violation } from '../../src/check/checker.js';
import type { TimelineSource } from './check-source.js';
import type { StatTest } from '../../src/check/statistics.js';

export type { Violation } from '../../src/check/checker.js';
export type { StatTest } from '../../src/check/statistics.js';

export const INVARIANTS: Record<number, string> = {
  1: 'no basename with 8+ consecutive digits',
  2: 'no "decnet" anywhere, no "canary" in anything planted',
  3: 'edits follow a create and match its last content',
  4: 'log edits only append; log lines in time order, none after the mtime',
  5: 'per path mtimes never decrease; no mtime after its event',
  6: 'user content inside the owner\'s working hours and days',
  7: 'canaries: one per tick, per-decky cap, distinct paths, secrets 0600',
  8: 'bodies at most 64 KiB; clean absolute paths',
  9: 'canary, class and edit shares within statistical bounds',
  10: 'the timeline reproduces from its header',
  11: 'callbacks on names the operator can own (no example.*, .test, loopback or private ranges)',
};

export interface CheckOptions {
  /** Family-wise significance level of the statistical tests (default 0.001). */
  alpha?: number;
  /** At most this many violations are listed (all are counted). */
  maxListed?: number;
  onProgress?: (events: number) => void;
  /** Accept callbacks on reserved names (a test deployment): invariant 11 is skipped. */
  allowTestCallbacks?: boolean;
}

export interface CheckReport {
  source: string;
  ok: boolean;
  events: number;
  violationCount: number;
  /** Violations per invariant number. */
  byInvariant: Record<string, number>;
  violations: Violation[];
  /** True when more violations were found than listed. */
  truncated: boolean;
  statistics: StatTest[];
  /** Invariant 10 (files only): the verify result; null for an in-memory plan. */
  reproduce: VerifyReport | null;
}

export async function runCheck(src: TimelineSource, opts: CheckOptions = {}): Promise<CheckReport> {
  const checker = new Checker(src.inputs, { maxListed: opts.maxListed, seed: src.header.seed });
  if (!opts.allowTestCallbacks) {
    for (const reason of reservedCallbacks(src.inputs.config.canary)) checker.report({ invariant: 11, eventId: null, decky: null, path: null, reason: `${reason}: no lure calling it can ever alert` });
  }
  for await (const ev of src.events()) {
    checker.add(ev);
    if (opts.onProgress && checker.events % 100_000 === 0) opts.onProgress(checker.events);
  }
  const statistics = checker.stats.tests(opts.alpha ?? 0.001);
  for (const t of statistics) {
    if (t.status === 'violation') checker.report({ invariant: 9, eventId: null, decky: null, path: null, reason: `${t.name}: ${t.observed}; expected ${t.expected}; ${t.detail}` });
  }
  let reproduce: VerifyReport | null = null;
  if (src.file) {
    reproduce = await verifyFile(src.file);
    if (!reproduce.ok) {
      const d = reproduce.firstDifference;
      const where = d ? `first difference at line ${d.line}, column ${d.column}` : 'bytes differ';
      checker.report({ invariant: 10, eventId: d?.eventId ?? null, decky: d?.decky ?? null, path: d?.path ?? null, reason: `does not reproduce from its header: ${reproduce.drift ? `${reproduce.drift}; ` : ''}${where}` });
    }
  }
  const byInvariant: Record<string, number> = {};
  for (const k of [...checker.byInvariant.keys()].sort((a, b) => a - b)) byInvariant[String(k)] = checker.byInvariant.get(k)!;
  return {
    source: src.label,
    ok: checker.violationCount === 0,
    events: checker.events,
    violationCount: checker.violationCount,
    byInvariant,
    violations: checker.violations,
    truncated: checker.violations.length < checker.violationCount,
    statistics,
    reproduce,
  };
}

export function renderCheck(r: CheckReport, opts: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  for (const v of r.violations) {
    out.push(`invariant ${v.invariant}: ${v.eventId ? `event ${v.eventId}` : '(timeline)'}${v.decky ? ` on ${v.decky}` : ''}${v.path ? ` ${v.path}` : ''}: ${v.reason}`);
  }
  if (r.truncated) out.push(`... ${r.violationCount - r.violations.length} more violations not listed`);
  if (out.length > 0) out.push('');
  out.push(`${r.source}: ${r.events} events checked`);
  for (const [k, name] of Object.entries(INVARIANTS)) {
    const n = r.byInvariant[k] ?? 0;
    let state = n > 0 ? `${n} violation${n === 1 ? '' : 's'}` : 'ok';
    if (k === '10' && r.reproduce === null) state = 'not applicable (planned in memory)';
    out.push(`  ${k.padStart(2)}. ${name}: ${state}`);
  }
  const shown = opts.verbose ? r.statistics : r.statistics.filter((t) => t.status !== 'ok');
  if (shown.length > 0) {
    out.push('  statistics:');
    for (const t of shown) out.push(`    ${t.status === 'too-small' ? 'sample too small to judge' : t.status}: ${t.name}: ${t.observed}; expected ${t.expected}`);
  }
  out.push(r.ok ? 'ok: no violations' : `FAILED: ${r.violationCount} violation${r.violationCount === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}
