// Invariant 23, sessions in auth.log (issue 12 item 5), read as `zcat -f /var/log/auth.log*`
// reads them: every line once, oldest first (the pre-history's rotations as planted, then the
// live file's lines as they are appended; rotations made during the horizon repeat lines already
// seen and are skipped).
//   (a) every sshd `Disconnected from user U A port P` pairs with an open session's earlier
//       `Accepted publickey for U from A port P` (the disconnect is the session child's line, of
//       another PID), and `pam_unix(sshd:session): session closed for user U` with one of the
//       same sshd PID (connections that never authenticated, such as banner probes' `Connection
//       closed by A port P`, are not sessions and are not looked at);
//   (b) every PAM session closed pairs with an open: sshd's by PID and user, cron's by PID,
//       sudo's (which logs no PID) by count;
//   (c) a sudo COMMAND line only while its user has an SSH session open;
//   (d) no SSH session left open across a reboot (sshd's `Server listening` starts a boot).
// A close or sudo in the first day of lines a decky's logs keep may belong to a session whose
// login was in a rotation logrotate had already dropped: those are not reported.
// Memory: per decky, the sessions open now and a few numbers.
import { gunzipBounded } from '../util/inflate.js';
import { MAX_INFLATED } from './scan.js';
import type { TimelineEvent } from '../timeline/types.js';
import { parseSyslogStamp } from '../util/time.js';
import type { InvariantModule } from './checker.js';
import { contentBytes } from './scan.js';

const AUTH = '/var/log/auth.log';
const HISTORY_ROTATION = /^\/var\/log\/auth\.log\.\d+(\.gz)?$/;
const DAY = 86_400_000;

interface SshSession {
  user: string;
  address: string;
  port: string;
  pam: boolean;
}

interface DeckySessions {
  /** Bytes of the live auth.log already read. */
  offset: number;
  /** The first line's time (the oldest the logs keep). */
  firstMs: number;
  ssh: Map<string, SshSession>;
  cron: Set<string>;
  sudo: number;
}

type Report = (invariant: number, reason: string) => void;

export class SessionsChecker implements InvariantModule {
  private readonly deckies = new Map<string, DeckySessions>();

  private decky(uuid: string): DeckySessions {
    let d = this.deckies.get(uuid);
    if (!d) this.deckies.set(uuid, (d = { offset: 0, firstMs: NaN, ssh: new Map(), cron: new Set(), sudo: 0 }));
    return d;
  }

  event(ev: TimelineEvent, report: Report): void {
    if (ev.kind !== 'file' || ev.path === undefined) return;
    const path = ev.path;
    if (path !== AUTH && !(ev.job === 'history' && HISTORY_ROTATION.test(path))) {
      return;
    }
    const d = this.decky(ev.decky.uuid);
    if (path === AUTH && (ev.action === 'file:rename' || ev.action === 'file:delete')) {
      d.offset = 0;
      return;
    }
    if (ev.content === undefined || (ev.action !== 'file:create' && ev.action !== 'file:edit')) return;
    let bytes = contentBytes(ev.content);
    if (path.endsWith('.gz')) {
      try {
        bytes = gunzipBounded(bytes, MAX_INFLATED);
      } catch {
        return; // not gzip, or a bomb: the forbidden-word scan (2) reports those
      }
    }
    let from = 0;
    if (path === AUTH) {
      from = ev.action === 'file:edit' ? Math.min(d.offset, bytes.length) : 0;
      d.offset = bytes.length;
    }
    const ref = Date.parse(ev.mtime ?? ev.at);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, bytes.byteLength - from).toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const ms = parseSyslogStamp(line, ref);
      if (ms === null) continue; // invariant 4's
      this.line(d, ms, line, report);
    }
  }

  private line(d: DeckySessions, ms: number, line: string, report: Report): void {
    if (Number.isNaN(d.firstMs)) d.firstMs = ms;
    // Lines of sessions whose start logrotate may have dropped already.
    const early = ms - d.firstMs < DAY;
    const rest = line.slice(16);
    const msg = rest.slice(rest.indexOf(' ') + 1);
    let m: RegExpExecArray | null;
    if ((m = /^sshd\[(\d+)\]: (.*)$/.exec(msg))) {
      const pid = m[1]!;
      const body = m[2]!;
      let x: RegExpExecArray | null;
      if (/^Server listening on 0\.0\.0\.0 /.test(body)) {
        for (const s of d.ssh.values()) report(23, `${s.user}'s SSH session from ${s.address} port ${s.port} is still open when the machine boots again (${line.slice(0, 15)})`);
        d.ssh.clear();
        d.cron.clear();
        d.sudo = 0;
      } else if ((x = /^Accepted \S+ for (\S+) from (\S+) port (\d+) /.exec(body))) {
        d.ssh.set(pid, { user: x[1]!, address: x[2]!, port: x[3]!, pam: false });
      } else if ((x = /^pam_unix\(sshd:session\): session opened for user ([^(\s]+)/.exec(body))) {
        const s = d.ssh.get(pid);
        if (!s || s.user !== x[1]) report(23, `sshd[${pid}] opens a PAM session for ${x[1]} without accepting ${x[1]} first: ${JSON.stringify(line.slice(0, 90))}`);
        else s.pam = true;
      } else if ((x = /^Disconnected from user (\S+) (\S+) port (\d+)$/.exec(body))) {
        // Logged by the session's unprivileged child (another PID than the monitor's Accepted).
        let s: { user: string; address: string; port: string } | undefined;
        for (const o of d.ssh.values()) if (o.user === x[1] && o.address === x[2] && o.port === x[3]) s = o;
        if (!s && !early) report(23, `sshd[${pid}] disconnects ${x[1]} ${x[2]} port ${x[3]}, which no open session logged in: ${JSON.stringify(line.slice(0, 90))}`);
      } else if ((x = /^pam_unix\(sshd:session\): session closed for user (\S+)$/.exec(body))) {
        const s = d.ssh.get(pid);
        if (!s || s.user !== x[1] || !s.pam) {
          if (!(early && !s)) report(23, `sshd[${pid}] closes a session of ${x[1]} that it never opened: ${JSON.stringify(line.slice(0, 90))}`);
        } else d.ssh.delete(pid);
      }
      return;
    }
    if ((m = /^CRON\[(\d+)\]: pam_unix\(cron:session\): session (opened|closed) for user /.exec(msg))) {
      if (m[2] === 'opened') d.cron.add(m[1]!);
      else if (d.cron.has(m[1]!)) d.cron.delete(m[1]!);
      else if (!early) report(23, `CRON[${m[1]}] closes a PAM session it never opened: ${JSON.stringify(line.slice(0, 90))}`);
      return;
    }
    if ((m = /^sudo: pam_unix\(sudo:session\): session (opened|closed) for user /.exec(msg))) {
      if (m[1] === 'opened') d.sudo++;
      else if (d.sudo > 0) d.sudo--;
      else if (!early) report(23, `sudo closes a PAM session it never opened: ${JSON.stringify(line.slice(0, 90))}`);
      return;
    }
    if ((m = /^sudo: +(\S+) : .*COMMAND=/.exec(msg))) {
      const user = m[1]!;
      let open = false;
      for (const s of d.ssh.values()) if (s.user === user) open = true;
      if (!open && !early) report(23, `${user} runs sudo without an SSH session open: ${JSON.stringify(line.slice(0, 90))}`);
    }
  }
}
