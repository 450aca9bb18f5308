// `check`: every invariant of SPEC 9 over a streamed timeline (a file or an in-memory plan).
import { reservedCallbacks } from '../canary/reserved.js';
import { Reproducer, verifyFile, type VerifyReport } from '../verify/index.js';
import { Checker, type Violation } from './checker.js';
import type { TimelineSource } from './source.js';
import type { StatTest } from './statistics.js';

export type { Violation } from './checker.js';
export type { StatTest } from './statistics.js';

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
  12: 'no line repeated within a user file',
  13: 'no draft addressed to its own author',
  14: 'no reserved or documentation domain in planted bytes (other than the configured callbacks)',
  15: 'no sample-company names',
  16: 'dates inside a document agree with it (no due date before its own date)',
  17: 'system logs live to the end and rotate in order (live newest, then .1, .2.gz, ...)',
  18: 'one PID per long-running daemon per boot; cron job PIDs increase',
  19: 'cron lines only from the planted crontab at its minutes; its commands exist; dump lures are its dump job\'s leftovers',
  20: 'each log holds only what its producers write',
  21: 'no persona user content on its public holidays',
  22: 'homes have a past: lures are not the oldest home files; backdated mtimes in working hours',
  23: 'auth.log sessions pair up: logins with logouts, PAM opens with closes, sudo inside a session, none across a reboot',
  24: 'no template seams in notes, to-dos and drafts (a space before punctuation, at a line\'s end, or doubled; a slot left unfilled)',
  25: 'reboots as the machine makes them: each boot of a running machine follows its shutdown and unattended-upgrades\' reboot for a kernel it installed, and boots a newer kernel',
  26: 'a login from another decky of the fleet follows its connection to this one, by a user with an account on both',
  27: 'MariaDB only on a decky with a database (a mysql service or the nightly dump job), its redo log continuous across restarts',
};

export interface CheckOptions {
  /** Family-wise significance level of the statistical tests (default 0.001). */
  alpha?: number;
  /** At most this many violations are listed (all are counted). */
  maxListed?: number;
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
  // Invariant 10 rides on the same pass: the file's lines are compared with the re-planned ones
  // as they are read (no second read or parse of the file).
  // While the file matches the re-planned bytes, its event lines are the planned events'
  // encodings, so those events are checked as they are and the lines are not parsed.
  let rep: Reproducer | null = null;
  if (src.file && src.reader?.lines) {
    const reader = src.reader;
    rep = new Reproducer(src.header, src.inputs, src.format ?? 'json');
    rep.keepPlannedEvents();
    reader.tap(rep);
    while (reader.nextLine() !== null) {
      const planned = rep.plannedEvent();
      checker.add(planned !== null ? reader.accept(planned) : reader.decode());
    }
  } else {
    for (const ev of src.events()) checker.add(ev);
  }
  checker.finish();
  const statistics = checker.stats.tests(opts.alpha ?? 0.001);
  for (const t of statistics) {
    if (t.status === 'violation') checker.report({ invariant: 9, eventId: null, decky: null, path: null, reason: `${t.name}: ${t.observed}; expected ${t.expected}; ${t.detail}` });
  }
  let reproduce: VerifyReport | null = null;
  if (src.file) {
    reproduce = rep ? rep.report(src.label, src.format ?? 'json', checker.events) : await verifyFile(src.file, { label: src.label });
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
