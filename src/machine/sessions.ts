// Interactive logins on one decky as its auth.log records them (issue 12 item 5): sshd accepts
// a person's key from their workstation (or another machine of the fleet), PAM opens the
// session, systemd-logind numbers it and systemd starts the user's manager on their first
// session of a boot; a sudo leaves its command line and its own PAM session; at logout sshd
// logs the disconnect and logind removes the session. When a session starts and ends is not
// decided here: the homes model knows when a person types (src/machine/homes.ts), and tells the
// machine; this module only writes what each daemon would log, with the boot's PIDs.
import type { Rng } from '../rng/stream.js';
import { between } from '../rng/stream.js';
import { type Boot, freshPid } from './boot.js';

const SEC = 1000;

/** Where a person connects from and with which key. */
export interface LoginSource {
  address: string;
  /** `ED25519 SHA256:<43 base64 characters>`, as sshd prints the key it accepted. */
  key: string;
  /** The client's port when the connection is known already (a hop from another decky). */
  port?: number;
}

interface Open {
  /** What the session is known by: the login for the person's own sessions here, else a hop's key. */
  key: string;
  at: number;
  login: string;
  uid: number;
  /** sshd's privileged monitor (accepts, opens and closes the PAM session). */
  pid: number;
  /** The session's unprivileged child (logs the client's disconnect). */
  child: number;
  port: number;
  address: string;
  session: number;
  boot: number;
  tty: number;
}

/** Lines of one facility, in time order, to the machine's line heap. */
export type LineSink = (ms: number, msg: string) => void;

/** How long a command run with sudo takes, in seconds (a pager or a viewer until it is quit). */
function runSeconds(r: Rng, command: string): number {
  const exe = command.split(' ')[0]!;
  const prog = exe.slice(exe.lastIndexOf('/') + 1);
  if (prog === 'apt') return command.includes(' upgrade') ? between(r, 12, 40) : between(r, 4, 15);
  if (prog === 'less' || prog === 'journalctl' || prog === 'systemctl') return between(r, 6, 40);
  return between(r, 1, 3);
}

export class LoginSessions {
  private readonly open = new Map<string, Open>();
  /** When each login's last sudo ends (its terminal is busy until then). */
  private readonly busyUntil = new Map<string, number>();
  /** The boot the sessions belong to, and the users with a running user manager. */
  private bootIndex = -1;
  private readonly managers = new Set<number>();
  private readonly sink: LineSink;
  private readonly daemonSink: LineSink;
  readonly rng: Rng;
  /** Per login: when their last session ended. */
  private readonly ended = new Map<string, number>();

  constructor(rng: Rng, auth: LineSink, daemon: LineSink) {
    this.rng = rng;
    this.sink = auth;
    this.daemonSink = daemon;
  }

  /** Whether someone with this uid has a session open (their user manager runs). */
  uidOpen(uid: number): boolean {
    for (const o of this.open.values()) if (o.uid === uid) return true;
    return false;
  }

  isOpen(login: string): boolean {
    return this.open.has(login);
  }

  /** When `login`'s open session started (-Infinity when none is open). */
  openedAt(login: string): number {
    return this.open.get(login)?.at ?? -Infinity;
  }

  /** When `login`'s last session ended (-Infinity before any). */
  lastEnd(login: string): number {
    return this.ended.get(login) ?? -Infinity;
  }

  private onBoot(boot: Boot): void {
    if (boot.index === this.bootIndex) return;
    this.bootIndex = boot.index;
    // User managers died with the old boot (logind's session numbers are the machine's: audit).
    this.managers.clear();
    this.open.clear();
  }

  /**
   * `login` (uid) logs in over SSH at `at`. `key` names the session for logout: the login for
   * the sessions the homes model opens (one at a time), another key for a hop from a peer (one
   * person may be logged in both ways at once, on two terminals).
   */
  login(boot: Boot, at: number, login: string, uid: number, from: LoginSource, session: number, key = login): void {
    this.onBoot(boot);
    if (this.open.has(key)) return;
    const pid = freshPid(boot, at);
    // OpenSSH's privilege separation: the monitor forks the user's process after the login.
    const child = freshPid(boot, at);
    const port = from.port ?? between(this.rng, 32_768, 60_999);
    // The lowest pts number free (the kernel hands out the smallest unused one).
    const used = new Set([...this.open.values()].map((o) => o.tty));
    let tty = 0;
    while (used.has(tty)) tty++;
    this.open.set(key, { key, at, login, uid, pid, child, port, address: from.address, session, boot: boot.index, tty });
    const l = this.sink;
    l(at, `sshd[${pid}]: Accepted publickey for ${login} from ${from.address} port ${port} ssh2: ${from.key}`);
    l(at, `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${login}(uid=${uid}) by (uid=0)`);
    l(at, `systemd-logind[${boot.pids['systemd-logind']}]: New session ${session} of user ${login}.`);
    const d = this.daemonSink;
    if (!this.managers.has(uid)) {
      this.managers.add(uid);
      d(at, `systemd[1]: Created slice user-${uid}.slice - User Slice of UID ${uid}.`);
      d(at, `systemd[1]: Starting user-runtime-dir@${uid}.service - User Runtime Directory /run/user/${uid}...`);
      d(at, `systemd[1]: Finished user-runtime-dir@${uid}.service - User Runtime Directory /run/user/${uid}.`);
      d(at, `systemd[1]: Starting user@${uid}.service - User Manager for UID ${uid}...`);
      d(at + SEC, `systemd[1]: Started user@${uid}.service - User Manager for UID ${uid}.`);
    }
    d(at + SEC, `systemd[1]: Started session-${session}.scope - Session ${session} of User ${login}.`);
  }

  /**
   * `login`, logged in, runs `command` (an absolute path and its arguments) with sudo in `cwd`,
   * typed at `at`. One terminal runs one command at a time: a sudo typed with others starts a few
   * seconds after the one before it ends, and lasts as long as its command takes (a viewer until
   * it is quit, apt while it works), all within the minute after they were typed (the session
   * lasts at least that long).
   */
  sudo(at: number, login: string, cwd: string, command: string): void {
    const o = this.open.get(login);
    if (!o) return;
    const free = this.busyUntil.get(login) ?? -Infinity;
    const start = Math.min(Math.max(at, free + between(this.rng, 1, 6) * SEC), at + 50 * SEC);
    const end = Math.min(start + runSeconds(this.rng, command) * SEC, at + 55 * SEC);
    this.busyUntil.set(login, end);
    // sudo right-aligns the user name in eight columns.
    this.sink(start, `sudo: ${login.padStart(8)} : TTY=pts/${o.tty} ; PWD=${cwd} ; USER=root ; COMMAND=${command}`);
    this.sink(start, `sudo: pam_unix(sudo:session): session opened for user root(uid=0) by ${login}(uid=${o.uid})`);
    this.sink(Math.max(end, start + SEC), `sudo: pam_unix(sudo:session): session closed for user root`);
  }

  /**
   * The machine shuts down at `at`: every open session of `boot` ends (PAM closes it as sshd's
   * session process is killed, logind removes it); nobody is logged in after.
   */
  shutdown(boot: Boot, at: number): void {
    this.busyUntil.clear();
    const logind = boot.pids['systemd-logind'];
    for (const o of [...this.open.values()].sort((a, b) => a.session - b.session)) {
      this.open.delete(o.key);
      if (o.key === o.login) this.ended.set(o.login, at); // a hop's end is nobody's floor here
      if (o.boot !== boot.index) continue;
      this.sink(at, `sshd[${o.pid}]: pam_unix(sshd:session): session closed for user ${o.login}`);
      this.daemonSink(at, `systemd[1]: session-${o.session}.scope: Deactivated successfully.`);
      this.sink(at, `systemd-logind[${logind}]: Session ${o.session} logged out. Waiting for processes to exit.`);
      this.sink(at, `systemd-logind[${logind}]: Removed session ${o.session}.`);
    }
  }

  /** The session `key` logs out at `at` (nothing when it is not open, or a reboot ended it). */
  logout(boot: Boot, at: number, key: string): void {
    const o = this.open.get(key);
    if (!o) return;
    this.open.delete(key);
    if (key === o.login) this.ended.set(key, at);
    if (o.boot !== boot.index) return;
    const login = o.login;
    const l = this.sink;
    l(at, `sshd[${o.child}]: Received disconnect from ${o.address} port ${o.port}:11: disconnected by user`);
    l(at, `sshd[${o.child}]: Disconnected from user ${login} ${o.address} port ${o.port}`);
    l(at, `sshd[${o.pid}]: pam_unix(sshd:session): session closed for user ${login}`);
    const d = this.daemonSink;
    d(at, `systemd[1]: session-${o.session}.scope: Deactivated successfully.`);
    const logind = boot.pids['systemd-logind'];
    l(at, `systemd-logind[${logind}]: Session ${o.session} logged out. Waiting for processes to exit.`);
    l(at, `systemd-logind[${logind}]: Removed session ${o.session}.`);
    // The user's last session gone, logind stops their manager after UserStopDelaySec (10 s):
    // the next login starts it again.
    if (![...this.open.values()].some((x) => x.uid === o.uid) && this.managers.delete(o.uid)) {
      const stop = at + 10 * SEC;
      d(stop, `systemd[1]: Stopping user@${o.uid}.service - User Manager for UID ${o.uid}...`);
      d(stop, `systemd[1]: user@${o.uid}.service: Deactivated successfully.`);
      d(stop, `systemd[1]: Stopped user@${o.uid}.service - User Manager for UID ${o.uid}.`);
      d(stop, `systemd[1]: Stopping user-runtime-dir@${o.uid}.service - User Runtime Directory /run/user/${o.uid}...`);
      d(stop, `systemd[1]: user-runtime-dir@${o.uid}.service: Deactivated successfully.`);
      d(stop, `systemd[1]: Stopped user-runtime-dir@${o.uid}.service - User Runtime Directory /run/user/${o.uid}.`);
      d(stop, `systemd[1]: Removed slice user-${o.uid}.slice - User Slice of UID ${o.uid}.`);
    }
  }
}
