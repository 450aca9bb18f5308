// The live state: an sql.js (SQLite in WebAssembly) database held in memory and saved to a file
// atomically (temporary file in the same folder, fsync, rename).
//
// Between two saves every change is also appended, one line per group of statements, to a
// journal beside the file (`<state>.journal`). A group is one outcome (an event applied, a token
// planted ...), so after a crash or kill -9 the state is the last save plus every complete
// journal line: nothing that was recorded is lost, and a torn last line is simply ignored. The
// journal names the save it continues (`seq`); a journal older than the database (a crash
// between the rename and the journal reset) is discarded, so no group is ever applied twice.
//
// A lock file (`<state>.lock`, holding the pid) keeps two runs off the same state.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { SCHEMA, STATE_FORMAT, STATE_SCHEMA_VERSION } from './schema.js';

export type Op = [sql: string, params: SqlValue[]];

let sqlModule: Promise<SqlJsStatic> | null = null;
function sql(): Promise<SqlJsStatic> {
  sqlModule ??= initSqlJs();
  return sqlModule;
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

export interface OpenOptions {
  /** Create the file when it does not exist (dry runs pass false and never write). */
  create?: boolean;
  /** Take the lock file (default true). */
  lock?: boolean;
}

export class StateStore {
  readonly file: string;
  readonly journalFile: string;
  readonly lockFile: string;
  private db: Database;
  private seq: number;
  private journalFd: number | null = null;
  private locked = false;
  private dirty = 0;
  private closed = false;
  private readOnly = false;

  private constructor(file: string, db: Database, seq: number) {
    this.file = file;
    this.journalFile = `${file}.journal`;
    this.lockFile = `${file}.lock`;
    this.db = db;
    this.seq = seq;
  }

  /** Whether a state file (or a journal of one that never got saved) exists. */
  static exists(file: string): boolean {
    return existsSync(file);
  }

  static async open(file: string, opts: OpenOptions = {}): Promise<StateStore> {
    const SQL = await sql();
    let db: Database;
    const exists = existsSync(file);
    if (exists) {
      let bytes: Uint8Array;
      try {
        if (!statSync(file).isFile()) throw new InputError(`${file}: the state file is not a regular file`);
        bytes = readFileSync(file);
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`${file}: cannot read the state file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      try {
        db = new SQL.Database(bytes);
        const r = db.exec("SELECT value FROM meta WHERE key = 'format'");
        if (r[0]?.values[0]?.[0] !== STATE_FORMAT) throw new Error('format');
      } catch {
        throw new InputError(`${file}: not a decnet-sim state database`);
      }
      const v = Number(db.exec("SELECT value FROM meta WHERE key = 'schema'")[0]?.values[0]?.[0]);
      if (v !== STATE_SCHEMA_VERSION) throw new InputError(`${file}: state schema ${v} is not supported (this engine uses ${STATE_SCHEMA_VERSION})`);
    } else {
      db = new SQL.Database();
      db.exec(SCHEMA);
      db.run('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?)', ['format', STATE_FORMAT, 'schema', String(STATE_SCHEMA_VERSION), 'save_seq', '0']);
    }
    const seq = Number(db.exec("SELECT value FROM meta WHERE key = 'save_seq'")[0]?.values[0]?.[0] ?? 0);
    const store = new StateStore(file, db, seq);
    if (opts.create === false) {
      // Read-only use (dry runs): what the journal holds counts, but nothing is written.
      store.replayJournal();
      store.readOnly = true;
      return store;
    }
    if (opts.lock !== false) store.lock();
    try {
      store.replayJournal();
      store.save();
    } catch (e) {
      store.unlock();
      throw e;
    }
    return store;
  }

  private lock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        this.locked = true;
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw new InputError(`${this.lockFile}: cannot create the lock file (${code ?? 'error'})`);
        const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
        if (alive(pid) && pid !== process.pid) throw new InputError(`${this.file}: the state is in use by another run (pid ${pid}); stop it first`);
        rmSync(this.lockFile, { force: true }); // left by a run that died
      }
    }
    throw new InputError(`${this.lockFile}: cannot take the lock`);
  }

  private unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      if (Number(readFileSync(this.lockFile, 'utf8').trim()) === process.pid) rmSync(this.lockFile, { force: true });
    } catch {
      /* already gone */
    }
  }

  private replayJournal(): void {
    if (!existsSync(this.journalFile)) return;
    const lines = readFileSync(this.journalFile, 'utf8').split('\n');
    let head: { seq?: unknown } = {};
    try {
      head = JSON.parse(lines[0] ?? '');
    } catch {
      return;
    }
    if (head.seq !== this.seq) return; // older than the database: already contained in it
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.trim() === '') continue;
      let ops: Op[];
      try {
        ops = JSON.parse(l);
      } catch {
        break; // a torn last line: that group never completed
      }
      this.apply(ops);
    }
  }

  private apply(ops: Op[]): void {
    this.db.run('BEGIN');
    try {
      for (const [s, p] of ops) this.db.run(s, p);
      this.db.run('COMMIT');
    } catch (e) {
      this.db.run('ROLLBACK');
      throw e;
    }
  }

  /** Apply a group of statements and journal it (durable against a crash once this returns). */
  commit(ops: Op[]): void {
    if (this.closed || this.readOnly) throw new Error('state store is closed or read-only');
    this.apply(ops);
    if (this.journalFd === null) this.journalFd = openSync(this.journalFile, 'a');
    writeSync(this.journalFd, JSON.stringify(ops) + '\n');
    this.dirty++;
  }

  /** Changes since the last save. */
  get unsaved(): number {
    return this.dirty;
  }

  /** Write the database atomically and start a fresh journal. */
  save(): void {
    if (this.closed || this.readOnly) return;
    const next = this.seq + 1;
    this.db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('save_seq', ?)", [String(next)]);
    const data = this.db.export();
    const dir = dirname(this.file);
    const tmp = join(dir, `.${basename(this.file)}.tmp-${process.pid}`);
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      this.seq = next;
      if (this.journalFd !== null) {
        closeSync(this.journalFd);
        this.journalFd = null;
      }
      const jtmp = join(dir, `.${basename(this.journalFile)}.tmp-${process.pid}`);
      writeFileSync(jtmp, JSON.stringify({ journal: STATE_FORMAT, seq: next }) + '\n', { mode: 0o600 });
      renameSync(jtmp, this.journalFile);
      this.dirty = 0;
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new RuntimeFailure(`${this.file}: cannot save the state (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
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
