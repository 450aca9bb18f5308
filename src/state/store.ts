// The live state: an sql.js (SQLite in WebAssembly) database held in memory and saved to a file
// atomically (temporary file in the same folder, fsync, rename; an existing file's mode is kept
// and a symbolic link is written through).
//
// On open the file must be a complete state database: `pragma integrity_check` passes, it names
// our format and schema, every table is there. Anything else (corrupt, truncated, foreign,
// half-initialised, read-only) is exit 2 with one line, and the file is left as it is.
//
// Between two saves every change is also appended to a journal beside the file
// (`<state>.journal`), one line per group of operations: typed records (state/ops.ts), never SQL,
// each line carrying a sha256 chained from the previous one. A group is one outcome (an event
// applied, a token planted ...), so after a crash or kill -9 the state is the last save plus
// every complete journal line. A torn last line (no newline: the crash hit the write) is
// ignored; any other line that does not check out is tampering, and the state is refused. The
// journal names the save it continues (`seq`); a journal older than the database (a crash
// between the rename and the journal reset) is discarded, so no group is ever applied twice.
//
// A lock file (`<state>.lock`) holds the owner's pid and process start time. It is taken over
// only when that process is provably gone (no such pid, or the pid now belongs to a process that
// started at another time); an unreadable lock (truncated, say) is never taken over.
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue, type Statement } from 'sql.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { resolveOutputTarget, tempPathFor } from '../util/output.js';
import { type Op, opProblem, statementOf } from './ops.js';
import { SCHEMA, STATE_FORMAT, STATE_SCHEMA_VERSION, TABLES } from './schema.js';

export type { Op };

let sqlModule: Promise<SqlJsStatic> | null = null;
function sql(): Promise<SqlJsStatic> {
  sqlModule ??= initSqlJs();
  return sqlModule;
}

/** Start time of a process (clock ticks since boot, /proc/<pid>/stat field 22), or null. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? 'error';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface OpenOptions {
  /** Create the file when it does not exist (dry runs pass false and never write). */
  create?: boolean;
  /** Take the lock file (default true). */
  lock?: boolean;
}

/** Refuse a companion path (journal, lock) that exists and is not a regular file. */
function regularOrAbsent(path: string, what: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isFile()) throw new InputError(`${path}: the ${what} is not a regular file`);
}

export class StateStore {
  readonly file: string;
  readonly journalFile: string;
  readonly lockFile: string;
  private db: Database;
  private seq: number;
  private journalFd: number | null = null;
  private chain = '';
  private locked = false;
  private lockText = '';
  private dirty = 0;
  private closed = false;
  private readOnly = false;
  /** Run before each save (history retention). */
  beforeSave: (() => void) | null = null;

  private constructor(file: string, db: Database, seq: number) {
    this.file = file;
    this.journalFile = `${file}.journal`;
    this.lockFile = `${file}.lock`;
    this.db = db;
    this.seq = seq;
  }

  static exists(file: string): boolean {
    return existsSync(file);
  }

  static async open(file: string, opts: OpenOptions = {}): Promise<StateStore> {
    const SQL = await sql();
    regularOrAbsent(`${file}.journal`, 'state journal');
    regularOrAbsent(`${file}.lock`, 'state lock');
    let db: Database;
    if (existsSync(file)) {
      let bytes: Uint8Array;
      try {
        if (!statSync(file).isFile()) throw new InputError(`${file}: the state file is not a regular file`);
        bytes = readFileSync(file);
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`${file}: cannot read the state file (${code(e)})`);
      }
      if (opts.create !== false) {
        try {
          accessSync(file, constants.W_OK);
          accessSync(dirname(file), constants.W_OK);
        } catch {
          throw new InputError(`${file}: the state file or its folder is read-only`);
        }
      }
      db = StateStore.check(SQL, file, bytes);
    } else {
      if (opts.create === false) throw new InputError(`${file}: no such state file`);
      db = new SQL.Database();
      db.exec(SCHEMA);
      db.run('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?)', ['format', STATE_FORMAT, 'schema', String(STATE_SCHEMA_VERSION), 'save_seq', '0']);
    }
    // Durability comes from our journal and atomic saves; SQLite's own rollback journal can stay
    // in memory (it only serves ROLLBACK inside this process).
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF');
    const seq = Number(db.exec("SELECT value FROM meta WHERE key = 'save_seq'")[0]?.values[0]?.[0] ?? 0);
    const store = new StateStore(file, db, seq);
    if (opts.create === false) {
      // Read-only use (dry runs, `state`): what the journal holds counts, but nothing is written.
      try {
        store.replayJournal();
      } catch (e) {
        db.close();
        throw e;
      }
      store.readOnly = true;
      return store;
    }
    if (opts.lock !== false) store.lock();
    try {
      store.replayJournal();
      store.save();
    } catch (e) {
      store.unlock();
      db.close();
      throw e;
    }
    return store;
  }

  /** A complete, sound state database, or exit 2 naming what is wrong. */
  private static check(SQL: SqlJsStatic, file: string, bytes: Uint8Array): Database {
    const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
    if (head !== 'SQLite format 3\u0000') throw new InputError(`${file}: not a decnet-sim state database${bytes.length === 0 ? ' (empty file)' : ''}`);
    let db: Database;
    try {
      db = new SQL.Database(bytes);
    } catch {
      throw new InputError(`${file}: the state database is corrupt (it does not open)`);
    }
    const fail = (why: string): never => {
      db.close();
      throw new InputError(`${file}: ${why}`);
    };
    let ok: SqlValue | undefined;
    try {
      ok = db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0];
    } catch {
      ok = 'unreadable';
    }
    if (ok !== 'ok') fail('the state database is corrupt (integrity check failed; truncated or damaged?)');
    let tables: Set<string>;
    try {
      tables = new Set((db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((r) => String(r[0])));
    } catch {
      return fail('the state database is corrupt');
    }
    if (!tables.has('meta')) fail('not a decnet-sim state database');
    const meta = (k: string): SqlValue | undefined => db.exec('SELECT value FROM meta WHERE key = ?', [k])[0]?.values[0]?.[0];
    let format: SqlValue | undefined;
    let schema: SqlValue | undefined;
    try {
      format = meta('format');
      schema = meta('schema');
    } catch {
      fail('not a decnet-sim state database');
    }
    if (format !== STATE_FORMAT) fail('not a decnet-sim state database');
    if (Number(schema) !== STATE_SCHEMA_VERSION) fail(`state schema ${String(schema)} is not supported (this engine uses ${STATE_SCHEMA_VERSION}): start a new --state file`);
    const missing = TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) fail(`the state database is incomplete (no table ${missing.join(', ')}): half-initialised?`);
    return db;
  }

  private lockContent(): string {
    return JSON.stringify({ pid: process.pid, start: processStart(process.pid) }) + '\n';
  }

  private lock(): void {
    const mine = this.lockContent();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o600);
        writeSync(fd, mine);
        closeSync(fd);
        this.locked = true;
        this.lockText = mine;
        return;
      } catch (e) {
        if (code(e) !== 'EEXIST') throw new InputError(`${this.lockFile}: cannot create the lock file (${code(e)})`);
      }
      let text: string;
      try {
        text = readFileSync(this.lockFile, 'utf8');
      } catch (e) {
        if (code(e) === 'ENOENT') continue;
        throw new InputError(`${this.lockFile}: cannot read the lock file (${code(e)})`);
      }
      let holder: { pid?: unknown; start?: unknown };
      try {
        holder = JSON.parse(text);
      } catch {
        holder = {};
      }
      const pid = Number(holder.pid);
      if (!Number.isInteger(pid) || pid <= 0 || (holder.start !== null && typeof holder.start !== 'string')) {
        throw new InputError(`${this.file}: the lock file ${this.lockFile} is unreadable (truncated?), so a run may still hold the state; remove the lock only if no run uses it`);
      }
      const gone = !alive(pid) || (typeof holder.start === 'string' && processStart(pid) !== null && processStart(pid) !== holder.start);
      if (!gone || pid === process.pid) throw new InputError(`${this.file}: the state is in use by another run (pid ${pid}); stop it first`);
      // Take the stale lock over: move it aside, and make sure what we moved is what we judged.
      const aside = `${this.lockFile}.stale-${process.pid}`;
      try {
        renameSync(this.lockFile, aside);
      } catch {
        continue;
      }
      const moved = readFileSync(aside, 'utf8');
      if (moved !== text) {
        try {
          renameSync(aside, this.lockFile);
        } catch {
          /* the other run keeps its lock under the aside name; it checks its lock on each save */
        }
        throw new InputError(`${this.file}: the state is in use by another run; stop it first`);
      }
      rmSync(aside, { force: true });
    }
    throw new InputError(`${this.lockFile}: cannot take the lock`);
  }

  /** Our lock must still be there and ours; a lock truncated or removed under us is restored. */
  private keepLock(): void {
    if (!this.locked) return;
    let text = '';
    try {
      text = readFileSync(this.lockFile, 'utf8');
    } catch {
      /* gone */
    }
    if (text !== this.lockText) writeFileSync(this.lockFile, this.lockText, { mode: 0o600 });
  }

  private unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      if (readFileSync(this.lockFile, 'utf8') === this.lockText) rmSync(this.lockFile, { force: true });
    } catch {
      /* already gone */
    }
  }

  private replayJournal(): void {
    if (!existsSync(this.journalFile)) return;
    let text: string;
    try {
      text = readFileSync(this.journalFile, 'utf8');
    } catch (e) {
      throw new InputError(`${this.journalFile}: cannot read the journal (${code(e)})`);
    }
    const torn = !text.endsWith('\n');
    const lines = text.split('\n');
    lines.pop(); // '' after the last newline, or the torn line
    const tampered = (n: number, why: string): never => {
      throw new InputError(`${this.journalFile}: line ${n}: ${why}: the journal was altered, so the state is not used (restore it, or start a new --state file)`);
    };
    if (lines.length === 0) {
      if (torn && text.length > 0 && !text.startsWith('{"journal":')) tampered(1, 'not a journal');
      return;
    }
    let head: { journal?: unknown; seq?: unknown; sha256?: unknown };
    try {
      head = JSON.parse(lines[0]!);
    } catch {
      return tampered(1, 'not a journal header');
    }
    if (head.journal !== STATE_FORMAT || !Number.isInteger(head.seq) || typeof head.sha256 !== 'string') tampered(1, 'not a journal header');
    if (head.seq !== this.seq) return; // older than the database: already contained in it
    let chain = head.sha256 as string;
    if (chain !== sha(`${STATE_FORMAT}:${this.seq}`)) tampered(1, 'the header checksum does not match');
    const groups: Op[][] = [];
    for (let i = 1; i < lines.length; i++) {
      let rec: { ops?: unknown; sha256?: unknown };
      try {
        rec = JSON.parse(lines[i]!);
      } catch {
        return tampered(i + 1, 'not valid JSON');
      }
      if (!Array.isArray(rec.ops) || typeof rec.sha256 !== 'string') tampered(i + 1, 'not a journal record');
      const body = JSON.stringify(rec.ops);
      chain = sha(chain + body);
      if (chain !== rec.sha256) tampered(i + 1, 'checksum mismatch');
      for (const o of rec.ops as unknown[]) {
        const p = opProblem(o);
        if (p !== null) tampered(i + 1, p);
      }
      groups.push(rec.ops as Op[]);
    }
    for (const g of groups) this.apply(g);
    this.chain = chain;
  }

  private readonly statements = new Map<string, Statement>();

  private apply(ops: Op[]): void {
    this.db.run('BEGIN');
    try {
      for (const o of ops) {
        const [s, p] = statementOf(o);
        let st = this.statements.get(s);
        if (st === undefined) this.statements.set(s, (st = this.db.prepare(s)));
        st.run(p);
      }
      this.db.run('COMMIT');
    } catch (e) {
      this.db.run('ROLLBACK');
      throw e;
    }
  }

  /** Apply a group of operations and journal it (durable against a crash once this returns). */
  commit(ops: Op[]): void {
    if (this.closed || this.readOnly) throw new Error('state store is closed or read-only');
    this.apply(ops);
    if (this.journalFd === null) this.journalFd = openSync(this.journalFile, 'a', 0o600);
    const body = JSON.stringify(ops);
    this.chain = sha(this.chain + body);
    writeSync(this.journalFd, `{"ops":${body},"sha256":"${this.chain}"}\n`);
    this.dirty++;
  }

  /**
   * Make what commit() journaled durable now (fsync of the journal), without a full save: the
   * journal is replayed on the next open, by this process or a reader such as `listen`. A lure's
   * token rows need this before and after the plant; a full save would rewrite the database.
   */
  sync(): void {
    if (this.closed || this.readOnly) return;
    if (this.journalFd !== null) fsyncSync(this.journalFd);
  }

  /** Changes since the last save. */
  get unsaved(): number {
    return this.dirty;
  }

  /** Statements run directly, not journaled (history pruning before a save). */
  run(query: string, params: SqlValue[] = []): void {
    this.db.run(query, params);
  }

  /** Write the database atomically and start a fresh journal. */
  save(): void {
    if (this.closed || this.readOnly) return;
    this.beforeSave?.();
    this.keepLock();
    const next = this.seq + 1;
    this.db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('save_seq', ?)", [String(next)]);
    const data = this.db.export();
    let tmp = '';
    try {
      const target = resolveOutputTarget(this.file);
      tmp = tempPathFor(target.path);
      const fd = openSync(tmp, 'wx', target.mode ?? 0o600);
      try {
        writeSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, target.path);
      tmp = '';
      this.seq = next;
      if (this.journalFd !== null) {
        closeSync(this.journalFd);
        this.journalFd = null;
      }
      this.chain = sha(`${STATE_FORMAT}:${next}`);
      const jtmp = tempPathFor(this.journalFile);
      writeFileSync(jtmp, JSON.stringify({ journal: STATE_FORMAT, seq: next, sha256: this.chain }) + '\n', { mode: 0o600, flag: 'wx' });
      renameSync(jtmp, this.journalFile);
      this.dirty = 0;
    } catch (e) {
      if (tmp) rmSync(tmp, { force: true });
      if (e instanceof InputError) throw e;
      throw new RuntimeFailure(`${this.file}: cannot save the state (${code(e) === 'error' ? (e as Error).message : code(e)})`);
    }
  }

  /** Save, release the lock, free the database. */
  close(opts: { save?: boolean } = {}): void {
    if (this.closed) return;
    try {
      if (opts.save !== false && this.locked) this.save();
    } finally {
      if (this.journalFd !== null) closeSync(this.journalFd);
      this.journalFd = null;
      this.unlock();
      this.closed = true;
      for (const st of this.statements.values()) st.free();
      this.db.close();
    }
  }

  /** Rows of a query as objects. */
  all<T = Record<string, SqlValue>>(query: string, params: SqlValue[] = []): T[] {
    const st = this.db.prepare(query);
    try {
      st.bind(params);
      const out: T[] = [];
      while (st.step()) out.push(st.getAsObject() as T);
      return out;
    } finally {
      st.free();
    }
  }

  get<T = Record<string, SqlValue>>(query: string, params: SqlValue[] = []): T | null {
    return this.all<T>(query, params)[0] ?? null;
  }

  getMeta(key: string): string | null {
    const r = this.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]);
    return r ? r.value : null;
  }
}
