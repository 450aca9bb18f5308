// The machine's log files: who writes to which file, and logrotate. Lines reach a file only from
// its producers (syslog's facilities, a job's own log), in time order; a file is written out
// (an edit event) when a tick looks at it or just before it rotates. Rotation runs daily at the
// decky's logrotate minute: the live file is renamed to `.1`, the previous `.1` is compressed to
// `.2.gz` (real gzip, the mtime kept), older archives move up by one, the oldest past the kept
// count is deleted, and a new empty live file is created: the live file is always the newest.
import type { ContentClass } from '../inputs/types.js';
import { gzip } from '../util/deflate.js';
import { GrowingText } from '../util/growing.js';

/** Where a line comes from: a syslog facility, one job's own log, unattended-upgrades' logs, or nginx's. */
export type Facility = 'cron' | 'auth' | 'daemon' | 'kern' | 'upgrades' | 'upgrades-dpkg' | 'apt-history' | 'dpkg' | 'nginx-access' | 'nginx-error' | `job:${string}`;

export interface LogDef {
  path: string;
  cls: 'log_cron' | 'log_daemon';
  facilities: readonly Facility[];
  /** Rotated every day, on the first run of each week (Sunday), or of each month. */
  every: 'daily' | 'weekly' | 'monthly';
  keep: number;
  owner: string;
  mode: string;
  /** Who writes the file out: its producer (the `job` of its write events). */
  writer: string;
  /** Its daemon opens it at start, so it exists even while empty (nginx's error.log). */
  keptEmpty?: boolean;
}

/** The main system logs every decky keeps (Debian's rsyslog layout, adm-readable). */
export const MAIN_LOGS: readonly LogDef[] = [
  { path: '/var/log/syslog', cls: 'log_daemon', facilities: ['cron', 'daemon', 'kern'], every: 'daily', keep: 7, owner: 'root', mode: '0640', writer: 'rsyslogd' },
  { path: '/var/log/auth.log', cls: 'log_daemon', facilities: ['auth'], every: 'daily', keep: 7, owner: 'root', mode: '0640', writer: 'rsyslogd' },
  { path: '/var/log/cron.log', cls: 'log_cron', facilities: ['cron'], every: 'daily', keep: 7, owner: 'root', mode: '0640', writer: 'rsyslogd' },
  { path: '/var/log/daemon.log', cls: 'log_daemon', facilities: ['daemon'], every: 'daily', keep: 7, owner: 'root', mode: '0640', writer: 'rsyslogd' },
];

export function jobLogDef(path: string, job: string): LogDef {
  return { path, cls: 'log_cron', facilities: [`job:${job}`], every: 'weekly', keep: 4, owner: 'root', mode: '0644', writer: 'cron' };
}

/** The name of rotation k of a log (1 plain, 2 and on gzip). */
export function rotatedName(path: string, k: number): string {
  return k === 1 ? `${path}.1` : `${path}.${k}.gz`;
}

/** Every name a log's rotation can ever use (reserved on the decky: nothing else takes them). */
export function rotationNames(def: LogDef): string[] {
  const out = [def.path];
  for (let k = 1; k <= def.keep; k++) out.push(rotatedName(def.path, k));
  return out;
}

/** One file operation of the machine, turned into an event by the decky. */
export interface FileOp {
  action: 'file:create' | 'file:edit' | 'file:rename' | 'file:delete';
  job: string;
  /** A persona's file (the homes' pre-history): the persona's name. */
  persona?: string;
  cls: ContentClass;
  path: string;
  to?: string;
  owner?: string;
  mode?: string;
  mtimeMs?: number;
  body?: string | Uint8Array;
  /** Byte length of a text body, when known without measuring it again. */
  bytes?: number;
  /** A text body's sha256, when known without computing it again. */
  sha256?: string;
  /** A text body given as its JSON string instead of `body` (a live log's), with `bytes` and `sha256`. */
  json?: string;
  /** Edits: the sha256 of the body before the append. */
  previousSha256?: string;
  /** The log whose live file this op writes: the decky records the mtime it draws on it. */
  log?: LogFile;
}

export class LogFile {
  readonly def: LogDef;
  /** The live file's body on disk (with its length, sha256 and JSON kept as it grows). */
  private live = new GrowingText();
  mtimeMs = 0;
  /** Lines produced but not yet written out, and the time of the newest. */
  pending = '';
  pendingLastMs = 0;
  /** Rotations on disk: .1 .. .n. */
  rotated = 0;
  /**
   * `.1`, compressed at the next rotation (delaycompress). The gzip bytes depend on the body alone,
   * so they are made when `.1` is: a day of text is not kept in memory for a day on every log.
   * The text itself is kept only in the pre-history, which plants `.1` as it is.
   */
  private prevGz: Uint8Array | null = null;
  private prevBody = '';
  prevMtimeMs = 0;
  /** mtimes of `.2.gz` .. `.n.gz` (index 0 is .2.gz). */
  archiveMtimes: number[] = [];
  /** The live file's last write (whole-second ms) and its mtime nanoseconds (set by the decky). */
  writtenMs = -1;
  mtimeNs = -1;
  /** Whether the live file is on disk (a job's log appears with its first run). */
  exists = false;
  /** Archives made during the pre-history (newest first), planted with the history. */
  private histArchives: Uint8Array[] = [];
  /**
   * Lines from outside the machine's producers (sshd's for probes from other deckies), asked
   * for at each write-out up to the newest pending line: they join the lines written then, in
   * time order, and never make a write-out of their own (null: this log takes none).
   */
  private inbound: ((upTo: number) => ReadonlyArray<{ ms: number; text: string }>) | null = null;
  /** With `inbound`: the instant of each pending line. */
  private marks: number[] | null = null;

  constructor(def: LogDef) {
    this.def = def;
  }

  get body(): string {
    return this.live.text;
  }

  get bytes(): number {
    return this.live.bytes;
  }

  get sha256(): string {
    return this.live.sha256();
  }

  /** The live file as a file operation's body: its JSON, length and hash (the text is decoded from the JSON if anyone reads it). */
  private liveBody(): Pick<FileOp, 'bytes' | 'sha256' | 'json'> {
    const l = this.live;
    return { bytes: l.bytes, sha256: l.sha256(), json: l.json() };
  }

  write(line: string, ms: number): void {
    this.pending += line;
    this.pendingLastMs = ms;
    this.marks?.push(ms);
  }

  /** Take lines from outside the producers (see `inbound`). */
  takeInbound(source: (upTo: number) => ReadonlyArray<{ ms: number; text: string }>): void {
    this.inbound = source;
    this.marks = [];
  }

  /** Merge the inbound lines due by the newest pending line into the pending lines. */
  private mergeInbound(): void {
    const marks = this.marks!;
    const extra = this.inbound!(this.pendingLastMs);
    if (extra.length > 0) {
      const src = this.pending;
      let out = '';
      let pos = 0;
      let j = 0;
      for (const ms of marks) {
        while (j < extra.length && extra[j]!.ms < ms) out += extra[j++]!.text;
        const end = src.indexOf('\n', pos) + 1;
        out += src.slice(pos, end);
        pos = end;
      }
      while (j < extra.length) out += extra[j++]!.text;
      this.pending = out;
    }
    marks.length = 0;
  }

  /** Write the pending lines out: an edit of the live file (null when nothing is pending). */
  flush(job: string): FileOp | null {
    if (this.pending === '') return null;
    if (this.inbound !== null) this.mergeInbound();
    const previousSha256 = this.live.sha256();
    this.live.append(this.pending);
    const action = this.exists ? 'file:edit' : 'file:create';
    this.exists = true;
    const op: FileOp = { action, job, cls: this.def.cls, path: this.def.path, owner: this.def.owner, mode: this.def.mode, mtimeMs: this.pendingLastMs, ...this.liveBody(), previousSha256, log: this };
    this.mtimeMs = this.pendingLastMs;
    this.pending = '';
    return op;
  }

  /** Pending lines move into the body without an event (the pre-history, before planting). */
  absorb(): void {
    if (this.marks !== null) this.marks.length = 0;
    if (this.pending === '') return;
    this.live.append(this.pending);
    this.mtimeMs = this.pendingLastMs;
    this.pending = '';
  }

  /**
   * Rotate at `at` (pending lines must be flushed first). Returns the operations when `emit`;
   * during the pre-history the same state change happens silently. An empty live file is left
   * alone (notifempty).
   */
  rotate(at: number, emit: boolean): FileOp[] {
    if (this.bytes === 0) return [];
    const ops: FileOp[] = [];
    const { path, keep, owner, mode } = this.def;
    if (this.rotated >= keep) {
      if (emit) ops.push({ action: 'file:delete', job: 'logrotate', cls: keep === 1 ? this.def.cls : 'log_archive', path: rotatedName(path, keep) });
      this.rotated = keep - 1;
      if (keep > 1) {
        this.archiveMtimes.pop();
        if (!emit) this.histArchives.pop();
      }
    }
    for (let k = this.rotated; k >= 2; k--) if (emit) ops.push({ action: 'file:rename', job: 'logrotate', cls: 'log_archive', path: rotatedName(path, k), to: rotatedName(path, k + 1) });
    if (this.rotated >= 1 && keep >= 2) {
      // delaycompress: the previous rotation is compressed now; gzip keeps its mtime.
      const gz = this.prevGz!;
      if (emit) {
        ops.push({ action: 'file:create', job: 'logrotate', cls: 'log_archive', path: rotatedName(path, 2), owner, mode, mtimeMs: this.prevMtimeMs, body: gz });
        ops.push({ action: 'file:delete', job: 'logrotate', cls: this.def.cls, path: rotatedName(path, 1) });
      } else this.histArchives.unshift(gz);
      this.archiveMtimes.unshift(this.prevMtimeMs);
    }
    if (emit) ops.push({ action: 'file:rename', job: 'logrotate', cls: this.def.cls, path, to: rotatedName(path, 1) });
    // logrotate feeds the file to gzip on stdin, and gzip stamps the header with the mtime of the
    // regular file it reads (whole seconds): the archive says when its last line was written.
    this.prevGz = keep >= 2 ? gzip(this.live.utf8(), this.mtimeMs > 0 ? this.mtimeMs : 0) : null;
    this.prevBody = emit ? '' : this.body;
    this.prevMtimeMs = this.mtimeMs;
    this.rotated = Math.min(this.rotated + 1, keep);
    this.live = new GrowingText();
    this.mtimeMs = at;
    if (emit) ops.push({ action: 'file:create', job: 'logrotate', cls: this.def.cls, path, owner, mode, mtimeMs: at, ...this.liveBody(), log: this });
    return ops;
  }

  /** The files the pre-history plants for this log: the rotations oldest first, then the live file. */
  plant(): FileOp[] {
    const archives = this.histArchives;
    this.histArchives = [];
    const ops: FileOp[] = [];
    const { path, owner, mode } = this.def;
    for (let k = this.rotated; k >= 2; k--) {
      ops.push({ action: 'file:create', job: 'history', cls: 'log_archive', path: rotatedName(path, k), owner, mode, mtimeMs: this.archiveMtimes[k - 2]!, body: archives[k - 2]! });
    }
    if (this.rotated >= 1) ops.push({ action: 'file:create', job: 'history', cls: this.def.cls, path: rotatedName(path, 1), owner, mode, mtimeMs: this.prevMtimeMs, body: this.prevBody });
    // Planted: the decky no longer needs `.1`'s text (a weekly log would hold it for a week).
    this.prevBody = '';
    if (this.bytes > 0 || this.rotated > 0 || this.def.keptEmpty === true) {
      ops.push({ action: 'file:create', job: 'history', cls: this.def.cls, path, owner, mode, mtimeMs: this.mtimeMs, ...this.liveBody(), log: this });
      this.exists = true;
    }
    return ops;
  }
}
