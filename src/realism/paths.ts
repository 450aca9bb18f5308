// Where files live (SPEC 4.2). Each class has several candidate names, best first; the engine
// takes the first one not already used on the decky. Dates in names are YYYY-MM-DD; no name
// carries a long digit run (temporary names are broken up explicitly).
import type { UserClass } from '../inputs/types.js';
import { type Rng, fmix, int, pick, token } from '../rng/stream.js';
import { APP_LOGS, DRAFT_SUBJECTS, PROJECTS, SCRIPT_NAMES, TOPIC_SLUGS } from './words.js';

const CANDIDATES = 6;

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const DRAFT_SLUGS = DRAFT_SUBJECTS.map(slugify);

/**
 * Path strings by (home, shape, word) and, for dated shapes, by date. Most candidates are names
 * already in use, so the same few hundred strings are drawn again and again: handing back the
 * same string object skips building it and lets the used-name lookup reuse the hash V8 keeps on
 * it. Bounded by the pools (a few hundred strings per home); dated entries hold one date.
 */
export class PathMemo {
  /** Project folder names (the organisation's projects; the fixed pool when none is given). */
  readonly projects: readonly string[];
  constructor(projects: readonly string[] = PROJECTS) {
    this.projects = projects.length > 0 ? projects : PROJECTS;
  }

  project(i: number): string {
    return this.projects[i % this.projects.length]!;
  }

  private readonly fixed = new Map<string, string[]>();
  private readonly dated = new Map<string, { date: string; paths: string[] }>();

  fixedFor(home: string): string[] {
    let t = this.fixed.get(home);
    if (t === undefined) this.fixed.set(home, (t = []));
    return t;
  }

  datedFor(home: string, date: string): string[] {
    let d = this.dated.get(home);
    if (d === undefined) this.dated.set(home, (d = { date, paths: [] }));
    else if (d.date !== date) {
      d.date = date;
      d.paths = [];
    }
    return d.paths;
  }
}

// Slots of the fixed table: one block per (class, shape), one entry per word of its pool.
const N_TOPIC = TOPIC_SLUGS.length;
const N_PROJECT = PROJECTS.length;
const N_SCRIPT = SCRIPT_NAMES.length;
const N_DRAFT = DRAFT_SLUGS.length;
const F_NOTE_TOPIC = 0;
const F_NOTE_DOC = F_NOTE_TOPIC + N_TOPIC;
const F_NOTE_PROJECT = F_NOTE_DOC + N_TOPIC;
const F_NOTES_TXT = F_NOTE_PROJECT + N_PROJECT;
const F_TODO_MD = F_NOTES_TXT + 1;
const F_TODO_TXT = F_TODO_MD + 1;
const F_TODO_PROJECT = F_TODO_TXT + 1;
const F_TASKS = F_TODO_PROJECT + N_PROJECT;
const F_DRAFT = F_TASKS + N_PROJECT;
const F_DRAFT_TOPIC = F_DRAFT + N_DRAFT;
const F_SCRIPT_SH = F_DRAFT_TOPIC + N_TOPIC;
const F_SCRIPT_PY = F_SCRIPT_SH + N_SCRIPT;
const F_BIN = F_SCRIPT_PY + N_SCRIPT;
// Slots of the dated table.
const D_NOTE = 0;
const D_MEETING = 1;
const D_TODO = 2;
const D_DRAFT = 3;

// Each candidate is one of a few shapes, chosen by one draw; a switch on that draw (the index
// pick() would take) avoids building an array of closures per candidate. int(rng, pool.length)
// is the draw pick(rng, pool) makes.
function userPath(cls: UserClass, home: string, rng: Rng, date: string, memo: PathMemo): string {
  const f = memo.fixedFor(home);
  let i: number;
  switch (cls) {
    case 'note':
      switch (int(rng, 6)) {
        case 0: i = int(rng, N_TOPIC); return (f[F_NOTE_TOPIC + i] ??= `${home}/notes/${TOPIC_SLUGS[i]}.md`);
        case 1: return (memo.datedFor(home, date)[D_NOTE] ??= `${home}/notes/${date}.md`);
        case 2: i = int(rng, N_TOPIC); return (f[F_NOTE_DOC + i] ??= `${home}/Documents/${TOPIC_SLUGS[i]}-notes.txt`);
        case 3: return (memo.datedFor(home, date)[D_MEETING] ??= `${home}/notes/meeting-${date}.md`);
        case 4: i = int(rng, N_PROJECT); return (f[F_NOTE_PROJECT + i] ??= `${home}/Documents/${memo.project(i)}/notes.md`);
        default: return (f[F_NOTES_TXT] ??= `${home}/notes.txt`);
      }
    case 'todo':
      switch (int(rng, 5)) {
        case 0: return (f[F_TODO_MD] ??= `${home}/TODO.md`);
        case 1: return (f[F_TODO_TXT] ??= `${home}/todo.txt`);
        case 2: return (memo.datedFor(home, date)[D_TODO] ??= `${home}/notes/todo-${date}.md`);
        case 3: i = int(rng, N_PROJECT); return (f[F_TODO_PROJECT + i] ??= `${home}/Documents/${memo.project(i)}-todo.md`);
        default: i = int(rng, N_PROJECT); return (f[F_TASKS + i] ??= `${home}/notes/${memo.project(i)}-tasks.md`);
      }
    case 'draft':
      switch (int(rng, 3)) {
        case 0: i = int(rng, N_DRAFT); return (f[F_DRAFT + i] ??= `${home}/Documents/drafts/${DRAFT_SLUGS[i]}.txt`);
        case 1: i = int(rng, N_DRAFT); return (memo.datedFor(home, date)[D_DRAFT + i] ??= `${home}/drafts/${DRAFT_SLUGS[i]}-${date}.txt`);
        default: i = int(rng, N_TOPIC); return (f[F_DRAFT_TOPIC + i] ??= `${home}/Documents/${TOPIC_SLUGS[i]}-draft.md`);
      }
    case 'script':
      switch (int(rng, 3)) {
        case 0: i = int(rng, N_SCRIPT); return (f[F_SCRIPT_SH + i] ??= `${home}/scripts/${SCRIPT_NAMES[i]}.sh`);
        case 1: i = int(rng, N_SCRIPT); return (f[F_SCRIPT_PY + i] ??= `${home}/scripts/${SCRIPT_NAMES[i]}.py`);
        default: i = int(rng, N_SCRIPT); return (f[F_BIN + i] ??= `${home}/bin/${SCRIPT_NAMES[i]}.sh`);
      }
  }
}

/** Something that knows which paths are taken (a decky's file model). */
export interface UsedPaths {
  has(path: string): boolean;
}

/** The first of up to six candidates (drawn lazily, best first) not in use, or null. */
export function firstUnusedUserPath(cls: UserClass, home: string, rng: Rng, date: string, memo: PathMemo, used: UsedPaths): string | null {
  for (let n = 0; n < CANDIDATES; n++) {
    const p = userPath(cls, home, rng, date, memo);
    if (!used.has(p)) return p;
  }
  return null;
}

/** Number of distinct tick names: tickName is one-to-one on ticks below this. */
export const TICK_NAMES = 32 ** 6;
const HALF = 32 ** 3;

// What the programs that make these names draw from: Python's tempfile, and letters and digits.
const PYTMP = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Six characters of `alphabet` (32 or more) for a tick index: unique per tick below TICK_NAMES,
 * and no counter to read in them (a four-round Feistel permutation of the index, keyed by the
 * decky's salt, then written in that alphabet).
 */
function tickName(tick: number, salt: number, alphabet: string): string {
  const t = tick % TICK_NAMES;
  let l = t % HALF;
  let r = Math.floor(t / HALF);
  for (let k = 0; k < 4; k++) {
    const f = fmix((r ^ Math.imul(salt + k, 0x9e3779b9)) >>> 0) % HALF;
    [l, r] = [r, (l + f) % HALF];
  }
  let v = l + r * HALF;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s += alphabet[v % alphabet.length];
    v = Math.floor(v / alphabet.length);
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

// Memo tables of system paths (no user home is empty).
const SYSTEM = '';

/** What a decky runs that leaves files outside the homes: its applications and whether it serves the web. */
export interface SystemHost {
  /** Indices into APP_LOGS (see deckyApps). */
  apps: readonly number[];
  /** A web server (nginx runs there). */
  web: boolean;
}

/** Whether a decky's services make it a web server. */
export function servesWeb(services: readonly string[]): boolean {
  return services.some((s) => s === 'http' || s === 'https');
}

/**
 * The first unused path of an application log (log_daemon), or of a temporary cache file, or
 * null. The system's own logs and cron's files belong to the machine model (src/machine),
 * which also makes the dated job reports. Candidates are checked best first; every draw is
 * made up front in a fixed order, whichever candidate wins, so the stream continues the same
 * way for the body.
 */
export function firstUnusedSystemPath(cls: 'log_daemon' | 'cache_tmp', rng: Rng, date: string, tick: number, salt: number, memo: PathMemo, used: UsedPaths, host: SystemHost): string | null {
  const { apps } = host;
  if (cls === 'cache_tmp') {
    // Unique per tick by construction (the tick permutation), random tail.
    let p: string;
    // An application's cache one time in three, else a script's tempfile. No PHP sessions: Debian
    // keeps them in /var/lib/php/sessions, and the web servers' application runs behind nginx as
    // a service of its own (src/machine/webserver.ts), whose requests the access log shows.
    const kind = int(rng, 3);
    const app = APP_LOGS[apps[int(rng, apps.length)]!]!;
    switch (kind) {
      case 1: p = `/tmp/.${app}-cache-${breakDigitRuns(tickName(tick, salt, ALNUM))}`; break;
      default: p = `/tmp/tmp${breakDigitRuns(tickName(tick, salt, PYTMP) + token(rng, 2, PYTMP))}`;
    }
    return used.has(p) ? null : p;
  }
  // Each of the decky's applications writes a few files a day, named for it (a daily file
  // appender): its main log, its errors and its own activity log (see APP_STREAMS). A past
  // day's files stop at its midnight, today's grow. A plain `app.log` beside them would be a log
  // that stopped while its application went on. Names are tried from a drawn one onwards.
  const n = apps.length * APP_STREAMS.length;
  const first = int(rng, n);
  const d = memo.datedFor(SYSTEM, date);
  for (let i = 0; i < n; i++) {
    const k = (first + i) % n;
    const a = apps[Math.floor(k / APP_STREAMS.length)]!;
    const slot = a * APP_STREAMS.length + (k % APP_STREAMS.length);
    const p = (d[slot] ??= appLogPath(APP_LOGS[a]!, APP_STREAMS[k % APP_STREAMS.length]!, date));
    if (!used.has(p)) return p;
  }
  return null;
}

/** The files an application writes each day: its main log, its errors, its activity. */
export const APP_STREAMS = ['main', 'error', 'activity'] as const;
export type AppStream = (typeof APP_STREAMS)[number];

/** What each application calls its activity log. */
const ACTIVITY: Record<string, string> = { worker: 'jobs', scheduler: 'tasks', api: 'access', ingest: 'batches', mailer: 'delivery', exporter: 'exports' };

/** The path of an application's file of a day. */
export function appLogPath(app: string, stream: AppStream, date: string): string {
  const infix = stream === 'main' ? '' : stream === 'error' ? '-error' : `-${ACTIVITY[app] ?? 'activity'}`;
  return `/var/log/${app}/${app}${infix}-${date}.log`;
}

/** The stream of an application's log path (see APP_STREAMS). */
export function appStreamOf(path: string): AppStream {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const app = appOfLog(path);
  const mid = base.slice(app.length, base.length - '-YYYY-MM-DD.log'.length);
  return mid === '' ? 'main' : mid === '-error' ? 'error' : 'activity';
}

/**
 * The applications a decky runs (indices into APP_LOGS, two or three): each writes under
 * /var/log/<app>/ and leaves its cache in /tmp; a decky does not run all six.
 */
export function deckyApps(rng: Rng): number[] {
  const order = APP_LOGS.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, 2 + int(rng, 2)).sort((a, b) => a - b);
}

/** The application a /var/log/<app>/ path belongs to. */
export function appOfLog(path: string): string {
  return path.split('/')[3]!;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The YYYY-MM-DD a path's name carries, if any (used to forget old dated names): the first run
 * of 4 digits, '-', 2 digits, '-', 2 digits (what /\d{4}-\d{2}-\d{2}/ finds, without a match
 * object per call; the engine asks on every create).
 */
export function pathDate(path: string): string | null {
  for (let i = 0; i + 10 <= path.length; i++) {
    if (path.charCodeAt(i + 4) !== 45 || path.charCodeAt(i + 7) !== 45) continue;
    let ok = true;
    for (const j of DIGITS_AT) if (!isDigit(path.charCodeAt(i + j))) ok = false;
    if (ok) return path.slice(i, i + 10);
  }
  return null;
}

const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9];

export function homeOf(login: string): string {
  return login === 'root' ? '/root' : `/home/${login}`;
}
