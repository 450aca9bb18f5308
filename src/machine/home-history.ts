// The pre-history of the personas' homes (issue 12, item 1): a decky's homes already hold what
// weeks and months of work left there before the horizon starts. Per persona: notes, to-do
// lists, drafts and scripts (the ordinary body generators, through the persona's Writer) and a
// project folder (a README and a script or two); per decky, ordinary documents of every lure
// format (.docx, .pdf, .html, .svg: the lure builders with no callback, so no linked picture, no
// open action, no remote image, no script), dealt to the decky's personas. Lures then are neither
// the oldest files of a home nor the only files of their format.
//
// Ages: documents and notes are log-uniform from a day to 200 days (SPREAD_MAX_DAYS, the lure
// documents' spread too); each persona's project folder is older than anything else in the home
// (older than any lure can be), as a home's oldest files are what its owner set up first. Every mtime
// is an instant of the owner's working time (window, workday, no holiday or day away), drawn
// against the calendar's intensity curve: `workingInstant`.
//
// Draws come from streams labelled (seed, decky uuid, 'history', 'home', persona) and, for the
// documents, (seed, decky uuid, 'history', 'documents'): nothing any other model draws shifts.
// The paths are taken in the decky's FileModel, so lures and the horizon's files avoid them.
import { generateHoneydocDocx } from '../canary/honeydoc-docx.js';
import { generateHoneydocHtml } from '../canary/honeydoc-html.js';
import { generateHoneydocPdf } from '../canary/honeydoc-pdf.js';
import { generatePlainHtml, generatePlainSvg, HTML_STEMS, STATUS_STEM, SVG_STEMS } from '../canary/fingerprint.js';
import { basename, docCandidates, spreadAgeSeconds } from '../canary/common.js';
import { DOC_STEMS } from '../canary/doc-content.js';
import { REPOS } from '../canary/git-config.js';
import type { CanaryContext, CanarySettings } from '../canary/types.js';
import type { Persona, UserClass } from '../inputs/types.js';
import { type PathMemo, firstUnusedUserPath, homeOf } from '../realism/paths.js';
import { draftBody, noteBody, scriptBody, todoBody, type UserBodyContext } from '../realism/text.js';
import { type Rng, between, fastStream, pick, sample, token } from '../rng/stream.js';
import { type PersonaCalendar, levelIn, localDate } from '../sim/schedule.js';
import { capitalise } from '../text/grammar.js';
import type { Writer } from '../text/writer.js';
import type { Organisation } from '../world/organisation.js';
import type { FileOp } from './logs.js';

const DAY_MS = 86_400_000;
/** Document formats that lures also take, and the lures' share of each a decky may reach. */
export const DOC_FORMATS = ['docx', 'pdf', 'html', 'svg'] as const;
export type DocFormat = (typeof DOC_FORMATS)[number];
export const LURE_FORMAT_SHARE = 0.3;
/** Ordinary documents per decky and format: at least 3, so a first lure of a format is 1 in 4. */
const PER_FORMAT: Record<DocFormat, [number, number]> = { docx: [3, 6], pdf: [3, 6], html: [3, 5], svg: [3, 5] };
/** A project folder's first files: older than any lure (the ssh key's 240 days at most). */
const PROJECT_AGE_DAYS: [number, number] = [250, 420];

const USER_BODY: Record<UserClass, (c: UserBodyContext) => string> = { note: noteBody, todo: todoBody, draft: draftBody, script: scriptBody };

/** The document format of a path (by its extension), or null. */
export function docFormat(path: string): DocFormat | null {
  const m = /\.(docx|pdf|html|svg)$/.exec(path);
  return m ? (m[1] as DocFormat) : null;
}

/**
 * An instant of the persona's working time near `target`: inside the window of the latest
 * worked day whose window opens at or before `target`, at most `notAfter`, drawn against the
 * intensity curve. Whole seconds. A persona with no working day in the year before keeps `target`.
 *
 * The search goes back a year, not a month: a persona who works two days a week and takes ten
 * working days off is away five weekends running (the multi-zone fleet's weekend worker over
 * Christmas), and a month's search then found nothing and kept an off-hours `target`.
 */
export function workingInstant(cal: PersonaCalendar, target: number, r: Rng, notAfter: number): number {
  const d0 = Math.floor(target / DAY_MS) + 1;
  for (let d = d0; d > d0 - 370; d--) {
    const iv = cal.interval(d);
    if (iv === null || iv[0] > target || iv[0] >= notAfter) continue;
    const end = Math.min(iv[1], notAfter);
    let t = iv[0];
    for (let k = 0; k < 8; k++) {
      t = iv[0] + Math.floor((r() * (end - iv[0])) / 1000) * 1000;
      if (r() < levelIn(cal.spec, iv, t)) break;
    }
    return t;
  }
  return Math.floor(Math.min(target, notAfter) / 1000) * 1000;
}

export interface HomePersona {
  persona: Persona;
  email: string;
  calendar: PersonaCalendar;
  writer: Writer;
}

export interface HomeHistoryInputs {
  seed: string;
  uuid: string;
  hostname: string;
  startMs: number;
  personas: readonly HomePersona[];
  org: Organisation;
  settings: CanarySettings;
  paths: PathMemo;
  /** The decky's used paths: what the history takes is added (never edited later). */
  files: { has(p: string): boolean; add(p: string, f: null, today: null): void };
}

export interface HomeHistory {
  ops: FileOp[];
  /** Documents planted per format (a lure's share of its format is counted against these). */
  documents: Record<DocFormat, number>;
}

/** Backdated by an age in ms: an instant of the persona's working time, an hour before the start at the latest. */
function backdated(h: HomePersona, r: Rng, startMs: number, ageMs: number): number {
  return workingInstant(h.calendar, startMs - ageMs, r, startMs - 3_600_000);
}

function firstFree(files: HomeHistoryInputs['files'], paths: Iterable<string>): string | null {
  for (const p of paths) if (!files.has(p)) return p;
  return null;
}

/** A tools folder's README, in its owner's words (src/text/lexicon.ts, readme_*). */
function readme(r: Rng, writer: Writer, date: string, name: string, owner: string): string {
  const title = name.replace(/-/g, ' ');
  const vars = writer.vars(r, date, { title, owner });
  // Distinct notes, no two opening alike ("Needs read access to ..." twice reads generated).
  const notes = new Map<string, string>();
  for (let i = between(r, 2, 4); i > 0; i--) {
    const l = writer.line('readme_note', r, vars);
    const opening = l.split(' ').slice(0, 2).join(' ');
    if (!notes.has(opening)) notes.set(opening, l);
  }
  const run = `${r() < 0.8 ? './run.sh' : 'bash run.sh'}${r() < 0.4 ? pick(r, [' --dry-run', ' -v', ' --help']) : ''}`;
  const bullet = writer.style.bullet;
  return [`# ${title}`, '', capitalise(writer.line('readme_intro', r, vars)), '', writer.line('readme_heading', r, vars), '', '```', run, '```', '', writer.line('readme_notes_heading', r, vars), '', ...[...notes.values()].map((l) => `${bullet} ${l}`), ''].join('\n');
}

// A tools folder's .gitignore grows by what got in the way: groups of patterns, some of each,
// in the order someone adds them (a comment over a group now and then). One fixed file on
// every home of every deployment would be a fingerprint of its own.
const IGNORE_GROUPS: ReadonlyArray<{ label: string; p: number; patterns: readonly string[] }> = [
  { label: 'python', p: 0.75, patterns: ['*.pyc', '__pycache__/', '.venv/', 'venv/', '*.egg-info/', '.pytest_cache/'] },
  { label: 'settings', p: 0.8, patterns: ['.env', '.env.*', 'config.yml', '*.local', 'secrets/', '.netrc'] },
  { label: 'output', p: 0.85, patterns: ['out/', 'output/', '*.log', 'logs/', 'tmp/', '*.csv', 'reports/', '*.bak'] },
  { label: 'editor', p: 0.45, patterns: ['.vscode/', '.idea/', '*.swp', '*~', '.*.sw?'] },
  { label: 'os', p: 0.2, patterns: ['.DS_Store', 'Thumbs.db'] },
];

function gitignore(r: Rng): string {
  const lines: string[] = [];
  const comments = r() < 0.35;
  for (const g of IGNORE_GROUPS) {
    if (r() >= g.p && !(lines.length === 0 && g === IGNORE_GROUPS[IGNORE_GROUPS.length - 1])) continue;
    if (lines.length > 0 && (comments || r() < 0.3)) lines.push('');
    if (comments) lines.push(`# ${g.label}`);
    // Kept in the pool's order: the first patterns of a group are the ones people add first.
    const k = between(r, 1, Math.min(4, g.patterns.length));
    const picked = new Set(sample(r, g.patterns, k));
    for (const x of g.patterns) if (picked.has(x)) lines.push(x);
  }
  return lines.join('\n') + '\n';
}

/** One persona's ordinary files and project folder. */
function personaHistory(inp: HomeHistoryInputs, h: HomePersona, ops: FileOp[]): void {
  const p = h.persona;
  const r = fastStream(inp.seed, inp.uuid, 'history', 'home', p.name);
  const home = homeOf(p.login);
  const at = (ageMs: number) => backdated(h, r, inp.startMs, ageMs);
  // The project folder: set up first, touched again now and then.
  const repo = firstFree(inp.files, sample(r, REPOS, 3).map((x) => `${home}/${x}/README.md`));
  if (repo !== null) {
    const dir = repo.slice(0, -'/README.md'.length);
    const name = dir.slice(home.length + 1);
    const born = at(between(r, PROJECT_AGE_DAYS[0], PROJECT_AGE_DAYS[1]) * DAY_MS);
    const files: Array<[string, string, string, number]> = [[repo, readme(r, h.writer, localDate(p.timezone, born), name, p.name), '0644', born], [`${dir}/.gitignore`, gitignore(r), '0644', born]];
    const script = `${dir}/run.sh`;
    const later = at(Math.min(spreadAgeSeconds(r) * 1000 * 2, (PROJECT_AGE_DAYS[0] - 10) * DAY_MS));
    const date = localDate(p.timezone, later);
    files.push([script, scriptBody({ rng: r, path: script, writer: h.writer, date, done: [] }), '0755', later]);
    for (const [path, body, mode, mtimeMs] of files) {
      if (inp.files.has(path)) continue;
      inp.files.add(path, null, null);
      ops.push({ action: 'file:create', job: 'history', cls: 'source', persona: p.name, path, owner: p.login, mode, mtimeMs, body });
    }
  }
  // Notes, to-do lists, drafts and scripts, dated as they were written.
  const n = between(r, 4, 10);
  const classes: UserClass[] = ['note', 'todo', 'draft', 'script'];
  for (let i = 0; i < n; i++) {
    const cls = i < classes.length ? classes[i]! : pick(r, classes);
    const mtimeMs = at(spreadAgeSeconds(r) * 1000);
    const date = localDate(p.timezone, mtimeMs);
    const path = firstUnusedUserPath(cls, home, r, date, inp.paths, inp.files);
    if (path === null) continue;
    const body = USER_BODY[cls]({ rng: r, path, writer: h.writer, date, done: [] });
    inp.files.add(path, null, null);
    ops.push({ action: 'file:create', job: 'history', cls, persona: p.name, path, owner: p.login, mode: cls === 'script' ? '0755' : '0644', mtimeMs, body });
  }
}

const DOC_POOLS: Record<DocFormat, readonly string[]> = {
  docx: [...DOC_STEMS.map((s) => s.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('-')), 'Meeting-Notes', 'Team-Update', 'Change-Request', 'Project-Plan', 'Training-Plan', 'Handover-Notes'],
  pdf: [...DOC_STEMS, 'invoice', 'payslip', 'expense-claim', 'training-certificate', 'product-datasheet', 'user-manual', 'policy-handbook'],
  // Of the fingerprint lure's kinds only status pages: a page of links would link out.
  html: [...DOC_STEMS, ...HTML_STEMS.filter((h) => STATUS_STEM.test(h)), 'saved-search', 'release-notes', 'export'],
  svg: [...SVG_STEMS, 'floor-plan', 'logo', 'process-flow', 'wifi-coverage', 'backup-flow'],
};

/** The decky's ordinary documents, dealt to its personas. */
function documents(inp: HomeHistoryInputs, ops: FileOp[]): Record<DocFormat, number> {
  const count: Record<DocFormat, number> = { docx: 0, pdf: 0, html: 0, svg: 0 };
  if (inp.personas.length === 0) return count;
  const r = fastStream(inp.seed, inp.uuid, 'history', 'documents');
  for (const fmt of DOC_FORMATS) {
    const [lo, hi] = PER_FORMAT[fmt];
    const n = between(r, lo, hi);
    for (let i = 0; i < n; i++) {
      const h = pick(r, inp.personas);
      const p = h.persona;
      const home = homeOf(p.login);
      const mtimeMs = backdated(h, r, inp.startMs, spreadAgeSeconds(r) * 1000);
      const date = localDate(p.timezone, mtimeMs);
      const dir = fmt === 'pdf' && r() < 0.3 ? `${home}/Downloads` : `${home}/Documents`;
      const path = firstFree(inp.files, docCandidates(r, dir, DOC_POOLS[fmt], fmt, date, 6));
      if (path === null) continue;
      const ctx: CanaryContext = {
        slug: token(r, 12),
        callback: '',
        settings: inp.settings,
        atMs: mtimeMs,
        mtimeMs,
        rng: r,
        owner: { login: p.login, name: p.name, email: h.email, role: p.role },
        hostname: inp.hostname,
        path,
        org: inp.org,
      };
      const body = fmt === 'docx' ? generateHoneydocDocx(ctx) : fmt === 'pdf' ? generateHoneydocPdf(ctx) : fmt === 'html' ? (STATUS_STEM.test(basename(path).toLowerCase()) ? generatePlainHtml(ctx) : generateHoneydocHtml(ctx)) : generatePlainSvg(ctx);
      inp.files.add(path, null, null);
      ops.push({ action: 'file:create', job: 'history', cls: 'document', persona: p.name, path, owner: p.login, mode: '0644', mtimeMs, body });
      count[fmt]++;
    }
  }
  return count;
}

/** The pre-history of a decky's homes, oldest first (all of it before `startMs`). */
export function homeHistory(inp: HomeHistoryInputs): HomeHistory {
  const ops: FileOp[] = [];
  for (const h of inp.personas) personaHistory(inp, h, ops);
  const docs = documents(inp, ops);
  ops.sort((a, b) => a.mtimeMs! - b.mtimeMs!);
  return { ops, documents: docs };
}
