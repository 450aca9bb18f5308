// The Docker driver: every call is `docker [--context C | -H URL] exec -i -u <user> <container>
// sh -s`, the same short argv whatever it does, run by execa from an argv array (never a host
// shell), with a timeout. The fixed script, the operation, its values and the payload all travel
// on stdin (protocol.ts). Building an invocation is pure (dry-run prints it).
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { sha256Hex } from '../util/hash.js';
import { execArgs, requestText } from './protocol.js';
import { execUser } from './roots.js';
import { UnsafeValue, checkAddress, checkContainer, checkMode, checkOwner, checkPath, checkSha, endpointArgs, epochSeconds } from './validate.js';

export interface DockerTarget {
  container: string;
  /** Context name or DOCKER_HOST URL; null for the default engine. */
  docker: string | null;
}

export interface WriteRequest extends DockerTarget {
  path: string;
  mode: string;
  owner: string;
  /** File mtime, ISO 8601 UTC (nanoseconds where the image's tools take them). */
  mtime: string;
  /** File atime (at or after mtime). */
  atime: string;
  /** Time given to an existing parent directory; null keeps its time (an append). Directories
   * created for the file get its mtime. */
  dirTime: string | null;
  /** Mode of the directory created for the file. */
  dirMode: string;
  /** sha256 the file must hold now; null when it must not exist yet (a create). */
  expectSha: string | null;
  newSha: string;
  body: Uint8Array;
}

export interface ProbeRequest extends DockerTarget {
  address: string;
  port: number;
  timeoutSeconds: number;
}

export type WriteOutcome =
  | { status: 'wrote' }
  | { status: 'already' }
  | { status: 'diverged'; reason: string; found: string | null }
  | { status: 'error'; message: string };

export type ProbeOutcome =
  | { status: 'ok' | 'fail'; tool: string; banner: string }
  | { status: 'notool' }
  | { status: 'error'; message: string };

export interface Invocation {
  argv: string[];
  /** What goes to stdin: the script and the request. */
  input: string;
  /** For dry runs: the operation and its fields (no payload). */
  op: string;
  fields: Record<string, string>;
}

export interface LoginsRequest extends DockerTarget {
  logins: string[];
}

export interface AddUserRequest extends DockerTarget {
  login: string;
  home: string;
}

export type LoginsOutcome = { status: 'ok'; present: Map<string, { uid: number; gid: number; home: string }> } | { status: 'error'; message: string };
export type FactsOutcome = { status: 'ok'; hostname: string; users: Array<{ login: string; uid: number; gid: number; gecos?: string }> } | { status: 'error'; message: string };
export type AddUserOutcome = { status: 'created' | 'exists' } | { status: 'error'; message: string };

export interface ExecResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

/** Runs one argv (argv[0] is the program). Replaceable in tests. */
/** The invocation `build` makes, or the error outcome when a value is unsafe to hand to docker. */
function invocationOrRejection(build: () => Invocation): Invocation | { status: 'error'; message: string } {
  try {
    return build();
  } catch (e) {
    if (e instanceof UnsafeValue) return { status: 'error', message: `rejected: ${e.message}` };
    throw e;
  }
}

export type Runner = (argv: string[], input: string | undefined, timeoutMs: number) => Promise<ExecResult>;

export const DOCKER_BIN = 'docker';
export const DEFAULT_TIMEOUT_MS = 30_000;

export function dockerArgv(docker: string | null, args: string[]): string[] {
  return [DOCKER_BIN, ...endpointArgs(docker), ...args];
}

function invocation(t: DockerTarget, user: string, op: string, fields: Record<string, string>, input: string): Invocation {
  return { argv: dockerArgv(t.docker, execArgs(checkContainer(t.container), user)), input, op, fields };
}

const TMP_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A temporary name in the target folder, like mktemp's: `.<name>.XXXXXX` (random, unguessable). */
export function tempName(base: string, random: Uint8Array = randomBytes(6)): string {
  let suffix = '';
  for (const b of random) suffix += TMP_CHARS[b % TMP_CHARS.length];
  const stem = Buffer.byteLength(base) <= 200 ? base : 'tmp';
  return `.${stem}.${suffix}`;
}

/** The exact call for a write. Throws UnsafeValue for anything that fails validation. */
export function writeInvocation(r: WriteRequest, random?: Uint8Array): Invocation {
  const path = checkPath(r.path);
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut);
  const base = path.slice(cut + 1);
  if (dir === '') throw new UnsafeValue(`path ${JSON.stringify(path)} is directly under /`);
  const fields = {
    dir,
    base,
    mode: checkMode(r.mode),
    mtime: epochSeconds(r.mtime),
    atime: epochSeconds(r.atime),
    dtime: r.dirTime === null ? '-' : epochSeconds(r.dirTime),
    expect: r.expectSha === null ? '-' : checkSha(r.expectSha, 'expected sha256'),
    new: checkSha(r.newSha, 'new sha256'),
    tmp: tempName(base, random),
    dmode: checkMode(r.dirMode),
  };
  if (sha256Hex(r.body) !== r.newSha) throw new UnsafeValue(`body of ${JSON.stringify(r.path)} does not match its sha256`);
  const user = execUser(checkOwner(r.owner));
  return invocation(r, user, 'write', { path, owner: r.owner, ...fields }, requestText('write', fields, r.body));
}

export interface MoveRequest extends DockerTarget {
  path: string;
  /** New name in the same folder; null deletes. */
  to: string | null;
  expectSha: string;
  /** Owner of the file (the call runs as that user when it is a persona's). */
  owner: string;
  /** Planned time of the change: the folder's new mtime. */
  at: string;
}

/** The exact call for a rename (within the folder) or a delete. Throws UnsafeValue for anything that fails validation. */
export function moveInvocation(r: MoveRequest): Invocation {
  const path = checkPath(r.path);
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut);
  if (dir === '') throw new UnsafeValue(`path ${JSON.stringify(path)} is directly under /`);
  let to = '-';
  if (r.to !== null) {
    const target = checkPath(r.to);
    if (target.slice(0, target.lastIndexOf('/')) !== dir) throw new UnsafeValue(`rename of ${JSON.stringify(path)} leaves its folder (${JSON.stringify(target)})`);
    to = target.slice(target.lastIndexOf('/') + 1);
    if (to === '-' || to === '') throw new UnsafeValue(`rename target ${JSON.stringify(target)} has no usable name`);
  }
  const fields = { dir, base: path.slice(cut + 1), to, expect: checkSha(r.expectSha, 'expected sha256'), dtime: epochSeconds(r.at) };
  const user = execUser(checkOwner(r.owner));
  return invocation(r, user, 'move', { path, owner: r.owner, ...fields }, requestText('move', fields));
}

export function probeInvocation(r: ProbeRequest): Invocation {
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new UnsafeValue(`port ${r.port} is out of range`);
  const t = Math.max(1, Math.min(60, Math.round(r.timeoutSeconds)));
  const fields = { address: checkAddress(r.address), port: String(r.port), timeout: String(t) };
  return invocation(r, '0', 'probe', fields, requestText('probe', fields));
}

export function loginsInvocation(r: LoginsRequest): Invocation {
  const fields = { names: r.logins.map(checkOwner).join(' ') };
  return invocation(r, '0', 'logins', fields, requestText('logins', fields));
}

/** The call reading a container's host facts (hostname, /etc/passwd): as root, no fields. */
export function factsInvocation(t: DockerTarget): Invocation {
  return invocation(t, '0', 'facts', {}, requestText('facts', {}));
}

export function addUserInvocation(r: AddUserRequest): Invocation {
  const fields = { name: checkOwner(r.login), home: checkPath(r.home) };
  return invocation(r, '0', 'adduser', fields, requestText('adduser', fields));
}

export const execaRunner: Runner = async (argv, input, timeoutMs) => {
  const r = await execa(argv[0]!, argv.slice(1), {
    input: input ?? '',
    timeout: timeoutMs,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    maxBuffer: 4 << 20,
    env: { LC_ALL: 'C' },
  });
  const spawnError = r.failed && r.exitCode === undefined && !r.timedOut ? (r.originalMessage ?? r.shortMessage) : undefined;
  return { exitCode: r.exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut: Boolean(r.timedOut), spawnError };
};

/** One line describing why a call failed (no status line came back). */
export function failureMessage(r: ExecResult, timeoutMs: number): string {
  if (r.timedOut) return `docker call timed out after ${Math.round(timeoutMs / 1000)} s`;
  if (r.spawnError) return `cannot run docker: ${r.spawnError.split('\n')[0]}`;
  // Whatever docker (or the shell in the container) said, from stderr and then stdout.
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/^WARNING:/.test(l));
  const last = lines.find((l) => /error|cannot|can't|not running|no such|permission|refused|unable|denied/i.test(l)) ?? lines[lines.length - 1];
  return last ? `docker exited with code ${r.exitCode ?? '?'}: ${last.slice(0, 300)}` : `docker exited with code ${r.exitCode ?? '?'} and printed nothing`;
}

function statusLine(stdout: string): string | null {
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  return lines.length > 0 ? lines[lines.length - 1]! : null;
}

export interface DriverOptions {
  timeoutMs?: number;
  runner?: Runner;
}

export class DockerDriver {
  readonly timeoutMs: number;
  private readonly runner: Runner;

  constructor(opts: DriverOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.runner = opts.runner ?? execaRunner;
  }

  async run(inv: Invocation): Promise<ExecResult> {
    return this.runner(inv.argv, inv.input, this.timeoutMs);
  }

  /** Write a file atomically (see WRITE_SCRIPT). Unsafe values are an error outcome, never a call. */
  async write(req: WriteRequest): Promise<WriteOutcome> {
    const inv = invocationOrRejection(() => writeInvocation(req));
    if ('status' in inv) return inv;
    return this.outcome(await this.run(inv), 'WROTE');
  }

  /** Rename or delete a file we wrote (op_move in scripts.ts). */
  async move(req: MoveRequest): Promise<WriteOutcome> {
    const inv = invocationOrRejection(() => moveInvocation(req));
    if ('status' in inv) return inv;
    return this.outcome(await this.run(inv), 'MOVED');
  }

  /** A write's or move's status line as an outcome (`done` is the script's success word). */
  private outcome(r: ExecResult, done: 'WROTE' | 'MOVED'): WriteOutcome {
    const line = r.exitCode === 0 ? statusLine(r.stdout) : null;
    if (line === done) return { status: 'wrote' };
    if (line === 'ALREADY') return { status: 'already' };
    if (line?.startsWith('DIVERGED ')) {
      const [, reason, found] = line.split(' ');
      return { status: 'diverged', reason: reason ?? 'changed', found: found && found !== '-' ? found : null };
    }
    if (line?.startsWith('ERROR ')) return { status: 'error', message: `in container: ${line.slice(6)}` };
    return { status: 'error', message: failureMessage(r, this.timeoutMs) };
  }

  /** Which of these logins exist in the container. */
  async logins(req: LoginsRequest): Promise<LoginsOutcome> {
    const inv = invocationOrRejection(() => loginsInvocation(req));
    if ('status' in inv) return inv;
    const r = await this.run(inv);
    const lines = r.exitCode === 0 ? r.stdout.split('\n') : [];
    if (!lines.includes('DONE')) return { status: 'error', message: failureMessage(r, this.timeoutMs) };
    const present = new Map<string, { uid: number; gid: number; home: string }>();
    for (const l of lines) {
      const m = /^LOGIN (\S+) (\d+) (\d+) (.*)$/.exec(l);
      if (m) present.set(m[1]!, { uid: Number(m[2]), gid: Number(m[3]), home: m[4]! });
    }
    return { status: 'ok', present };
  }

  /** The container's hostname and the logins of its /etc/passwd (lines that do not parse are left out). */
  async facts(req: DockerTarget): Promise<FactsOutcome> {
    const inv = invocationOrRejection(() => factsInvocation(req));
    if ('status' in inv) return inv;
    const r = await this.run(inv);
    const lines = r.exitCode === 0 ? r.stdout.split('\n') : [];
    if (!lines.includes('DONE')) return { status: 'error', message: failureMessage(r, this.timeoutMs) };
    let hostname = '';
    const users: Array<{ login: string; uid: number; gid: number; gecos?: string }> = [];
    for (const l of lines) {
      if (l.startsWith('HOST ')) hostname = l.slice(5).trim();
      const m = /^USER (\S+) (\d{1,10}) (\d{1,10})$/.exec(l);
      if (m) users.push({ login: m[1]!, uid: Number(m[2]), gid: Number(m[3]) });
      const g = /^GECOS (\S+) (.+)$/.exec(l);
      const last = users[users.length - 1];
      // eslint-disable-next-line no-control-regex
      if (g && last && last.login === g[1] && last.gecos === undefined) last.gecos = g[2]!.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 256);
    }
    return { status: 'ok', hostname, users };
  }

  async addUser(req: AddUserRequest): Promise<AddUserOutcome> {
    const inv = invocationOrRejection(() => addUserInvocation(req));
    if ('status' in inv) return inv;
    const r = await this.run(inv);
    const line = r.exitCode === 0 ? statusLine(r.stdout) : null;
    if (line?.startsWith('CREATED')) return { status: 'created' };
    if (line === 'EXISTS') return { status: 'exists' };
    if (line?.startsWith('ERROR ')) return { status: 'error', message: `in container: ${line.slice(6)}` };
    return { status: 'error', message: failureMessage(r, this.timeoutMs) };
  }

  async probe(req: ProbeRequest): Promise<ProbeOutcome> {
    const inv = invocationOrRejection(() => probeInvocation(req));
    if ('status' in inv) return inv;
    const r = await this.runner(inv.argv, inv.input, this.timeoutMs + req.timeoutSeconds * 1000);
    const line = r.exitCode === 0 ? statusLine(r.stdout) : null;
    if (line === 'NOTOOL') return { status: 'notool' };
    const m = line === null ? null : /^(OK|FAIL) (\S+) ?(.*)$/.exec(line);
    if (m) {
      // eslint-disable-next-line no-control-regex
      const banner = m[3]!.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 200);
      return { status: m[1] === 'OK' ? 'ok' : 'fail', tool: m[2]!, banner };
    }
    return { status: 'error', message: failureMessage(r, this.timeoutMs) };
  }
}
