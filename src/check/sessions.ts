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
// Invariant 26, hops between deckies: a login from another decky's address is a person there
// typing `ssh <this host>`, so it follows that decky's connection to this one (its traffic
// event, in the second sshd logs or the one before) and is by someone with an account on both
// (a persona of each).
// Memory: per decky, the sessions open now, a few numbers, and the connections to it of the
// last seconds not yet matched against its auth.log.
import { gunzipBounded } from '../util/inflate.js';
import { MAX_INFLATED } from './scan.js';
import type { PlanInputs } from '../inputs/types.js';
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
  uuid: string;
  /** Bytes of the live auth.log already read. */
  offset: number;
  /** The first line's time (the oldest the logs keep). */
  firstMs: number;
  ssh: Map<string, SshSession>;
  cron: Set<string>;
  sudo: number;
  /** Connections to this decky by second: `address@second` (oldest first in `arrivalsOrder`). */
  arrivals: Set<string>;
  arrivalsOrder: Array<{ key: string; sec: number }>;
}

type Report = (invariant: number, reason: string) => void;

export class SessionsChecker implements InvariantModule {
  private readonly deckies = new Map<string, DeckySessions>();
  /** The fleet's addresses, and each decky's logins (its personas' and its /etc/passwd users'). */
  private readonly byAddress = new Map<string, string>();
  private readonly addressOf = new Map<string, string>();
  private readonly logins = new Map<string, Set<string>>();

  constructor(inputs?: PlanInputs) {
    if (!inputs) return;
    const loginOf = new Map(inputs.personas.map((p) => [p.name, p.login]));
    for (const d of inputs.fleet) {
      if (d.address !== null && d.address !== undefined) {
        this.byAddress.set(d.address, d.uuid);
        this.addressOf.set(d.uuid, d.address);
      }
      this.logins.set(d.uuid, new Set(d.personas.map((n) => loginOf.get(n) ?? n)));
    }
  }

  private decky(uuid: string): DeckySessions {
    let d = this.deckies.get(uuid);
    if (!d) this.deckies.set(uuid, (d = { uuid, offset: 0, firstMs: NaN, ssh: new Map(), cron: new Set(), sudo: 0, arrivals: new Set(), arrivalsOrder: [] }));
    return d;
  }

  event(ev: TimelineEvent, report: Report): void {
    if (ev.kind === 'traffic' && ev.traffic !== undefined) {
      const address = this.addressOf.get(ev.traffic.src.uuid);
      if (address === undefined) return;
      const d = this.decky(ev.traffic.dst.uuid);
      const sec = Math.floor(Date.parse(ev.at) / 1000);
      const key = `${address}@${sec}`;
      if (!d.arrivals.has(key)) {
        d.arrivals.add(key);
        d.arrivalsOrder.push({ key, sec });
      }
      return;
    }
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

  /** Invariant 26 for a login from `address` at `ms` (see the top of this file). */
  private hop(d: DeckySessions, ms: number, user: string, address: string, line: string, report: Report): void {
    const sec = Math.floor(ms / 1000);
    const order = d.arrivalsOrder;
    let k = 0;
    while (k < order.length && order[k]!.sec < sec - 2) d.arrivals.delete(order[k++]!.key);
    if (k > 0) order.splice(0, k);
    const src = this.byAddress.get(address);
    if (src === undefined) return; // not a decky of the fleet: an office workstation
    const self = d.uuid;
    if (!d.arrivals.has(`${address}@${sec}`) && !d.arrivals.has(`${address}@${sec - 1}`)) {
      report(26, `${user} logs in from ${address}, a decky of the fleet, which made no connection to this one then: ${JSON.stringify(line.slice(0, 90))}`);
    }
    if (!(this.logins.get(self)?.has(user) ?? true)) report(26, `${user} logs in from ${address} but has no account here: ${JSON.stringify(line.slice(0, 90))}`);
    if (!(this.logins.get(src)?.has(user) ?? true)) report(26, `${user} logs in from ${address}, a decky on which they have no account: ${JSON.stringify(line.slice(0, 90))}`);
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
        this.hop(d, ms, x[1]!, x[2]!, line, report);
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
