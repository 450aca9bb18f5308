// The streaming checker of SPEC 9, invariants 1 to 8 per event plus the counters that the
// statistical invariant (9) needs. Memory per (decky, path): the last content sha and size, the
// last mtime, the class and, for logs, the time of the newest line; append-only edits are
// verified by hashing the new body's prefix, so no old body is kept.
import { servesWeb } from '../realism/paths.js';
import { CANARY_CLASSES, EDITABLE_CLASSES, USER_CLASSES, type ContentClass, type PlanInputs } from '../inputs/types.js';
import type { TimelineEvent } from '../timeline/types.js';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../util/hash.js';
import { compareInstants, parseLogStamp } from '../util/time.js';
import { unstampedLinesAllowed } from '../machine/upgrades.js';
import { Activity } from './activity.js';
import { ContentChecker } from './content.js';
import { type BodyFacts, MAX_INFLATED, contentBytes, scanAppended, scanForWords } from './scan.js';
import { HomesChecker } from './homes.js';
import { SessionsChecker } from './sessions.js';
import { MachineChecker, mainLogOf } from './machine.js';
import { DUMP_SCRIPT } from '../machine/crontab.js';
import { StatCounters } from './statistics.js';
import { LocalDates, PersonaCalendar, windowDayAt } from '../sim/schedule.js';
import { calendarCountry, isPublicHoliday, ordOf, ymdOf } from '../world/calendar.js';

export interface Violation {
  invariant: number;
  eventId: string | null;
  decky: string | null;
  path: string | null;
  reason: string;
}

/**
 * An invariant module of check's one pass. runCheck reads the file once: each event, parsed
 * from its line or (while the file equals the re-planned bytes) the re-planned event itself, goes
 * through Checker.add, which runs invariants 1 to 8 and the content module (12 to 16) and then
 * every module in `modules`, in order, with the same event; `finish` runs once after the last
 * event (before the statistics of invariant 9 and the reproduction result of invariant 10).
 * A new invariant module (for example src/check/machine.ts) lives in its own file, implements
 * this, and is pushed onto `checker.modules` where the Checker is made (runCheck); it must not
 * change the event it is given (it may be the planner's object) and should keep per-path state
 * small, as Checker does.
 */
export interface InvariantModule {
  event(ev: TimelineEvent, report: (invariant: number, reason: string) => void): void;
  finish?(report: (v: Violation) => void): void;
}

export const MAX_BODY = 64 * 1024;
const SECRET_CLASSES: ReadonlySet<string> = new Set(['canary_aws_creds', 'canary_env_file', 'canary_ssh_key', 'canary_mysql_dump']);
const CANARY_SET: ReadonlySet<string> = new Set(CANARY_CLASSES);
const USER_SET: ReadonlySet<string> = new Set(USER_CLASSES);
// Drafts are not append-only: an edit adds a paragraph before the sign-off (issue 13).
const APPEND_ONLY: ReadonlySet<string> = new Set(['note', 'script', 'log_cron', 'log_daemon']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const FORBIDDEN: readonly string[] = ['decnet', 'canary'];

/**
 * The text view of a body (UTF-8 text for utf8 content, latin1 for base64): the event's own
 * string when the bytes were encoded from it and decode back to it (well-formed UTF-16).
 */
function bodyText(c: { encoding: string; data: string }, body: Uint8Array): string {
  if (c.encoding === 'utf8' && (c.data as unknown as { isWellFormed(): boolean }).isWellFormed()) return c.data;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString(c.encoding === 'utf8' ? 'utf8' : 'latin1');
}

function isLog(cls: string | undefined): boolean {
  return cls === 'log_cron' || cls === 'log_daemon';
}

interface FileRec {
  /** sha256 the timeline recorded for the last body, and the real one when they differ. */
  sha: string;
  realSha: string;
  bytes: number;
  mtimeMs: number;
  /** The last mtime as written (nanoseconds), for ordering within a second. */
  mtime: string;
  cls: string;
  persona: string | null;
  /** Newest syslog line (logs). */
  lastStampMs: number;
  canary: boolean;
  /** The mtime of the create that made the file (kept by edits and renames): the document's own date. */
  born: string;
  /** The forbidden-word scan of the last body found nothing. */
  clean: boolean;
  /** What an appended scan learnt of the last body (null: it was scanned whole). */
  facts: BodyFacts | null;
  /** Neither a reserved domain (14) nor a sample company (15) in the last body's text. */
  plain: boolean;
}

interface DeckyState {
  canaries: number;
  canaryTicks: Set<number>;
  canaryPaths: Set<string>;
}

export class Checker {
  readonly violations: Violation[] = [];
  violationCount = 0;
  readonly byInvariant = new Map<number, number>();
  events = 0;
  readonly stats: StatCounters;
  /** Further invariant modules, run on every event after the built-in ones (see InvariantModule). */
  readonly modules: InvariantModule[] = [];
  private readonly activity: Activity;
  private readonly files = new Map<string, FileRec>();
  private readonly deckies = new Map<string, DeckyState>();
  private readonly inputs: PlanInputs;
  private readonly maxListed: number;
  private readonly machine = new MachineChecker();

  private readonly content: ContentChecker;
  private readonly holidayCals = new Map<string, { country: string | null; calendar: PersonaCalendar }>();
  private readonly localDates = new LocalDates();

  constructor(inputs: PlanInputs, opts: { maxListed?: number; seed?: string | null } = {}) {
    this.inputs = inputs;
    this.content = new ContentChecker(inputs, opts.seed ?? null);
    this.activity = new Activity(inputs, opts.seed ?? null);
    this.stats = new StatCounters(inputs, this.activity);
    this.maxListed = opts.maxListed ?? 10_000;
    this.modules.push(new HomesChecker(inputs));
    this.modules.push(new SessionsChecker(inputs));
  }

  private readonly machineReport = (invariant: number, decky: string, path: string | null, reason: string, eventId?: string | null): void =>
    this.report({ invariant, eventId: eventId ?? null, decky, path, reason });


  report(v: Violation): void {
    this.violationCount++;
    this.byInvariant.set(v.invariant, (this.byInvariant.get(v.invariant) ?? 0) + 1);
    if (this.violations.length < this.maxListed) this.violations.push(v);
  }

  private deckyState(uuid: string): DeckyState {
    let s = this.deckies.get(uuid);
    if (!s) {
      s = { canaries: 0, canaryTicks: new Set(), canaryPaths: new Set() };
      this.deckies.set(uuid, s);
    }
    return s;
  }

  add(ev: TimelineEvent): void {
    this.events++;
    const t = Date.parse(ev.at);
    const v = (invariant: number, reason: string): void => this.report({ invariant, eventId: ev.id, decky: ev.decky.name, path: ev.path ?? null, reason });
    if (!this.activity.decky(ev.decky.uuid)) v(10, `decky ${ev.decky.uuid} is not in the header's fleet`);

    if (ev.kind === 'traffic') {
      const addr = ev.traffic?.dst?.address ?? '';
      if (/decnet/i.test(addr)) v(2, `traffic destination ${JSON.stringify(addr)} contains "decnet"`);
    }
    const before = this.stats.beforeEvent(ev, t);
    if (ev.kind === 'file') this.fileEvent(ev, t, v);
    this.stats.afterEvent(ev, before);
    for (const m of this.modules) m.event(ev, v);
  }

  /**
   * After the last event: the machine model's closing checks (17-19 need every file's final
   * mtime, so they live here rather than in a module), then the modules'.
   */
  finish(): void {
    const end = Date.parse(this.inputs.end);
    this.machine.finish(end, (uuid, p) => this.files.get(`${uuid}\u0000${p}`)?.mtimeMs, this.machineReport, (uuid) => this.activity.decky(uuid)?.services);
    for (const m of this.modules) m.finish?.((x) => this.report(x));
  }

  /**
   * The public holiday (of the persona's country) that t falls on, or null. A time inside a
   * working window counts for the local date the window starts on (a night shift that began the
   * evening before a holiday is that evening's work); any other time for its own local date.
   */
  private holidayOf(name: string, t: number): { date: string; country: string } | null {
    let h = this.holidayCals.get(name);
    if (h === undefined) {
      const p = this.activity.personas.get(name)!;
      // Working hours and days only (no days off), each day's window kept as the planner keeps it.
      h = { country: calendarCountry(p), calendar: new PersonaCalendar(p) };
      this.holidayCals.set(name, h);
    }
    if (h.country === null) return null;
    const cal = h.calendar;
    const ord = windowDayAt(cal.spec, t, (d) => cal.interval(d)) ?? ordOf(this.localDates.get(cal.spec.zone, t));
    return isPublicHoliday(h.country, ord) ? { date: ymdOf(ord), country: h.country } : null;
  }

  /** Renames and deletes: the file must exist; a rename's target must be free and clean. */
  private moveEvent(ev: TimelineEvent, key: string, prev: FileRec | undefined, v: (invariant: number, reason: string) => void): void {
    if (!prev) {
      v(3, `${ev.action === 'file:rename' ? 'rename' : 'delete'} of a file that is not on this decky`);
      return;
    }
    if (ev.contentClass !== undefined && ev.contentClass !== prev.cls) v(3, `${ev.action} names the class ${ev.contentClass} but the file is ${prev.cls}`);
    this.files.delete(key);
    if (ev.action === 'file:delete') return;
    const to = ev.to ?? '';
    const base = to.slice(to.lastIndexOf('/') + 1);
    if (/\d{8,}/.test(base)) v(1, `rename target ${JSON.stringify(base)} holds a run of 8+ digits`);
    if (!to.startsWith('/') || to.split('/').includes('..')) v(8, `rename target ${JSON.stringify(to)} is not a clean absolute path`);
    if (/decnet|canary/i.test(to)) v(2, 'rename target contains a forbidden word');
    const toKey = `${ev.decky.uuid}\u0000${to}`;
    if (this.files.has(toKey)) v(3, `rename onto ${to}, which already holds a file`);
    this.files.set(toKey, prev);
  }

  private fileEvent(ev: TimelineEvent, t: number, v: (invariant: number, reason: string) => void): void {
    const path = ev.path!;
    const cls = ev.contentClass as ContentClass | undefined;
    const key = `${ev.decky.uuid}\u0000${path}`;
    const prev = this.files.get(key);
    if (ev.action === 'file:rename' || ev.action === 'file:delete') {
      this.moveEvent(ev, key, prev, v);
      return;
    }

    // 1. basenames
    const base = path.slice(path.lastIndexOf('/') + 1);
    const digits = /\d{8,}/.exec(base);
    if (digits) v(1, `basename ${JSON.stringify(base)} holds a run of ${digits[0].length} digits`);

    // 8. paths
    if (!path.startsWith('/')) v(8, 'path is not absolute');
    if (path.split('/').includes('..')) v(8, 'path has a ".." segment');
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) v(8, 'path contains a control character');

    // 2. forbidden words in the path and the body (and whatever the body decodes to)
    if (/decnet/i.test(path)) v(2, 'path contains "decnet"');
    if (/canary/i.test(path)) v(2, 'path contains "canary" (a planted name)');
    const body = contentBytes(ev.content!);
    // The body's sha256 and, for an append-only edit, whether the old body is its prefix (the
    // prefix's hash is the running hash's state at the old length: one pass over the bytes).
    const appendOnly = ev.action !== 'file:create' && prev !== undefined && APPEND_ONLY.has(cls ?? '');
    let realSha: string;
    let isPrefix = false;
    if (appendOnly && body.length >= prev.bytes) {
      const h = createHash('sha256').update(body.subarray(0, prev.bytes));
      isPrefix = h.copy().digest('hex') === prev.realSha;
      realSha = h.update(body.subarray(prev.bytes)).digest('hex');
    } else realSha = sha256Hex(body);
    // An appended body whose old part was clean: mostly only the new bytes need scanning.
    // A rotated log's archive holds the body `.1` had, scanned then: if clean, it is not read again.
    const rotated = /^(.*)\.\d+\.gz$/.exec(path);
    const earlier = rotated === null ? undefined : this.files.get(`${ev.decky.uuid}\u0000${rotated[1]}.1`);
    const cleanGzip = earlier?.clean ? (inflated: Uint8Array): boolean => inflated.length === earlier.bytes && sha256Hex(inflated) === earlier.realSha : undefined;
    const scanned = appendOnly && isPrefix && prev.clean ? scanAppended(body, prev.bytes, FORBIDDEN, prev.facts) : { findings: scanForWords(body, FORBIDDEN, cleanGzip), facts: null };
    const findings = scanned.findings;
    for (const f of findings) v(2, f.tooLarge ? `planted body holds compressed data that inflates past ${MAX_INFLATED} bytes (in ${f.where}): not inspected` : `planted body contains "${f.word}" (in ${f.where})`);
    // 12 to 16: what the text itself gives away (src/check/content.ts).
    // A document's own date is the day it was written: an edit days later keeps it (a to-do list
    // edited on Monday still holds Friday's "due Saturday" item, done or not).
    const born = ev.action === 'file:create' || !prev ? (ev.mtime ?? ev.at) : prev.born;
    const text = bodyText(ev.content!, body);
    // An ASCII text (as many characters as bytes) appended to a plain one: 14 and 15 look at the new part.
    const appendedText = appendOnly && isPrefix && prev.plain && ev.content!.encoding === 'utf8' && text.length === body.length ? prev.bytes : 0;
    const plain = this.content.check(ev, text, v, born, appendedText);
    if (ev.canary) {
      if (/decnet/i.test(ev.canary.callback)) v(2, `callback ${JSON.stringify(ev.canary.callback)} contains "decnet"`);
      else if (/canary/i.test(ev.canary.callback)) v(2, `callback ${JSON.stringify(ev.canary.callback)} contains "canary" (the artifact carries it)`);
      if (/decnet|canary/i.test(ev.canary.slug)) v(2, 'canary slug contains a forbidden word');
    }

    // 8. body size; 3. the recorded hash and size describe the body
    if (body.length > MAX_BODY) v(8, `body is ${body.length} bytes (limit ${MAX_BODY})`);
    if (realSha !== ev.content!.sha256) v(3, 'content.sha256 does not match the body (edited after planning?)');
    else if (body.length !== ev.content!.bytes) v(3, `content.bytes says ${ev.content!.bytes} but the body has ${body.length}`);

    // 5. mtimes
    let mtimeMs = NaN;
    if (typeof ev.mtime !== 'string' || !ISO.test(ev.mtime)) v(5, `mtime ${JSON.stringify(ev.mtime)} is not an ISO 8601 UTC instant`);
    else mtimeMs = Date.parse(ev.mtime);
    // `at` has whole seconds; the write happens within that second, so its mtime may carry a fraction.
    if (mtimeMs >= t + 1000) v(5, `mtime ${ev.mtime} is after the event time ${ev.at}`);
    if (prev && Number.isFinite(mtimeMs) && prev.mtime !== '' && compareInstants(ev.mtime!, prev.mtime) < 0) v(5, `mtime ${ev.mtime} is before the file's previous mtime ${prev.mtime}`);
    if (ev.atime !== undefined) {
      if (typeof ev.atime !== 'string' || !ISO.test(ev.atime)) v(5, `atime ${JSON.stringify(ev.atime)} is not an ISO 8601 UTC instant`);
      else if (Number.isFinite(mtimeMs) && compareInstants(ev.atime, ev.mtime!) < 0) v(5, `atime ${ev.atime} is before the mtime ${ev.mtime}`);
    }
    // 17. gzip stamps an archive's header with the mtime of the file it compressed (whole seconds),
    // and the archive keeps that mtime.
    if (rotated !== null && cls === 'log_archive' && ev.action === 'file:create' && Number.isFinite(mtimeMs) && body.length >= 10 && body[0] === 0x1f && body[1] === 0x8b) {
      const stamped = body[4]! | (body[5]! << 8) | (body[6]! << 16) | (body[7]! * 2 ** 24);
      if (stamped !== Math.floor(mtimeMs / 1000)) v(17, `${path}: the gzip header says it was compressed from a file last written at ${stamped === 0 ? 'no time (0)' : new Date(stamped * 1000).toISOString()}, the archive's mtime is ${ev.mtime}`);
    }

    // 3. lifecycle
    let appendedFrom = 0;
    let rewritten = false;
    if (ev.action === 'file:create') {
      if (prev) v(3, 'create of a path that already exists on this decky');
      if (ev.previousSha256 !== undefined) v(3, 'a create carries previousSha256');
    } else {
      if (!prev) v(3, 'edit of a file that no earlier event created on this decky');
      else {
        if (ev.previousSha256 !== prev.sha) v(3, `previousSha256 ${String(ev.previousSha256).slice(0, 12)}.. does not match the file's last content ${prev.sha.slice(0, 12)}..`);
        if (cls !== prev.cls) v(3, `edit changes the class from ${prev.cls} to ${cls}`);
      }
      if (cls && !EDITABLE_CLASSES.has(cls)) v(3, `${cls} files are not editable`);
      // 4. append-only edits (logs; notes, drafts and scripts grow at the end too, SPEC 4.4)
      if (appendOnly) {
        if (isPrefix) appendedFrom = prev.bytes;
        else rewritten = true;
        if (!isPrefix) v(4, isLog(cls) ? 'log edit does not only append (the old body is not a prefix of the new one)' : `${cls} edit does not append (the old body is not a prefix of the new one)`);
      }
    }

    // 4. log lines in time order, none after the file's mtime
    let lastStampMs = prev && isLog(prev.cls) && appendedFrom > 0 ? prev.lastStampMs : -Infinity;
    if (isLog(cls)) {
      const text = Buffer.from(body.buffer, body.byteOffset + appendedFrom, body.byteLength - appendedFrom).toString('utf8');
      const ref = Number.isFinite(mtimeMs) ? mtimeMs : t;
      let reported = false;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const s = parseLogStamp(line, ref);
        if (s === null) {
          if (unstampedLinesAllowed(path)) continue; // dpkg's output, apt's entries: between their stamps
          if (!reported) v(4, `log line without a syslog timestamp: ${JSON.stringify(line.slice(0, 40))}`);
          reported = true;
          continue;
        }
        if (s < lastStampMs && !reported) {
          v(4, `log line ${JSON.stringify(line.slice(0, 15))} is older than the line before it`);
          reported = true;
        }
        if (Number.isFinite(mtimeMs) && s > mtimeMs && !reported) {
          v(4, `log line ${JSON.stringify(line.slice(0, 15))} is after the file's mtime ${ev.mtime}`);
          reported = true;
        }
        lastStampMs = Math.max(lastStampMs, s);
        // A rewritten log (invariant 4) would feed old lines again: only new lines count here.
        if (!rewritten) this.machine.line(ev.decky.uuid, ev.decky.name, path, s, line, this.machineReport, ev.id);
      }
    }
    // 20. nginx's logs only where nginx runs (a decky that serves the web).
    if (ev.action === 'file:create' && path.startsWith('/var/log/nginx/')) {
      const dk = this.activity.decky(ev.decky.uuid);
      if (dk && !servesWeb(dk.services)) v(20, `${path} on a decky that serves no web (services ${dk.services.join(', ')})`);
    }
    if (ev.action === 'file:create' && ev.job !== undefined) {
      if (path === '/etc/crontab' || path.startsWith('/etc/cron.d/')) this.machine.crontab(ev.decky.uuid, ev.decky.name, path, Buffer.from(body).toString('utf8'), this.machineReport, ev.id);
      if (mainLogOf(path) === path) this.machine.planted(ev.decky.uuid, ev.decky.name, path);
      if (path === DUMP_SCRIPT) this.machine.dumpScript(ev.decky.uuid, ev.decky.name, Buffer.from(body).toString('utf8'));
    }
    if (cls === 'canary_mysql_dump' && ev.action === 'file:create' && Number.isFinite(mtimeMs)) this.machine.dumpLure(ev.decky.uuid, ev.decky.name, path, mtimeMs, ev.id);

    // 6. user content inside the owner's working hours and days
    if (cls && USER_SET.has(cls)) {
      const name = ev.persona;
      const decky = this.activity.decky(ev.decky.uuid);
      if (name === undefined) v(6, `${cls} event without a persona`);
      else if (!this.activity.personas.has(name)) v(6, `persona ${JSON.stringify(name)} is not in the header's personas`);
      else {
        if (decky && !decky.personas.includes(name)) v(6, `persona ${JSON.stringify(name)} does not work on ${decky.name}`);
        // The homes' pre-history is planted at the start but was written at its mtime.
        const written = ev.job === 'history' && Number.isFinite(mtimeMs) ? mtimeMs : t;
        if (!this.activity.isActive(name, written)) {
          const p = this.activity.personas.get(name)!;
          v(6, `${cls} ${ev.action === 'file:edit' ? 'edit' : 'create'} at ${ev.job === 'history' ? ev.mtime : ev.at} is outside ${name}'s working time (${p.active_hours} ${p.timezone}, ${p.workdays.join(',')})`);
        }
        // 21. nobody works on their public holidays (the machine's own events are not a persona's work)
        if (ev.job === undefined) {
          const day = this.holidayOf(name, t);
          if (day !== null) v(21, `${cls} ${ev.action === 'file:edit' ? 'edit' : 'create'} at ${ev.at} by ${name} on ${day.date}, a public holiday in ${day.country}`);
        }
      }
    }

    // 7. canaries
    const isCanaryClass = cls !== undefined && CANARY_SET.has(cls);
    if (isCanaryClass !== (ev.canary !== undefined)) v(7, isCanaryClass ? `${cls} event without a canary record` : 'canary record on a non-canary class');
    if (isCanaryClass && ev.action === 'file:create') {
      const d = this.deckyState(ev.decky.uuid);
      if (d.canaryTicks.has(ev.tick)) v(7, `second canary in tick ${ev.tick}`);
      d.canaryTicks.add(ev.tick);
      d.canaries++;
      const cap = this.inputs.config.canaryCapPerDecky;
      if (d.canaries > cap) v(7, `canary number ${d.canaries} on this decky (cap ${cap})`);
      if (d.canaryPaths.has(path)) v(7, 'a canary already holds this path on this decky');
      d.canaryPaths.add(path);
      if (SECRET_CLASSES.has(cls!) && ev.mode !== '0600') v(7, `${cls} is secret-bearing but its mode is ${ev.mode}`);
    }

    this.files.set(key, {
      sha: ev.content!.sha256,
      realSha,
      bytes: body.length,
      mtimeMs: Number.isFinite(mtimeMs) ? Math.max(mtimeMs, prev?.mtimeMs ?? -Infinity) : (prev?.mtimeMs ?? -Infinity),
      mtime: Number.isFinite(mtimeMs) && (!prev || prev.mtime === '' || compareInstants(ev.mtime!, prev.mtime) >= 0) ? ev.mtime! : (prev?.mtime ?? ''),
      cls: cls ?? prev?.cls ?? '',
      persona: ev.persona ?? null,
      lastStampMs,
      canary: isCanaryClass,
      born,
      clean: findings.length === 0,
      facts: scanned.facts,
      plain,
    });
    if (ev.companions !== undefined) this.companions(ev, mtimeMs, isCanaryClass, v);
  }

  /** The files planted with a lure: the same path, word and size rules; each path new. */
  private companions(ev: TimelineEvent, mtimeMs: number, isCanary: boolean, v: (invariant: number, reason: string) => void): void {
    if (!isCanary || ev.action !== 'file:create') v(7, 'companion files on an event that is not a canary create');
    for (const c of ev.companions!) {
      const base = c.path.slice(c.path.lastIndexOf('/') + 1);
      // Git's loose objects are named by their hash: 38 hex digits are git's, not an epoch.
      if (/\d{8,}/.test(base) && !/\/\.git\/objects\/[0-9a-f]{2}\/[0-9a-f]{38}$/.test(c.path)) v(1, `companion basename ${JSON.stringify(base)} holds a run of 8+ digits`);
      // eslint-disable-next-line no-control-regex
      if (!c.path.startsWith('/') || c.path.split('/').includes('..') || /[\u0000-\u001f\u007f-\u009f]/.test(c.path)) v(8, `companion path ${JSON.stringify(c.path)} is not a clean absolute path`);
      if (/decnet|canary/i.test(c.path)) v(2, `companion path ${c.path} contains a forbidden word`);
      const body = contentBytes(c.content);
      const findings = scanForWords(body, FORBIDDEN);
      for (const f of findings) v(2, f.tooLarge ? `companion ${c.path} holds compressed data that inflates past ${MAX_INFLATED} bytes (in ${f.where}): not inspected` : `companion ${c.path} contains "${f.word}" (in ${f.where})`);
      if (body.length > MAX_BODY) v(8, `companion ${c.path} is ${body.length} bytes (limit ${MAX_BODY})`);
      const realSha = sha256Hex(body);
      if (realSha !== c.content.sha256 || body.length !== c.content.bytes) v(3, `companion ${c.path}: content.sha256 or bytes do not match the body`);
      const key = `${ev.decky.uuid}\u0000${c.path}`;
      if (this.files.has(key)) v(3, `companion ${c.path} is a path that already exists on this decky`);
      // Its own mtime (generator 20 on): an ISO instant, before the lure's (written just before it).
      let own = mtimeMs;
      if (c.mtime !== undefined) {
        own = Date.parse(c.mtime);
        if (typeof c.mtime !== 'string' || !ISO.test(c.mtime) || !Number.isFinite(own)) v(5, `companion ${c.path}: mtime ${JSON.stringify(c.mtime)} is not an ISO 8601 UTC instant`);
        else if (ev.mtime !== undefined && compareInstants(c.mtime, ev.mtime) > 0) v(5, `companion ${c.path}: mtime ${c.mtime} is after the lure's ${ev.mtime} (written with it, before it)`);
      }
      this.files.set(key, { sha: c.content.sha256, realSha, bytes: body.length, mtimeMs: own, mtime: c.mtime ?? ev.mtime ?? ev.at, cls: ev.contentClass ?? '', persona: ev.persona ?? null, lastStampMs: -Infinity, canary: true, born: ev.mtime ?? ev.at, clean: findings.length === 0, facts: null, plain: false });
    }
  }
}
