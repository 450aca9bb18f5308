// Where files live (SPEC 4.2). Each call returns several candidates, best first; the engine takes
// the first one not already used on the decky. Dates in names are YYYY-MM-DD; no name carries a
// long digit run (temporary names are broken up explicitly).
import type { SystemClass, UserClass } from '../inputs/types.js';
import { type Rng, int, pick, token } from '../rng/stream.js';
import { APP_LOGS, CRON_JOBS, DRAFT_SUBJECTS, PROJECTS, SCRIPT_NAMES, TOPIC_SLUGS } from './words.js';

const CANDIDATES = 6;

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// Each candidate is one of a few shapes, chosen by one draw; a switch on that draw (the index
// pick() would take) avoids building an array of closures per candidate.
function userPath(cls: UserClass, home: string, rng: Rng, date: string): string {
  switch (cls) {
    case 'note':
      switch (int(rng, 6)) {
        case 0: return `${home}/notes/${pick(rng, TOPIC_SLUGS)}.md`;
        case 1: return `${home}/notes/${date}.md`;
        case 2: return `${home}/Documents/${pick(rng, TOPIC_SLUGS)}-notes.txt`;
        case 3: return `${home}/notes/meeting-${date}.md`;
        case 4: return `${home}/Documents/${pick(rng, PROJECTS)}/notes.md`;
        default: return `${home}/notes.txt`;
      }
    case 'todo':
      switch (int(rng, 5)) {
        case 0: return `${home}/TODO.md`;
        case 1: return `${home}/todo.txt`;
        case 2: return `${home}/notes/todo-${date}.md`;
        case 3: return `${home}/Documents/${pick(rng, PROJECTS)}-todo.md`;
        default: return `${home}/notes/${pick(rng, PROJECTS)}-tasks.md`;
      }
    case 'draft':
      switch (int(rng, 3)) {
        case 0: return `${home}/Documents/drafts/${slugify(pick(rng, DRAFT_SUBJECTS))}.txt`;
        case 1: return `${home}/drafts/${slugify(pick(rng, DRAFT_SUBJECTS))}-${date}.txt`;
        default: return `${home}/Documents/${pick(rng, TOPIC_SLUGS)}-draft.md`;
      }
    case 'script':
      switch (int(rng, 3)) {
        case 0: return `${home}/scripts/${pick(rng, SCRIPT_NAMES)}.sh`;
        case 1: return `${home}/scripts/${pick(rng, SCRIPT_NAMES)}.py`;
        default: return `${home}/bin/${pick(rng, SCRIPT_NAMES)}.sh`;
      }
  }
}

/** Candidate paths, drawn lazily: the caller stops at the first unused one. */
export function* userPathCandidates(cls: UserClass, home: string, rng: Rng, date: string): Generator<string> {
  for (let i = 0; i < CANDIDATES; i++) yield userPath(cls, home, rng, date);
}

/** Number of distinct tick names: tickName is one-to-one on ticks below this. */
export const TICK_NAMES = 26 ** 6;

/** Letters-only permutation of a tick index: unique per tick, not an obvious counter. */
function tickName(tick: number, salt: number): string {
  let v = (tick * 48_271 + salt) % TICK_NAMES;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s += String.fromCharCode(97 + (v % 26));
    v = Math.floor(v / 26);
  }
  return s;
}

/** Replace every 8th digit of a digit run with a letter: no basename may hold 8+ digits in a row. */
export function breakDigitRuns(s: string): string {
  let run = 0;
  let out = '';
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') {
      run++;
      if (run >= 8) {
        out += 'abcdefghij'[Number(ch)];
        run = 0;
        continue;
      }
    } else run = 0;
    out += ch;
  }
  return out;
}

const MAIN_LOGS = ['/var/log/syslog', '/var/log/daemon.log', '/var/log/auth.log'];

export function systemPathCandidates(cls: SystemClass, rng: Rng, date: string, tick: number, salt: number): string[] {
  if (cls === 'log_cron') {
    // Per-job logs (a cron job writing its own output as syslog lines), plain and dated.
    const job = pick(rng, CRON_JOBS);
    return ['/var/log/cron.log', '/var/log/cron.log.1', `/var/log/cron-jobs/${job}.log`, `/var/log/cron-jobs/${job}-${date}.log`, `/var/log/cron-jobs/${pick(rng, CRON_JOBS)}-${date}.log`];
  }
  if (cls === 'log_daemon') {
    const app = pick(rng, APP_LOGS);
    const app2 = pick(rng, APP_LOGS);
    return [
      pick(rng, MAIN_LOGS),
      '/var/log/syslog', '/var/log/auth.log', '/var/log/daemon.log',
      `/var/log/${app}/${app}.log`,
      `/var/log/${app}/${app}-${date}.log`,
      `/var/log/${app2}/${app2}-${date}.log`,
      '/var/log/syslog.1', '/var/log/auth.log.1',
    ];
  }
  // cache_tmp: unique per tick by construction (the tick permutation), random tail.
  const u = tickName(tick, salt);
  switch (int(rng, 3)) {
    case 0: return [`/tmp/sess_${u}${breakDigitRuns(token(rng, 20))}`];
    case 1: return [`/tmp/.${pick(rng, APP_LOGS)}-cache-${u}`];
    default: return [`/tmp/tmp${u}${breakDigitRuns(token(rng, 4))}`];
  }
}

const DATE_IN_PATH = /\d{4}-\d{2}-\d{2}/;

/** The YYYY-MM-DD a path's name carries, if any (used to forget old dated names). */
export function pathDate(path: string): string | null {
  const m = DATE_IN_PATH.exec(path);
  return m ? m[0] : null;
}

export function homeOf(login: string): string {
  return login === 'root' ? '/root' : `/home/${login}`;
}
