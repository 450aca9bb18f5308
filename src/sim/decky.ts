// One decky's simulation: its own tick stream, its own file model, one event per tick (SPEC 3.2).
// Deckies never read each other's state, so adding a decky leaves every other decky's file
// events unchanged. Every draw comes from a stream labelled (seed, decky uuid, tick, purpose).
import { REPORT_KEEP_DAYS } from '../machine/crontab.js';
import { CANARY_SPECS } from '../canary/registry.js';
import { APP_LOGS } from '../realism/words.js';
import type { CanaryClass, ContentClass, Decky, Persona, SystemClass, UserClass } from '../inputs/types.js';
import { cacheBody } from '../realism/cache.js';
import { editText, editTodo } from '../realism/edits.js';
import { appLogAppend, appLogCreate } from '../realism/logs.js';
import { APP_STREAMS, TICK_NAMES, type SystemHost, appLogPath, appOfLog, appStreamOf, deckyApps, firstUnusedSystemPath, pathDate, firstUnusedUserPath, homeOf, servesWeb } from '../realism/paths.js';
import type { FileOp, LogFile } from '../machine/logs.js';
import { HISTORY_LOG_DAYS, Machine, type PastSession } from '../machine/machine.js';
import { type DocFormat, LURE_FORMAT_SHARE, docFormat, homeHistory, workingInstant } from '../machine/home-history.js';
import { Homes, sudoCommand } from '../machine/homes.js';
import { type UserIds, idsOf } from '../bake/owners.js';
import { draftBody, noteBody, scriptBody, todoBody, type UserBodyContext } from '../realism/text.js';
import { type AleaStream, aleaFromState } from '../rng/alea.js';
import { Writer } from '../text/writer.js';
import { drawSlug } from '../canary/callback.js';
import { type Rng, StreamFamily, between, exponential, fastStream, pick, stream, token, weighted } from '../rng/stream.js';
import { jsonContent } from '../timeline/encode.js';
import type { CanaryRef, Content, TimelineEvent, TrafficRef } from '../timeline/types.js';
import { sha256Hex } from '../util/hash.js';
import { IsoClock, isoNanos, isoSeconds, utcDate } from '../util/time.js';
import type { SimContext } from './context.js';
import { isSsh } from './context.js';
import { type FileState, FileModel, hasRoom } from './files.js';
import { Schedule, TrafficShare, localDate } from './schedule.js';
import { FleetTraffic, TYPED_SHARE, peerSlot, probeClient, probeRoute, trafficShareOf, typist } from './fleet-traffic.js';
import { presenceSalt } from '../world/calendar.js';
import { hostFor } from '../world/organisation.js';
import { companionTimes, fileTimes } from './times.js';

const LEAVE_ALONE = 0.1;
const EDIT_BELOW = 0.4;
const LOOKUP_CHANCE = 0.5;
const USER_SHARE = 0.7;
const DAY_MS = 86_400_000;
/** What people ran with sudo in the days before the horizon (as they type it). */
const PAST_SUDO = ['sudo apt update', 'sudo journalctl -u ssh --since today', 'sudo tail -n 50 /var/log/syslog', 'sudo ss -tlnp', 'sudo less /var/log/auth.log', 'sudo -i', 'sudo systemctl status cron'];

interface ActivePersona {
  persona: Persona;
  schedule: Schedule;
}

const USER_BODY: Record<UserClass, (c: UserBodyContext) => string> = { note: noteBody, todo: todoBody, draft: draftBody, script: scriptBody };

// Char codes of the hex digits: an id is built by one String.fromCharCode call (one string
// allocated instead of a chain of concatenations).
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/** 16 lowercase hex digits of two 32-bit words, high nibble first. */
function hex16(a: number, b: number): string {
  return String.fromCharCode(
    HEX[(a >>> 28) & 15]!, HEX[(a >>> 24) & 15]!, HEX[(a >>> 20) & 15]!, HEX[(a >>> 16) & 15]!, HEX[(a >>> 12) & 15]!, HEX[(a >>> 8) & 15]!, HEX[(a >>> 4) & 15]!, HEX[a & 15]!,
    HEX[(b >>> 28) & 15]!, HEX[(b >>> 24) & 15]!, HEX[(b >>> 20) & 15]!, HEX[(b >>> 16) & 15]!, HEX[(b >>> 12) & 15]!, HEX[(b >>> 8) & 15]!, HEX[(b >>> 4) & 15]!, HEX[b & 15]!,
  );
}

function isLog(cls: ContentClass): boolean {
  return cls === 'log_cron' || cls === 'log_daemon';
}

function textContent(body: string): Content {
  return { encoding: 'utf8', data: body, bytes: Buffer.byteLength(body), sha256: sha256Hex(body) };
}

export class DeckySim {
  readonly decky: Decky;
  private readonly ctx: SimContext;
  private readonly ref: { uuid: string; name: string };
  /** Per-tick streams: purpose 0 decisions, 1 content, 2 canary choices, 3 file times. */
  private readonly ticks: StreamFamily;
  // One stream object per purpose, restarted at each use (a restart gives exactly the stream a
  // fresh child would): every stream is dead by the time its purpose is restarted, since all
  // of a tick's work completes synchronously and nothing keeps a stream past it.
  private readonly decideRng = aleaFromState(1, 0, 0, 0);
  private readonly contentRng = aleaFromState(1, 0, 0, 0);
  private readonly choiceRng = aleaFromState(1, 0, 0, 0);
  private readonly timesRng = aleaFromState(1, 0, 0, 0);
  private readonly clock: Rng;
  private readonly personas: ActivePersona[];
  private readonly trafficShare: TrafficShare;
  private readonly logins: string[];
  /** Number of traffic destinations: every SSH peer with an address but this decky. */
  private readonly peerCount: number;
  /** This decky's index in ctx.sshPeers (skipped when picking a destination), or -1. */
  private readonly self: number;
  private readonly files = new FileModel();
  private readonly iso = new IsoClock();
  private readonly salt: number;
  /** The applications the decky runs and whether it serves the web (files outside the homes). */
  private readonly host: SystemHost;
  /**
   * Each application's dated files on disk, oldest first, and the days it keeps them: at the
   * first write of a new file the application deletes those past its retention (a daily file
   * appender's max age).
   */
  private readonly appFiles = new Map<string, string[]>();
  /** Each cron job's dated reports (path, mtime), oldest first: its script prunes them (crontab.ts). */
  private readonly reports = new Map<string, Array<{ path: string; ms: number }>>();
  private readonly appKeepDays: number;
  private readonly fileTopic: string;
  /** The current tick's common fields (reused: every event copies them out within the tick). */
  private readonly head: Pick<TimelineEvent, 'id' | 'at' | 'tick' | 'decky'>;
  /** Whether cache_tmp paths must be remembered (see the constructor). */
  private readonly rememberCache: boolean;
  /** Each persona's writer on this decky (made on first use). */
  private readonly writers = new Map<string, Writer>();
  /** Per persona: to-do items ticked lately and not yet written down as done (at most 6). */
  private readonly done = new Map<string, string[]>();
  private canaries = 0;
  /** AWS lures planted on this decky so far (picks its next operator key pair). */
  private awsLures = 0;
  /** Lures' mtimes by path: a backup copy (`x.bak`, `x.old`) is dated before the file it copies. */
  private readonly lureMtimes = new Map<string, number>();
  /** The clock's tick index (labels the per-tick streams). */
  private tick = -1;
  /** The wire `tick`: this decky's event sequence number, machine events included. */
  private seq = 0;
  /** Time of the latest event returned. */
  private t: number;
  /** Time of the next clock tick (null: not drawn yet). */
  private nextTickMs: number | null = null;
  private lastDay = -1;
  /** The decky as a machine: boots, crontab, system logs, logrotate, cleanup jobs. */
  private readonly machine: Machine;
  /** The fleet's canary weights, less the classes this decky cannot hold (a dump without a dump job). */
  private readonly canaryWeights: ReadonlyArray<readonly [CanaryClass, number]>;
  /** Ids of the machine's own events (one stream, drawn in order). */
  private readonly machineIds: AleaStream;
  /** Machine events made but not returned yet. */
  private queue: TimelineEvent[] = [];
  private started = false;
  /** Logs with lines not written out, looked up once per file tick. */
  private pendingLogs: LogFile[] = [];
  /** Documents per format on the decky (the homes' pre-history and lures), and lures among them. */
  private documents: Record<DocFormat, number> = { docx: 0, pdf: 0, html: 0, svg: 0 };
  private readonly lureDocuments: Record<DocFormat, number> = { docx: 0, pdf: 0, html: 0, svg: 0 };
  /** The personas' homes: dotfiles, ~/.ssh, shell history (src/machine/homes.ts). */
  private readonly homes: Homes;
  /** uid and gid per login, as the decky's /etc/passwd has them (its logs print the uids). */
  private readonly uids: UserIds;
  /** Who is at the keyboard for this tick's probe (null: a tool's connection, or no probe). */
  private typist: string | null = null;
  /** Whether the typist has an account on the probed peer (then they typed `ssh <peer>`). */
  private hop = false;

  /** `traffic`: the plan's model of probes between deckies (one per plan; made here when alone). */
  constructor(ctx: SimContext, decky: Decky, traffic: FleetTraffic = new FleetTraffic(ctx, [decky])) {
    this.ctx = ctx;
    this.decky = decky;
    this.ref = { uuid: decky.uuid, name: decky.name };
    // Streams are labelled (seed, decky uuid, tick, purpose). The (seed, uuid) prefix is hashed
    // once into a short key: alea's seeding cost grows with the label length.
    this.clock = fastStream(ctx.seed, decky.uuid, 'clock');
    this.salt = stream(ctx.seed, decky.uuid, 'salt').int32() >>> 8;
    const ar = stream(ctx.seed, decky.uuid, 'apps');
    this.host = { apps: deckyApps(ar), web: servesWeb(decky.services) };
    this.appKeepDays = pick(ar, [7, 14, 14, 30]);
    this.ticks = new StreamFamily(ctx.seed, decky.uuid, 'tick');
    this.personas = decky.personas.map((n) => ({ persona: ctx.personas.get(n)!, schedule: new Schedule(ctx.calendars.get(n)!, presenceSalt(ctx.seed, decky.uuid, n)) }));
    this.trafficShare = trafficShareOf(ctx, decky, this.personas.map((p) => p.schedule));
    this.logins = [...new Set(this.personas.map((p) => p.persona.login))];
    // Destinations are not materialised per decky (a per-pair route list is quadratic in the
    // fleet): a draw over the peers without this decky, then an index into the shared routes.
    ({ self: this.self, peerCount: this.peerCount } = peerSlot(ctx, decky));
    this.fileTopic = `orchestrator.file.${decky.uuid}`;
    this.head = { id: '', at: '', tick: 0, decky: this.ref };
    this.t = ctx.startMs;
    // A cache_tmp name embeds tickName(tick), one-to-one below TICK_NAMES ticks, and no other
    // class makes /tmp paths: such a name is never proposed again, so remembering it only grows
    // memory with the horizon. Kept anyway when a decky could come near TICK_NAMES ticks (an
    // interval of a few seconds over years), where names could repeat.
    this.rememberCache = (ctx.endMs - ctx.startMs) / 1000 / ctx.inputs.interval >= TICK_NAMES / 4;
    const backup = hostFor(ctx.org, 'backup') ?? hostFor(ctx.org, 'nas');
    this.machine = new Machine(ctx.seed, decky.uuid, decky.hostname, ctx.startMs, { services: decky.services, backupHost: backup?.fqdn ?? `backup.${ctx.org.internalDomain}`, ntpDomain: ctx.org.internalDomain, inbox: traffic.inbox(decky.uuid), apps: this.host.apps.map((a) => APP_LOGS[a]!),
      // A person who hops here from a peer: their account, and the key their agent forwards.
      hopAccount: (login) => (this.logins.includes(login) ? { uid: this.uids.get(login)?.uid ?? 0, key: this.homes.source(login).key } : null),
      address: decky.address ?? null,
      // Its users keep the hours of the people who work here (or the fleet's first persona's).
      web: this.host.web ? { org: ctx.org, zone: this.personas[0]?.persona.timezone ?? ctx.personas.values().next().value?.timezone ?? 'UTC', https: decky.services.includes('https') } : null });
    // A dump lure is a dump the decky's nightly job left behind: without the job, it is never drawn.
    this.canaryWeights = this.machine.dump !== null ? ctx.canaryWeights : ctx.canaryWeights.map(([c, w]) => [c, CANARY_SPECS[c].systemOwned ? 0 : w] as const);
    this.machineIds = fastStream(ctx.seed, decky.uuid, 'machine', 'ids');
    this.uids = idsOf(decky, this.logins);
    for (const p of this.machine.reservedPaths()) this.files.add(p, null, null);
    const entries = this.machine.crontab.entries;
    this.homes = new Homes(decky.uuid, this.personas.map((p) => ({ login: p.persona.login, persona: p.persona })), ctx.homes, ctx.org, {
      apps: this.host.apps.map((a) => APP_LOGS[a]!),
      jobs: entries.flatMap((e) => (e.job?.log ? [e.job.name] : [])),
      backups: entries.some((e) => e.job?.dump !== undefined),
      web: this.host.web,
      db: this.machine.db !== null,
    });
    for (const p of this.homes.reservedPaths()) this.files.add(p, null, null);
  }

  /** Current clock of this decky (UTC ms of its latest tick). */
  get now(): number {
    return this.t;
  }

  /** The next event of this decky, or null once its clock passes the end of the horizon. */
  next(): TimelineEvent | null {
    if (!isSsh(this.decky)) return null; // no shell to act on: the decky takes no part
    if (this.queue.length > 0) return this.dequeue();
    if (!this.started) {
      this.started = true;
      const past = this.pastSessions();
      this.machine.planPast(past);
      this.enqueue(this.ctx.startMs, this.machine.history(this.ctx.startMs));
      const lastLogout = new Map<string, number>();
      for (const x of past) if (x.endMs > (lastLogout.get(x.login) ?? -Infinity)) lastLogout.set(x.login, x.endMs);
      this.enqueue(this.ctx.startMs, this.homes.history(this.ctx.startMs, lastLogout));
      this.homesHistory();
      this.appsHistory();
      if (this.queue.length > 0) return this.dequeue();
    }
    if (this.nextTickMs === null) this.nextTickMs = this.t + exponential(this.clock, this.ctx.inputs.interval) * 1000;
    // The machine acts on its own files (logrotate, cleanup jobs) between the ticks.
    for (let due = this.machine.nextDue(); due <= this.nextTickMs && due < this.ctx.endMs; due = this.machine.nextDue()) {
      const { at, ops } = this.machine.runDue();
      this.enqueue(at, ops);
      if (this.queue.length > 0) return this.dequeue();
    }
    // No write-out at the horizon's end: what a plan holds up to any instant must not depend on
    // how far the plan reaches (a shorter plan is a prefix of a longer one).
    if (this.nextTickMs >= this.ctx.endMs) return null;
    this.t = this.nextTickMs;
    this.nextTickMs = null;
    this.tick++;
    const day = Math.floor(this.t / DAY_MS);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.files.prune(utcDate(this.t - 3 * DAY_MS));
      this.files.closeDatedLogs(utcDate(this.t));
    }
    const ev = this.step(this.ticks.restart(this.decideRng, this.tick, 0));
    this.homesAfter(ev);
    return ev;
  }

  /**
   * The homes' part of a tick (src/machine/homes.ts): what the person at the keyboard typed for
   * this event, and the shell history bash writes when a session has ended (their ops follow the
   * tick's event, at its time).
   */
  private homesAfter(ev: TimelineEvent): void {
    if (ev.kind === 'file' && ev.persona !== undefined && ev.owner !== undefined && ev.action !== 'file:delete') {
      this.homes.fileTyped(ev.owner, this.t, ev.path!, ev.contentClass!, ev.action);
    } else if (ev.kind === 'traffic' && this.typist !== null) {
      // Someone here is at the keyboard either way (their session and its timing must not depend
      // on the peers the fleet has): an ssh where they have an account, else a command of their own.
      if (this.hop) this.homes.sshTyped(this.typist, this.t, ev.traffic!.dst.uuid);
      else this.homes.typedInstead(this.typist, this.t);
    }
    let ops: FileOp[] | null = null;
    for (const login of this.homes.withPending()) {
      // The person logged in over SSH before typing: auth.log has the session, and their sudo.
      if (this.homes.typing(login) && !this.machine.loggedIn(login)) this.machine.login(this.t, login, this.uids.get(login)?.uid ?? 0, this.homes.source(login));
      for (const x of this.homes.takeSudos(login)) {
        const cmd = sudoCommand(x.cmd);
        if (cmd !== null) this.machine.sudo(x.ms, login, x.cwd, cmd);
      }
      // A session ends with the working window (a moment away from the desk keeps the shell open).
      if (this.personas.some((p) => p.persona.login === login && p.schedule.isActive(this.t))) continue;
      const floor = this.machine.loggedIn(login) ? this.machine.sessionFloor(login) : null;
      if (floor === null) {
        // No session open: a reboot ended it, and bash wrote the history as the shutdown killed
        // its shell, at the instant auth.log closes the session.
        const ended = this.machine.lastSessionEnd(login);
        (ops ??= []).push(...(Number.isFinite(ended) ? this.homes.logout(login, Math.min(ended, this.t), ended) : this.homes.logout(login, this.t)));
        continue;
      }
      (ops ??= []).push(...this.homes.logout(login, this.t, floor));
      // sshd logs the disconnect when bash has written the history.
      this.machine.logout(Math.max(this.homes.loggedOutAt(login), Math.min(Math.floor(this.t / 1000) * 1000, Math.ceil(floor / 1000) * 1000)), login);
    }
    if (ops !== null && ops.length > 0) this.enqueue(this.t, ops);
  }

  private base(r: Rng): Pick<TimelineEvent, 'id' | 'at' | 'tick' | 'decky'> {
    const h = this.head;
    const hi = r.int32();
    h.id = hex16(hi, r.int32());
    h.at = this.iso.format(this.t);
    h.tick = this.seq++;
    return h;
  }

  private dequeue(): TimelineEvent {
    const ev = this.queue.shift()!;
    this.t = Date.parse(ev.at);
    return ev;
  }

  /**
   * The SSH sessions of the days the pre-history's logs cover: one or two per worked day of each
   * login's persona, inside the working window, now and then with a sudo.
   */
  private pastSessions(): PastSession[] {
    const out: PastSession[] = [];
    const { startMs } = this.ctx;
    const from = startMs - HISTORY_LOG_DAYS * DAY_MS;
    for (const login of this.logins) {
      const persona = this.personas.find((p) => p.persona.login === login)!.persona;
      const cal = this.ctx.calendars.get(persona.name)!;
      const r = fastStream(this.ctx.seed, this.decky.uuid, 'machine', 'past-sessions', login);
      const src = this.homes.source(login);
      const uid = this.uids.get(login)?.uid ?? 0;
      const home = homeOf(login);
      for (let d = Math.floor(from / DAY_MS) - 1; d <= Math.floor(startMs / DAY_MS); d++) {
        const iv = cal.interval(d);
        if (iv === null || iv[0] < from || iv[1] > startMs - 3_600_000) continue;
        let t = iv[0] + Math.floor((r() * 0.4 * (iv[1] - iv[0])) / 1000) * 1000;
        const n = r() < 0.35 ? 2 : 1;
        for (let k = 0; k < n && t < iv[1] - 600_000; k++) {
          const end = Math.min(iv[1], t + between(r, 900, 4 * 3600) * 1000);
          const sudo: Array<{ ms: number; cmd: string }> = [];
          if (r() < 0.3) {
            const cmd = sudoCommand(pick(r, PAST_SUDO));
            if (cmd !== null) sudo.push({ ms: t + 60_000 + Math.floor((r() * Math.max(0, end - t - 120_000)) / 1000) * 1000, cmd });
          }
          out.push({ login, uid, from: src, cwd: home, startMs: t, endMs: end, sudo });
          t = end + between(r, 1800, 3 * 3600) * 1000;
        }
      }
    }
    return out;
  }

  /** What the personas' homes held before the horizon (src/machine/home-history.ts). */
  private homesHistory(): void {
    const { ctx } = this;
    const h = homeHistory({
      seed: ctx.seed,
      uuid: this.decky.uuid,
      hostname: this.decky.hostname,
      startMs: ctx.startMs,
      personas: this.personas.map((a) => ({ persona: a.persona, email: ctx.emails.get(a.persona.name) ?? a.persona.email, calendar: ctx.calendars.get(a.persona.name)!, writer: this.writer(a.persona) })),
      org: ctx.org,
      settings: ctx.inputs.config.canary,
      paths: ctx.paths,
      files: this.files,
    });
    this.documents = h.documents;
    this.enqueue(ctx.startMs, h.ops, fastStream(ctx.seed, this.decky.uuid, 'history', 'ids'));
  }

  /**
   * The applications' files of the days before the horizon that their retention still keeps
   * (none before the machine's first boot): a day's main and activity logs, and its error log
   * on about half the days.
   */
  private appsHistory(): void {
    const { ctx } = this;
    const r = fastStream(ctx.seed, this.decky.uuid, 'history', 'apps');
    const startDay = Math.floor(ctx.startMs / DAY_MS) * DAY_MS;
    const from = Math.max(startDay - this.appKeepDays * DAY_MS, Math.ceil(this.machine.firstBootMs / DAY_MS) * DAY_MS);
    const ops: FileOp[] = [];
    for (let day = from; day < startDay; day += DAY_MS) {
      const date = utcDate(day);
      for (const a of this.host.apps) {
        const app = APP_LOGS[a]!;
        for (const s of APP_STREAMS) {
          if (s === 'error' && r() < 0.5) continue;
          const atMs = day + between(r, 14 * 3600, 86_399) * 1000;
          const log = appLogCreate({ rng: r, atMs, hostname: this.machine.host, app, stream: s, pidAt: (t) => this.machine.appPidAt(app, t) }, day);
          if (log === null) continue; // the machine was down: nothing ran to write it
          const path = appLogPath(app, s, date);
          ops.push({ action: 'file:create', job: 'history', cls: 'log_daemon', path, owner: 'root', mode: '0640', mtimeMs: log.lastMs, body: log.text });
          this.appFile(app, path);
        }
      }
    }
    this.enqueue(ctx.startMs, ops, fastStream(ctx.seed, this.decky.uuid, 'history', 'app-ids'));
  }

  /** An application's new dated file: it is kept, and the files past the retention go (their deletes). */
  private appFile(app: string, path: string): FileOp[] {
    let list = this.appFiles.get(app);
    if (list === undefined) this.appFiles.set(app, (list = []));
    list.push(path);
    const cutoff = utcDate(Date.parse(`${pathDate(path)!}T00:00:00Z`) - this.appKeepDays * DAY_MS);
    const ops: FileOp[] = [];
    while (list.length > 0 && pathDate(list[0]!)! < cutoff) ops.push({ action: 'file:delete', job: app, cls: 'log_daemon', path: list.shift()! });
    return ops;
  }

  /** The machine's file operations at `at` as events (key order of SPEC 6). */
  private enqueue(at: number, ops: FileOp[], ids: AleaStream = this.machineIds): void {
    const when = isoSeconds(at);
    for (const op of ops) {
      const r = ids;
      const hi = r.int32();
      const ev: TimelineEvent = op.persona === undefined
        ? { id: hex16(hi, r.int32()), at: when, tick: this.seq++, decky: this.ref, kind: 'file', action: op.action, topic: this.fileTopic, job: op.job, contentClass: op.cls, path: op.path }
        : { id: hex16(hi, r.int32()), at: when, tick: this.seq++, decky: this.ref, kind: 'file', action: op.action, topic: this.fileTopic, job: op.job, persona: op.persona, contentClass: op.cls, path: op.path };
      if (op.to !== undefined) ev.to = op.to;
      if (op.action === 'file:create' || op.action === 'file:edit') {
        ev.mode = op.mode!;
        ev.owner = op.owner!;
        // Whole-second times from the machine's model, nanoseconds drawn here (never backwards
        // on a log written twice in one second); nobody reads these files back: atime = mtime.
        let ns = Math.floor(r() * 1e9);
        // A log stamped to the millisecond (unattended-upgrades') was written after its last line.
        const sub = op.mtimeMs! % 1000;
        if (sub > 0 && ns < sub * 1e6) ns = sub * 1e6 + (ns % 1e6);
        const log = op.log && op.path === op.log.def.path ? op.log : null;
        if (log && log.writtenMs === op.mtimeMs && ns <= log.mtimeNs) ns = Math.min(999_999_999, log.mtimeNs + 1);
        if (log) {
          log.writtenMs = op.mtimeMs!;
          log.mtimeNs = ns;
        }
        ev.mtime = isoNanos(op.mtimeMs!, ns);
        ev.atime = ev.mtime;
        const body = op.body!;
        ev.content =
          op.json !== undefined
            ? jsonContent(op.json, op.bytes!, op.sha256!)
            : typeof body === 'string'
              ? { encoding: 'utf8', data: body, bytes: op.bytes ?? Buffer.byteLength(body), sha256: op.sha256 ?? sha256Hex(body) }
              : { encoding: 'base64', data: Buffer.from(body).toString('base64'), bytes: body.length, sha256: sha256Hex(body) };
        if (op.action === 'file:edit') ev.previousSha256 = op.previousSha256!;
      }
      this.queue.push(ev);
    }
  }

  private step(r: Rng): TimelineEvent {
    const base = this.base(r);
    // A probe of a peer's sshd: the rule the destination's model of the fleet applies too.
    const i = probeRoute(r, this.trafficShare.at(this.t), this.peerCount, this.self);
    if (i >= 0) {
      const route = this.ctx.sshRoutes[i]!;
      // Typed by someone here with an account there? The peer's model draws the same.
      const c = probeClient(r, this.t);
      this.typist = null;
      this.hop = false;
      if (c.typed < TYPED_SHARE) {
        const here: string[] = [];
        for (const p of this.personas) if (p.schedule.present(this.t) && !here.includes(p.persona.login)) here.push(p.persona.login);
        this.typist = typist(here, this.t, c.typed);
        this.hop = this.typist !== null && this.ctx.sshAccounts[i]!.has(this.typist);
      }
      const traffic: TrafficRef = { src: this.ref, dst: route.dst, port: 22 };
      return {
        id: base.id,
        at: base.at,
        tick: base.tick,
        decky: base.decky,
        kind: 'traffic',
        action: 'exec:tcp_connect:22',
        topic: route.topic,
        traffic,
      };
    }
    const active: Persona[] = [];
    for (const p of this.personas) if (p.schedule.present(this.t)) active.push(p.persona);
    this.pendingLogs = this.machine.pendingLogs(this.t);
    return active.length > 0 ? this.inHours(base, r, active) : this.offHours(base, r);
  }

  private quiet(base: ReturnType<DeckySim['base']>, reason: 'leave-alone' | 'off-hours'): TimelineEvent {
    return { id: base.id, at: base.at, tick: base.tick, decky: base.decky, kind: 'quiet', action: 'leave-alone', reason };
  }

  private inHours(base: ReturnType<DeckySim['base']>, r: Rng, active: Persona[]): TimelineEvent {
    // The lookup draws which editable file it would take; the file itself is only looked up
    // when the roll asks for an edit.
    let candidate = -1;
    if (r() < LOOKUP_CHANCE) {
      const n = this.countEditable(active);
      if (n > 0) candidate = Math.floor(r() * n);
    }
    const roll = r();
    if (roll < LEAVE_ALONE) return this.quiet(base, 'leave-alone');
    if (roll < EDIT_BELOW && candidate >= 0) return this.editNth(base, active, candidate);
    const content = this.ticks.restart(this.contentRng, this.tick, 1);
    if (r() < this.ctx.inputs.config.canaryProbability) {
      const planted = this.canary(base, active, content);
      if (planted) return planted;
    }
    const made = r() < USER_SHARE ? this.createUser(base, content, pick(r, active), weighted(r, this.ctx.userWeights)) : this.createSystem(base, content, weighted(r, this.ctx.systemWeights));
    if (made) return made;
    // No unused name left: become an edit of an existing file, or quiet.
    const n = this.countEditable(active);
    return n > 0 ? this.editNth(base, active, Math.floor(r() * n)) : this.quiet(base, 'leave-alone');
  }

  private offHours(base: ReturnType<DeckySim['base']>, r: Rng): TimelineEvent {
    if (r() < this.ctx.inputs.config.offHoursQuiet) return this.quiet(base, 'off-hours');
    const logs = this.countEditable(null);
    if (logs > 0 && r() < 0.5) return this.editNth(base, null, Math.floor(r() * logs));
    const content = this.ticks.restart(this.contentRng, this.tick, 1);
    const made = this.createSystem(base, content, weighted(r, this.ctx.systemWeights));
    if (made) return made;
    return logs > 0 ? this.editNth(base, null, Math.floor(r() * logs)) : this.quiet(base, 'off-hours');
  }

  /**
   * Whether a file in the working set can be edited now and still has room to grow: logs by
   * anyone, user files by their persona when it is among `active` (null: logs only).
   */
  private canEdit(f: FileState, active: readonly Persona[] | null): boolean {
    if (!hasRoom(f)) return false;
    if (f.log) return f.lastLogMs < this.t;
    if (active === null || f.persona === null) return false;
    for (const p of active) if (p.name === f.persona) return true;
    return false;
  }

  /** Edit candidates: the machine's logs with lines not written out, then the working set. */
  private countEditable(active: readonly Persona[] | null): number {
    const logs = this.pendingLogs.length;
    const counted = this.files.editableCount(this.t, active);
    if (counted >= 0) return logs + counted;
    let n = 0;
    for (const f of this.files.editable) if (this.canEdit(f, active)) n++;
    return logs + n;
  }

  /** Edit candidate k of countEditable's list. */
  private editNth(base: ReturnType<DeckySim['base']>, active: readonly Persona[] | null, k: number): TimelineEvent {
    const logs = this.pendingLogs;
    if (k < logs.length) return this.editLog(base, logs[k]!);
    return this.edit(base, this.nthEditable(active, k - logs.length));
  }

  /** A tick finds a system log with new lines: they are written out (an append). */
  private editLog(base: ReturnType<DeckySim['base']>, log: LogFile): TimelineEvent {
    const op = log.flush('')!;
    const content = jsonContent(op.json!, op.bytes!, op.sha256!);
    this.pendingLogs = [];
    const f: FileState = { path: op.path, cls: op.cls, owner: op.owner!, persona: null, mode: op.mode!, body: '', bytes: 0, sha256: '', log: true, lastLogMs: 0, writtenMs: log.writtenMs, mtimeNs: log.mtimeNs };
    const ev = this.fileEvent(base, 'file:edit', f, op.mtimeMs!, content, op.previousSha256);
    log.writtenMs = f.writtenMs;
    log.mtimeNs = f.mtimeNs;
    return ev;
  }

  private nthEditable(active: readonly Persona[] | null, k: number): FileState {
    for (const f of this.files.editable) if (this.canEdit(f, active) && k-- === 0) return f;
    throw new Error('editable files changed while picking');
  }

  private firstUnused(paths: Iterable<string>): string | null {
    for (const p of paths) if (!this.files.has(p)) return p;
    return null;
  }

  private fileEvent(base: ReturnType<DeckySim['base']>, action: 'file:create' | 'file:edit', f: FileState, mtimeMs: number, content: Content, previous?: string, canary?: CanaryRef): TimelineEvent {
    const ev: TimelineEvent = { id: base.id, at: base.at, tick: base.tick, decky: base.decky, kind: 'file', action, topic: this.fileTopic };
    if (f.persona !== null) ev.persona = f.persona;
    ev.contentClass = f.cls;
    ev.path = f.path;
    ev.mode = f.mode;
    ev.owner = f.owner;
    const times = fileTimes(this.ticks.restart(this.timesRng, this.tick, 3), f.cls, mtimeMs, this.t, f.writtenMs === mtimeMs ? f.mtimeNs : -1);
    f.writtenMs = mtimeMs;
    f.mtimeNs = times.mtimeNs;
    ev.mtime = times.mtime;
    ev.atime = times.atime;
    ev.content = content;
    if (previous !== undefined) ev.previousSha256 = previous;
    if (canary) ev.canary = canary;
    return ev;
  }

  private store(f: FileState, body: string, content: Content): void {
    f.body = body;
    f.bytes = content.bytes;
    f.sha256 = content.sha256;
  }

  private createUser(base: ReturnType<DeckySim['base']>, rng: Rng, persona: Persona, cls: UserClass): TimelineEvent | null {
    const date = this.ctx.localDates.get(persona.timezone, this.t);
    const path = firstUnusedUserPath(cls, homeOf(persona.login), rng, date, this.ctx.paths, this.files);
    if (path === null) return null;
    const body = USER_BODY[cls]({ rng, path, writer: this.writer(persona), date, done: this.doneOf(persona.name) });
    const content = textContent(body);
    const f: FileState = { path, cls, owner: persona.login, persona: persona.name, mode: cls === 'script' ? '0755' : '0644', body: '', bytes: 0, sha256: '', log: false, lastLogMs: 0, writtenMs: -1, mtimeNs: -1 };
    this.store(f, body, content);
    this.files.add(path, f, date);
    return this.fileEvent(base, 'file:create', f, this.t, content);
  }

  private createSystem(base: ReturnType<DeckySim['base']>, rng: Rng, cls: SystemClass): TimelineEvent | null {
    const date = utcDate(this.t);
    if (cls === 'log_cron') {
      // Cron's output is the machine's: a job's dated report of a run earlier today.
      const report = this.machine.datedReport(this.t, rng, this.files);
      if (report === null) return null;
      const content = textContent(report.body);
      const f: FileState = { path: report.path, cls, owner: 'root', persona: null, mode: '0644', body: '', bytes: 0, sha256: '', log: true, lastLogMs: report.lastMs, writtenMs: -1, mtimeNs: -1 };
      this.store(f, report.body, content);
      this.files.add(report.path, null, pathDate(report.path)); // a finished run's report: never appended to
      // The run's script then removes the job's reports `find -mtime +N` finds (whole days of age
      // past N): they go with this event.
      const { job } = report;
      let list = this.reports.get(job);
      if (list === undefined) this.reports.set(job, (list = []));
      const gone: FileOp[] = [];
      while (list.length > 0 && report.lastMs - list[0]!.ms >= (REPORT_KEEP_DAYS + 1) * DAY_MS) gone.push({ action: 'file:delete', job, cls: 'log_cron', path: list.shift()!.path });
      list.push({ path: report.path, ms: report.lastMs });
      if (gone.length > 0) this.enqueue(this.t, gone);
      return this.fileEvent(base, 'file:create', f, report.lastMs, content);
    }
    const path = firstUnusedSystemPath(cls, rng, date, this.tick, this.salt, this.ctx.paths, this.files, this.host);
    if (path === null) return null;
    let body: string;
    let lastLogMs = 0;
    if (cls === 'cache_tmp') {
      body = cacheBody(rng, this.t, this.logins, path);
    } else {
      const app = appOfLog(path);
      const log = appLogCreate({ rng, atMs: this.t, hostname: this.machine.host, app, stream: appStreamOf(path), pidAt: (t) => this.machine.appPidAt(app, t) }, pathDate(path) !== null ? Date.parse(`${date}T00:00:00Z`) : -Infinity);
      if (log === null) return null; // the application was not running in the hours before
      body = log.text;
      lastLogMs = log.lastMs;
    }
    const content = textContent(body);
    const f: FileState = { path, cls, owner: 'root', persona: null, mode: cls === 'cache_tmp' ? '0600' : '0640', body: '', bytes: 0, sha256: '', log: isLog(cls), lastLogMs, writtenMs: -1, mtimeNs: -1 };
    this.store(f, body, content);
    if (cls !== 'cache_tmp') {
      this.files.add(path, f, date);
      const gone = this.appFile(appOfLog(path), path);
      if (gone.length > 0) this.enqueue(this.t, gone);
    } else {
      this.machine.addTmp(path, this.t, cls);
      if (this.rememberCache) this.files.add(path, null, date);
    }
    return this.fileEvent(base, 'file:create', f, cls === 'cache_tmp' ? this.t : lastLogMs, content);
  }

  private writer(p: Persona): Writer {
    let w = this.writers.get(p.name);
    if (w === undefined) this.writers.set(p.name, (w = new Writer(this.ctx.org, p, this.decky, this.ctx.grammars)));
    return w;
  }

  private doneOf(name: string): string[] {
    let d = this.done.get(name);
    if (d === undefined) this.done.set(name, (d = []));
    return d;
  }

  private edit(base: ReturnType<DeckySim['base']>, f: FileState): TimelineEvent {
    const rng = this.ticks.restart(this.contentRng, this.tick, 1);
    const previous = f.sha256;
    let content: Content;
    let lastLogMs = f.lastLogMs;
    if (f.cls === 'todo' || (!f.log && f.persona !== null)) {
      const persona = this.ctx.personas.get(f.persona!)!;
      const date = this.ctx.localDates.get(persona.timezone, this.t);
      const w = this.writer(persona);
      const done = this.doneOf(persona.name);
      if (f.cls === 'todo') {
        const e = editTodo(rng, f.body, w, date);
        if (e.ticked !== null) {
          done.push(e.ticked);
          if (done.length > 6) done.shift();
        }
        content = textContent(e.body);
      } else {
        content = textContent(editText(f.cls as 'note' | 'draft' | 'script', { rng, path: f.path, writer: w, date, done }, f.body));
      }
    } else {
      // Appends: only the new text is measured (the body before it is f.bytes long).
      let add: string;
      if (f.log) {
        const app = appOfLog(f.path);
        const lines = appLogAppend({ rng, atMs: this.t, hostname: this.machine.host, app, stream: appStreamOf(f.path), pidAt: (t) => this.machine.appPidAt(app, t) }, f.lastLogMs);
        // editable() requires room; the application may still have been down all that while.
        if (lines === null) return this.quiet(base, 'leave-alone');
        add = lines.text;
        lastLogMs = lines.lastMs;
      } else {
        throw new Error('only logs are appended here');
      }
      const body = f.body + add;
      content = { encoding: 'utf8', data: body, bytes: f.bytes + Buffer.byteLength(add), sha256: sha256Hex(body) };
    }
    f.body = content.data;
    f.sha256 = content.sha256;
    this.files.grow(f, content.bytes, lastLogMs);
    return this.fileEvent(base, 'file:edit', f, f.log ? lastLogMs : this.t, content, previous);
  }

  private canary(base: ReturnType<DeckySim['base']>, active: Persona[], content: Rng): TimelineEvent | null {
    const { config } = this.ctx.inputs;
    if (this.canaries >= config.canaryCapPerDecky) return null;
    if (!this.canaryWeights.some(([, w]) => w > 0)) return null;
    const cr = this.ticks.restart(this.choiceRng, this.tick, 2);
    const cls: CanaryClass = weighted(cr, this.canaryWeights);
    const spec = CANARY_SPECS[cls];
    const s = drawSlug(cr);
    const persona = pick(cr, active);
    const owner = spec.systemOwned ? { login: 'root', name: '', email: '', role: '' } : { login: persona.login, name: persona.name, email: this.ctx.emails.get(persona.name) ?? persona.email, role: persona.role };
    // The backdated mtime (its own stream): an age in the spec's range, moved to an instant of
    // the owner's working time; a system-owned dump at the end of the decky's nightly dump run.
    const ar = fastStream(this.ctx.seed, this.decky.uuid, 'lure', 'mtime', this.tick);
    const age = spec.ageSeconds(ar) * 1000;
    // (A dump is one the decky's dump job left behind: no job, no dump.)
    let mtimeMs = spec.systemOwned ? this.machine.dumpEnd(this.t, Math.min(age, 1_800_000)) : workingInstant(this.ctx.calendars.get(persona.name)!, this.t - age, ar, this.t - 3_600_000);
    if (mtimeMs === null) return null;
    // Dated names carry the date the file was written.
    const date = spec.systemOwned ? utcDate(mtimeMs) : localDate(persona.timezone, mtimeMs);
    const path = this.firstUnused(spec.systemOwned ? this.machine.dumpPlacements(cr, date) : spec.placements(homeOf(owner.login), cr, date));
    if (path === null) return null; // placement already holds a file (a lure or not)
    // A backup copy was made before the file it copies was last written: the same age, counted
    // back from that file's mtime (`credentials.bak` newer than `credentials` is a tell).
    const copied = /\.(bak|old)$/.test(path) ? this.lureMtimes.get(path.slice(0, -4)) : undefined;
    if (copied !== undefined && !spec.systemOwned && mtimeMs >= copied) mtimeMs = workingInstant(this.ctx.calendars.get(persona.name)!, copied - age, ar, copied - 3_600_000);
    // A lure document stays a small minority of its format on the decky.
    const fmt = spec.systemOwned ? null : docFormat(path);
    if (fmt !== null && (this.lureDocuments[fmt] + 1) / (this.documents[fmt] + 1) > LURE_FORMAT_SHARE) return null;
    let callback = spec.callback(s, config.canary, this.ctx.callbackStyle, cr, path);
    if (callback === null) return null;
    const tokenId = 'tk' + token(cr, 14);
    // The operator's AWS key pairs are dealt round the fleet: decky i takes keys i, i + n, ...
    let kind: string = spec.kind;
    let awsKey: { accessKeyId: string; secretAccessKey: string } | undefined;
    if (cls === 'canary_aws_creds') {
      const keys = config.canary.awsKeys;
      const n = this.ctx.inputs.fleet.length;
      const k = (this.ctx.fleetIndex.get(this.decky.uuid) ?? 0) + n * this.awsLures;
      if (k < keys.length) {
        awsKey = keys[k]!;
        callback = awsKey.accessKeyId;
        kind = 'aws';
      }
      this.awsLures++;
    }
    const ctx = { slug: s, callback, settings: config.canary, atMs: this.t, mtimeMs, rng: content, owner, hostname: this.decky.hostname, path, org: this.ctx.org, style: this.ctx.callbackStyle, ...(awsKey ? { awsKey } : {}) };
    const data = spec.generate(ctx);
    const c = bodyContent(data);
    // Files that come with the lure (a repository, a key's .pub and ssh config) must all be free.
    let extra = spec.companions?.(ctx, data) ?? [];
    // A companion the homes keep (known_hosts): its lines are appended to the home's file.
    const kept = extra.filter((x) => this.homes.owns(x.path));
    if (kept.length > 0) extra = extra.filter((x) => !this.homes.owns(x.path));
    if (extra.some((x) => this.files.has(x.path))) return null;
    this.canaries++;
    this.lureMtimes.set(path, mtimeMs);
    if (fmt !== null) {
      this.lureDocuments[fmt]++;
      this.documents[fmt]++;
    }
    this.files.add(path, null, null);
    for (const x of extra) this.files.add(x.path, null, null);
    const f: FileState = { path, cls, owner: owner.login, persona: spec.systemOwned ? null : persona.name, mode: spec.mode, body: '', bytes: c.bytes, sha256: c.sha256, log: false, lastLogMs: 0, writtenMs: -1, mtimeNs: -1 };
    const ev = this.fileEvent(base, 'file:create', f, mtimeMs, c, undefined, { tokenId, generator: spec.generator, kind, slug: s, callback });
    if (extra.length > 0) {
      const times = companionTimes(fastStream(this.ctx.seed, this.decky.uuid, 'lure', 'companions', this.tick), ev.mtime!, extra.length);
      ev.companions = extra.map((x, i) => ({ path: x.path, mode: x.mode, mtime: times[i]!, content: bodyContent(x.data) }));
    }
    for (const x of kept) this.enqueue(this.t, this.homes.knownHostsAppend(owner.login, this.t, String(x.data)));
    return ev;
  }
}

function bodyContent(data: Uint8Array | string): Content {
  return typeof data === 'string' ? textContent(data) : { encoding: 'base64', data: Buffer.from(data).toString('base64'), bytes: data.length, sha256: sha256Hex(data) };
}
