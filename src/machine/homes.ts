// The personas' homes on one decky (issue 13 item 4): what useradd copied from /etc/skel, the
// ~/.ssh a person sets up on their first day (authorized_keys with their workstation's key,
// known_hosts as ssh leaves it with HashKnownHosts), and ~/.bash_history, which bash writes when
// a session ends. Commands are gathered while a person works (editing the files they write,
// running their scripts, ssh to the other machines, git in their repositories) and written out
// as one edit at logout, the history truncated to HISTFILESIZE as bash does.
//
// Streams: a person's habits and workstation key are facts of the person (labelled without the
// decky); a host's key is the host's (labelled by the host); everything else is labelled
// (seed, decky, 'homes', login, purpose), so no other model's draws move.
import { createHash, createHmac } from 'node:crypto';
import type { Persona } from '../inputs/types.js';
import { type Rng, between, bytes, fastStream, fmix, pick, stream } from '../rng/stream.js';
import { ed25519PublicKey, sshString, u32 } from '../canary/ssh-key.js';
import { intervalOnDay, windowSpec } from '../sim/schedule.js';
import { sha256Hex } from '../util/hash.js';
import { type Organisation, addressIn, asciiWord } from '../world/organisation.js';
import type { FileOp } from './logs.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Debian's .bashrc: HISTFILESIZE=2000 (bash truncates the file to this many lines). */
const HISTFILESIZE = 2000;
/** known_hosts stops growing here (a few hundred hosts is already a busy admin). */
const KNOWN_MAX = 150;
/** Peers a person has reached before the horizon (a sample of the fleet, never all of it). */
const KNOWN_PEERS = 8;

export interface HomePerson {
  login: string;
  persona: Persona;
}

export interface HomePeer {
  uuid: string;
  /** The short host name people type. */
  host: string;
  /** The logins with an account there (a typed `ssh <host>` is theirs only). */
  accounts: ReadonlySet<string>;
}

/** What someone types between other work (nothing that needs root: auth.log must not change). */
const INSTEAD = ['uptime', 'w', 'df -h', 'free -m', 'ls', 'date', 'ls -lt | head'];

const SKEL_BASHRC = `# ~/.bashrc: executed by bash(1) for non-login shells.
# see /usr/share/doc/bash/examples/startup-files (in the package bash-doc)
# for examples

# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac

# don't put duplicate lines or lines starting with space in the history.
# See bash(1) for more options
HISTCONTROL=ignoreboth

# append to the history file, don't overwrite it
shopt -s histappend

# for setting history length see HISTSIZE and HISTFILESIZE in bash(1)
HISTSIZE=1000
HISTFILESIZE=2000

# check the window size after each command and, if necessary,
# update the values of LINES and COLUMNS.
shopt -s checkwinsize

# If set, the pattern "**" used in a pathname expansion context will
# match all files and zero or more directories and subdirectories.
#shopt -s globstar

# make less more friendly for non-text input files, see lesspipe(1)
#[ -x /usr/bin/lesspipe ] && eval "$(SHELL=/bin/sh lesspipe)"

# set variable identifying the chroot you work in (used in the prompt below)
if [ -z "\${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi

# set a fancy prompt (non-color, unless we know we "want" color)
case "$TERM" in
    xterm-color|*-256color) color_prompt=yes;;
esac

# uncomment for a colored prompt, if the terminal has the capability; turned
# off by default to not distract the user: the focus in a terminal window
# should be on the output of commands, not on the prompt
#force_color_prompt=yes

if [ -n "$force_color_prompt" ]; then
    if [ -x /usr/bin/tput ] && tput setaf 1 >&/dev/null; then
	# We have color support; assume it's compliant with Ecma-48
	# (ISO/IEC-6429). (Lack of such support is extremely rare, and such
	# a case would tend to support setf rather than setaf.)
	color_prompt=yes
    else
	color_prompt=
    fi
fi

if [ "$color_prompt" = yes ]; then
    PS1='\${debian_chroot:+($debian_chroot)}\\[\\033[01;32m\\]\\u@\\h\\[\\033[00m\\]:\\[\\033[01;34m\\]\\w\\[\\033[00m\\]\\$ '
else
    PS1='\${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ '
fi
unset color_prompt force_color_prompt

# If this is an xterm set the title to user@host:dir
case "$TERM" in
xterm*|rxvt*)
    PS1="\\[\\e]0;\${debian_chroot:+($debian_chroot)}\\u@\\h: \\w\\a\\]$PS1"
    ;;
*)
    ;;
esac

# enable color support of ls and also add handy aliases
if [ -x /usr/bin/dircolors ]; then
    test -r ~/.dircolors && eval "$(dircolors -b ~/.dircolors)" || eval "$(dircolors -b)"
    alias ls='ls --color=auto'
    #alias dir='dir --color=auto'
    #alias vdir='vdir --color=auto'

    #alias grep='grep --color=auto'
    #alias fgrep='fgrep --color=auto'
    #alias egrep='egrep --color=auto'
fi

# colored GCC warnings and errors
#export GCC_COLORS='error=01;31:warning=01;35:note=01;36:caret=01;32:locus=01:quote=01'

# some more ls aliases
#alias ll='ls -l'
#alias la='ls -A'
#alias l='ls -CF'

# Alias definitions.
# You may want to put all your additions into a separate file like
# ~/.bash_aliases, instead of adding them here directly.
# See /usr/share/doc/bash-doc/examples in the bash-doc package.

if [ -f ~/.bash_aliases ]; then
    . ~/.bash_aliases
fi

# enable programmable completion features (you don't need to enable
# this, if it's already enabled in /etc/bash.bashrc and /etc/profile
# sources /etc/bash.bashrc).
if ! shopt -oq posix; then
  if [ -f /usr/share/bash-completion/bash_completion ]; then
    . /usr/share/bash-completion/bash_completion
  elif [ -f /etc/bash_completion ]; then
    . /etc/bash_completion
  fi
fi
`;

const SKEL_PROFILE = `# ~/.profile: executed by the command interpreter for login shells.
# This file is not read by bash(1), if ~/.bash_profile or ~/.bash_login
# exists.
# see /usr/share/doc/bash/examples/startup-files for examples.
# the files are located in the bash-doc package.

# the default umask is set in /etc/profile; for setting the umask
# for ssh logins, install and configure the libpam-umask package.
#umask 022

# if running bash
if [ -n "$BASH_VERSION" ]; then
    # include .bashrc if it exists
    if [ -f "$HOME/.bashrc" ]; then
	. "$HOME/.bashrc"
    fi
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/bin" ] ; then
    PATH="$HOME/bin:$PATH"
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/.local/bin" ] ; then
    PATH="$HOME/.local/bin:$PATH"
fi
`;

const SKEL_LOGOUT = `# ~/.bash_logout: executed by bash(1) when login shell exits.

# when leaving the console clear the screen to increase privacy

if [ "$SHLVL" = 1 ]; then
    [ -x /usr/bin/clear_console ] && /usr/bin/clear_console -q
fi
`;

/** How a person works at a shell: what the history and their dotfiles show. */
interface Habits {
  editor: 'vim' | 'vi' | 'nano';
  /** Uses `ll` (and adds the alias), or types `ls -la`. */
  ll: boolean;
  /** Types `sudo -i` now and then for a root shell (what is typed there is root's history, not this one). */
  sudoShell: boolean;
  /** Lines appended to .bashrc (none: the skeleton is untouched). */
  bashrcExtra: string[];
  profileExtra: string[];
  /** Ends sessions with `exit` (otherwise closes the terminal or presses ^D). */
  typesExit: boolean;
  /** Pager habit: less or cat. */
  viewer: 'less' | 'cat';
}

function habitsOf(seed: string, p: Persona): Habits {
  const r = stream(seed, 'homes', 'habits', p.name);
  const editor = pick(r, ['vim', 'vim', 'vim', 'vi', 'nano', 'nano'] as const);
  const ll = r() < 0.6;
  const extra: string[] = [];
  if (ll) extra.push("alias ll='ls -alF'");
  if (r() < 0.5) extra.push("alias la='ls -A'");
  if (r() < 0.4) extra.push(`export EDITOR=${editor}`);
  if (r() < 0.3) extra.push("alias gs='git status'");
  // Not HISTTIMEFORMAT: bash would then stamp each history entry (`#<epoch>` lines), which the
  // history this model writes does not carry.
  if (r() < 0.25) extra.push("alias grep='grep --color=auto'");
  if (r() < 0.2) extra.push("alias ..='cd ..'");
  const profileExtra: string[] = [];
  if (r() < 0.25) profileExtra.push(`export LESS=-R`);
  return { editor, ll, sudoShell: r() < 0.3, bashrcExtra: extra, profileExtra, typesExit: r() < 0.5, viewer: r() < 0.6 ? 'less' : 'cat' };
}

/** An ssh-ed25519 public key blob (base64) from 32 seeded bytes (a real curve point). */
function ed25519Blob(r: Rng): string {
  const pub = ed25519PublicKey(Buffer.from(bytes(r, 32)));
  return Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]).toString('base64');
}

/** An ssh-rsa public key blob of `bits` (e = 65537, an odd modulus with its top bit set). */
function rsaBlob(r: Rng, bits: number): string {
  const n = Buffer.from(bytes(r, bits / 8));
  n[0] = n[0]! | 0x80;
  n[n.length - 1] = n[n.length - 1]! | 1;
  const mpint = Buffer.concat([Buffer.from([0]), n]); // the high bit is set: a leading zero keeps it positive
  return Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(mpint)]).toString('base64');
}

/** The person's workstation: its host name and the key they log in with (one fact per person). */
export function workstationKey(seed: string, p: Persona): { host: string; line: string } {
  const r = stream(seed, 'homes', 'workstation', p.name);
  const first = asciiWord(p.name.split(/\s+/)[0] ?? '') || p.login;
  const host = pick(r, [`${p.login}-laptop`, `${first}-thinkpad`, `${first}-laptop`, `lt-${p.login}`, `${p.login}-x1`, `ws${between(r, 10, 99)}`, `${first}-mbp`]);
  const rsa = r() < 0.25;
  const blob = rsa ? rsaBlob(r, 3072) : ed25519Blob(r);
  return { host, line: `${rsa ? 'ssh-rsa' : 'ssh-ed25519'} ${blob} ${p.login}@${host}` };
}

/** A host's ed25519 host key blob (one fact per host, whoever records it). */
function hostKey(seed: string, label: string): string {
  return ed25519Blob(stream(seed, 'homes', 'hostkey', label));
}

/**
 * What every decky's homes share in one plan: the fleet's SSH peers (one list, not one per
 * decky: that would be quadratic in the fleet) and the host keys people's known_hosts hold.
 * A host key is a pure function of (seed, label), and deriving one costs an OpenSSL key import:
 * each is derived once, at most one per peer and organisation host.
 */
export class HomesFleet {
  readonly seed: string;
  readonly peers: readonly HomePeer[];
  private readonly hosts = new Map<string, string>();
  private readonly keys = new Map<string, string>();

  constructor(seed: string, peers: readonly HomePeer[]) {
    this.seed = seed;
    this.peers = peers;
    for (const p of peers) this.hosts.set(p.uuid, p.host);
  }

  host(uuid: string): string | undefined {
    return this.hosts.get(uuid);
  }

  hostKey(label: string): string {
    let k = this.keys.get(label);
    if (k === undefined) this.keys.set(label, (k = hostKey(this.seed, label)));
    return k;
  }
}

/** One known_hosts line as OpenSSH writes it with HashKnownHosts yes: |1|salt|HMAC-SHA1(salt, name). */
function knownLine(r: Rng, name: string, blob: string): string {
  const salt = Buffer.from(bytes(r, 20));
  const mac = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${mac.toString('base64')} ssh-ed25519 ${blob}\n`;
}

/** An instant inside the person's working window on or after `fromMs` (in the first half of it). */
function inHours(p: Persona, fromMs: number, r: Rng): number {
  const spec = windowSpec(p);
  const day0 = Math.floor(fromMs / DAY);
  for (let d = day0; d < day0 + 14; d++) {
    const iv = intervalOnDay(spec, d);
    if (iv && iv[1] > fromMs) {
      const s = Math.max(iv[0], fromMs);
      return Math.floor((s + r() * (iv[1] - s) * 0.6) / SEC) * SEC;
    }
  }
  return Math.floor(fromMs / SEC) * SEC;
}

interface Login {
  login: string;
  persona: Persona;
  home: string;
  habits: Habits;
  /** The session stream: commands typed during the horizon. */
  rng: Rng;
  /** The history file: its text (one command per line), how many lines and the last one. */
  body: string;
  count: number;
  last: string | null;
  sha: string;
  writtenMs: number;
  /** Commands typed since the last logout. */
  pending: string[];
  lastCmdMs: number;
  /** Host names in known_hosts (as typed), the file's body, sha and last write. */
  known: Set<string>;
  knownBody: string;
  knownSha: string;
  knownMs: number;
  knownAdd: string[];
  /** The working directory the history last left (for `cd` lines). */
  cwd: string;
  /** sudo command lines typed since the machine last asked (its auth.log logs them). */
  sudos: Array<{ ms: number; cmd: string }>;
}

/** Where programs a person runs with sudo live on Debian (what sudo logs as COMMAND=). */
const SUDO_PATHS: Record<string, string> = { apt: '/usr/bin/apt', journalctl: '/usr/bin/journalctl', tail: '/usr/bin/tail', less: '/usr/bin/less', cat: '/usr/bin/cat', ss: '/usr/bin/ss', du: '/usr/bin/du', systemctl: '/usr/bin/systemctl', mariadb: '/usr/bin/mariadb', 'mariadb-admin': '/usr/bin/mariadb-admin' };

/** What sudo logs as the command of a typed sudo line (the part the shell hands to sudo). */
export function sudoCommand(typed: string): string | null {
  if (!typed.startsWith('sudo ')) return null;
  const argv = typed.slice(5).split('|')[0]!.trim();
  if (argv === '-i') return '/bin/bash';
  const [prog, ...rest] = argv.split(/\s+/);
  const path = SUDO_PATHS[prog!];
  return path ? [path, ...rest].join(' ') : null;
}

/** What the machine a home is on runs (a person looks at these): application units, cron jobs with a log, database dumps. */
export interface MachineFacts {
  apps: readonly string[];
  jobs: readonly string[];
  backups: boolean;
  /** nginx runs here (its unit and its logs). */
  web?: boolean;
  /** MariaDB runs here (its unit; its lines are in the journal). */
  db?: boolean;
}

export class Homes {
  private readonly seed: string;
  private readonly uuid: string;
  private readonly org: Organisation;
  private readonly fleet: HomesFleet;
  private readonly byLogin = new Map<string, Login>();
  private readonly people: readonly HomePerson[];
  /** Where each login connects from (derived once: the key and address never change). */
  private readonly sources = new Map<string, { address: string; key: string }>();

  /** `fleet` lists every SSH decky: this one among them is no peer of itself. */
  constructor(uuid: string, people: readonly HomePerson[], fleet: HomesFleet, org: Organisation, private readonly machine: MachineFacts = { apps: [], jobs: [], backups: false }) {
    this.seed = fleet.seed;
    this.uuid = uuid;
    this.org = org;
    this.fleet = fleet;
    this.people = people;
  }

  /** Every path the homes model owns: nothing else takes these. */
  reservedPaths(): string[] {
    const out: string[] = [];
    for (const { login } of this.people) {
      const h = login === 'root' ? '/root' : `/home/${login}`;
      out.push(`${h}/.bashrc`, `${h}/.profile`, `${h}/.bash_logout`, `${h}/.bash_history`, `${h}/.ssh/authorized_keys`, `${h}/.ssh/known_hosts`);
    }
    return out;
  }

  /** Whether a path is one the homes model keeps (a lure's companion there becomes an append). */
  owns(path: string): boolean {
    for (const l of this.byLogin.values()) if (path === `${l.home}/.ssh/known_hosts`) return true;
    return false;
  }

  /** The pre-history: every login's skeleton, ~/.ssh and the history before the horizon. */
  history(startMs: number, lastLogout: ReadonlyMap<string, number> = new Map()): FileOp[] {
    const ops: FileOp[] = [];
    const skelR = fastStream(this.seed, this.uuid, 'homes', 'skel');
    // The skeleton's files carry /etc/skel's mtime (useradd copies the times), one per machine.
    const skelMs = Math.floor((startMs - between(skelR, 500, 1100) * DAY - between(skelR, 0, 86_399) * SEC) / SEC) * SEC;
    for (const { login, persona } of this.people) {
      if (this.byLogin.has(login)) continue;
      const home = login === 'root' ? '/root' : `/home/${login}`;
      const r = fastStream(this.seed, this.uuid, 'homes', login, 'setup');
      const habits = habitsOf(this.seed, persona);
      const spanDays = Math.max(40, Math.floor((startMs - skelMs) / DAY) - 30);
      const acct = inHours(persona, skelMs + between(r, 5, spanDays - 20) * DAY, r);
      const own = { owner: login, job: 'history' } as const;
      const rcMs = habits.bashrcExtra.length > 0 ? inHours(persona, acct + between(r, 1, 20) * DAY, r) : skelMs;
      const bashrc = habits.bashrcExtra.length > 0 ? SKEL_BASHRC + '\n' + habits.bashrcExtra.join('\n') + '\n' : SKEL_BASHRC;
      ops.push({ action: 'file:create', ...own, cls: 'home_config', path: `${home}/.bashrc`, mode: '0644', mtimeMs: Math.min(rcMs, startMs - DAY), body: bashrc });
      const profile = habits.profileExtra.length > 0 ? SKEL_PROFILE + habits.profileExtra.join('\n') + '\n' : SKEL_PROFILE;
      ops.push({ action: 'file:create', ...own, cls: 'home_config', path: `${home}/.profile`, mode: '0644', mtimeMs: habits.profileExtra.length > 0 ? Math.min(rcMs + between(r, 60, 3600) * SEC, startMs - DAY) : skelMs, body: profile });
      ops.push({ action: 'file:create', ...own, cls: 'home_config', path: `${home}/.bash_logout`, mode: '0644', mtimeMs: skelMs, body: SKEL_LOGOUT });
      // ~/.ssh on the first day: the workstation's key, then hosts reached from here.
      const ws = workstationKey(this.seed, persona);
      let keys = ws.line + '\n';
      if (r() < 0.3) {
        // A second key: an old one from before the current laptop, kept for a while.
        const old = stream(this.seed, 'homes', 'workstation-old', persona.name);
        keys += `ssh-rsa ${rsaBlob(old, 2048)} ${login}@${pick(old, ['old-laptop', `${login}-desktop`, 'home-pc'])}\n`;
      }
      ops.push({ action: 'file:create', ...own, cls: 'home_config', path: `${home}/.ssh/authorized_keys`, mode: '0600', mtimeMs: acct + between(r, 5, 90) * MIN, body: keys });

      const kr = fastStream(this.seed, this.uuid, 'homes', login, 'known');
      const known = new Set<string>();
      let knownBody = '';
      const knownPeers = this.samplePeers(login, KNOWN_PEERS);
      const orgHosts = this.org.hosts.filter((h) => ['git', 'backup', 'monitoring', 'ci', 'nas', 'vpn'].includes(h.role) || kr() < 0.3);
      // The organisation's hosts take everyone's login (its directory); a decky of the fleet only
      // its own users': the others reached it as a tool's or a shared account's client.
      const names = [...knownPeers.map((p) => ({ name: p.host, key: this.fleet.hostKey(`decky:${p.uuid}`), account: p.accounts.has(login) })), ...orgHosts.map((h) => ({ name: h.name, key: this.fleet.hostKey(`org:${this.org.key}:${h.fqdn}`), account: true }))];
      const typable: string[] = [];
      for (const n of names) {
        if (known.has(n.name)) continue;
        known.add(n.name);
        if (n.account) typable.push(n.name);
        knownBody += knownLine(kr, n.name, n.key);
      }
      const hr = fastStream(this.seed, this.uuid, 'homes', login, 'before');
      // bash wrote the history when the last session before the horizon ended (auth.log has it).
      const drawn = Math.min(inHours(persona, startMs - between(hr, 2, 6) * DAY, hr), Math.floor((startMs - HOUR) / SEC) * SEC);
      const histMs = lastLogout.get(login) ?? drawn;
      const knownMs = Math.max(acct + HOUR, histMs - between(hr, 1, 48) * HOUR);
      if (knownBody !== '') ops.push({ action: 'file:create', ...own, cls: 'home_config', path: `${home}/.ssh/known_hosts`, mode: '0644', mtimeMs: knownMs, body: knownBody });

      const l: Login = { login, persona, home, habits, rng: fastStream(this.seed, this.uuid, 'homes', login, 'session'), body: '', count: 0, last: null, sha: '', writtenMs: -1, pending: [], lastCmdMs: 0, known, knownBody, knownSha: sha256Hex(knownBody), knownMs: knownBody !== '' ? knownMs : -1, knownAdd: [], cwd: '~', sudos: [] };
      this.byLogin.set(login, l);
      // The history before the horizon: sessions of routine commands, ssh to the hosts it knows.
      const hosts = typable;
      const sessions = between(hr, 8, 70);
      const typed: string[] = [];
      if (habits.bashrcExtra.length > 0) typed.push(`${habits.editor} ~/.bashrc`, 'source ~/.bashrc');
      for (let s = 0; s < sessions; s++) {
        const n = between(hr, 2, 12);
        for (let i = 0; i < n; i++) typed.push(hosts.length > 0 && hr() < 0.12 ? `ssh ${pick(hr, hosts)}` : this.routine(l, hr));
        if (habits.typesExit) typed.push('exit');
      }
      this.append(l, typed);
      l.sha = sha256Hex(l.body);
      l.writtenMs = histMs;
      l.cwd = '~';
      ops.push({ action: 'file:create', ...own, cls: 'shell_history', path: `${home}/.bash_history`, mode: '0600', mtimeMs: histMs, body: l.body });
    }
    return ops;
  }

  /** Up to n peers, chosen by a hash of (login, peer): the same few whatever else is in the fleet. */
  private samplePeers(login: string, n: number): HomePeer[] {
    let h = 0;
    for (const c of `${this.seed}\u001f${this.uuid}\u001f${login}`) h = fmix(h ^ c.charCodeAt(0));
    const scored: Array<{ s: number; p: HomePeer }> = [];
    for (const p of this.fleet.peers) {
      if (p.uuid === this.uuid) continue;
      let k = h;
      for (let i = 0; i < p.uuid.length; i++) k = fmix(k ^ p.uuid.charCodeAt(i));
      scored.push({ s: k, p });
    }
    scored.sort((a, b) => a.s - b.s);
    return scored.slice(0, n).map((x) => x.p);
  }

  /** A routine command: looking round the machine. */
  private routine(l: Login, r: Rng): string {
    const h = l.habits;
    const host = this.org.hosts.length > 0 ? pick(r, this.org.hosts) : null;
    // What needs root is typed with sudo: after `sudo -i` the commands would be root's shell's,
    // and go to /root/.bash_history, not to this one.
    const sudo = 'sudo ';
    const list = [
      h.ll ? 'll' : 'ls -la', 'ls', 'ls', 'cd', 'cd ..', 'pwd', 'df -h', 'df -h', 'free -m', 'uptime', 'top', 'htop', 'w', 'who', 'last -n 20',
      `${sudo}apt update`, `${sudo}apt upgrade`, 'apt list --upgradable', `systemctl status ssh`, `systemctl status cron`, 'systemctl list-timers',
      `${sudo}journalctl -u ssh --since today`, `${sudo}tail -n 50 /var/log/syslog`, `${sudo}${h.viewer} /var/log/auth.log`, 'ip a', 'ip route', `${sudo}ss -tlnp`,
      'cat /etc/os-release', 'uname -a', 'crontab -l', `${h.viewer} /etc/crontab`, 'ps aux | grep cron', 'ls /usr/local/sbin', 'history | tail -20', 'clear', 'date',
      'hostname -I', 'cat /proc/loadavg', `du -sh /var/log`, `${sudo}du -h --max-depth=1 /var/log | sort -h`, 'ls -lt /var/log | head', 'dmesg | tail', 'id', 'groups',
      ...(host ? [`ping -c 3 ${host.name}`, `host ${host.fqdn}`, `dig +short ${host.fqdn}`] : []),
      // This machine's own work: its applications' units and logs, its cron jobs, its dumps.
      ...this.machine.apps.flatMap((a) => [`systemctl status ${a}`, `${sudo}journalctl -u ${a} --since today`, `ls -lt /var/log/${a} | head`]),
      ...this.machine.jobs.flatMap((j) => [`cat /etc/cron.d/${j}`, `${h.viewer} /usr/local/sbin/${j}.sh`, `${sudo}tail -n 20 /var/log/cron-jobs/${j}.log`]),
      ...(this.machine.backups ? ['ls -lh /var/backups'] : []),
      ...(this.machine.web ? ['systemctl status nginx', `${sudo}tail -n 50 /var/log/nginx/access.log`, `${sudo}tail /var/log/nginx/error.log`, 'ls -lt /var/log/nginx', `${sudo}${h.viewer} /var/log/nginx/access.log`] : []),
      ...(this.machine.db ? ['systemctl status mariadb', `${sudo}mariadb`, `${sudo}journalctl -u mariadb --since today`, `${sudo}mariadb-admin status`] : []),
      ...(h.sudoShell ? ['sudo -i'] : []),
    ];
    return pick(r, list);
  }

  /**
   * Lines into the history as bash keeps them (ignoredups: no line repeats the one before it; the
   * oldest go past HISTFILESIZE). The text alone is kept, flat: a fleet holds two thousand lines
   * per login for the whole plan, and an array of line strings costs about twice the text.
   */
  private append(l: Login, typed: readonly string[]): void {
    let add = '';
    for (const c of typed) {
      if (l.last === c) continue;
      add += c + '\n';
      l.last = c;
      l.count++;
    }
    l.body += add;
    if (l.count > HISTFILESIZE) {
      let cut = 0;
      for (let k = l.count - HISTFILESIZE; k > 0; k--) cut = l.body.indexOf('\n', cut) + 1;
      l.body = l.body.slice(cut);
      l.count = HISTFILESIZE;
    }
    // The caller hashes the body next, which leaves it flat (V8 flattens a rope it reads whole).
  }

  private type(l: Login, t: number, cmds: string[]): void {
    // Every sudo typed from here on reaches auth.log, the session's look round included.
    const from = l.pending.length;
    if (l.pending.length === 0) {
      // A new session: a look round first.
      for (let n = between(l.rng, 0, 3); n > 0; n--) l.pending.push(this.routine(l, l.rng));
    }
    for (const c of cmds) if (l.pending[l.pending.length - 1] !== c) l.pending.push(c);
    if (l.rng() < 0.25) l.pending.push(this.routine(l, l.rng));
    // The sudos typed this tick run before its own work (a file saved at t), one after another:
    // the last 5 to 44 s before t, each earlier one as far again before it, by the line's place
    // (no draw, so the session's stream does not move). The machine keeps them after the login
    // and whatever its logs already hold.
    const idx: number[] = [];
    for (let i = from; i < l.pending.length; i++) if (l.pending[i]!.startsWith('sudo ')) idx.push(i);
    let at = t;
    const times = idx.map((i) => (at -= (5 + (fmix(Math.floor(t / SEC) ^ Math.imul(i + 1, 0x9e3779b1)) % 40)) * SEC)).reverse();
    idx.forEach((i, k) => l.sudos.push({ ms: times[k]!, cmd: l.pending[i]! }));
    l.lastCmdMs = t;
  }

  /** Whether `login` has typed something in a session not yet ended. */
  typing(login: string): boolean {
    return (this.byLogin.get(login)?.pending.length ?? 0) > 0;
  }

  /** The sudo lines `login` typed since the last call, with the directory they ran in. */
  takeSudos(login: string): Array<{ ms: number; cmd: string; cwd: string }> {
    const l = this.byLogin.get(login);
    if (!l || l.sudos.length === 0) return [];
    const out = l.sudos.map((x) => ({ ...x, cwd: l.home }));
    l.sudos = [];
    return out;
  }

  /**
   * Where `login` connects from: their workstation, at an address of one of the organisation's
   * office ranges, with the key in their authorized_keys (as sshd prints it: type and SHA256
   * fingerprint of the key blob).
   */
  source(login: string): { address: string; key: string } {
    const had = this.sources.get(login);
    if (had) return had;
    const persona = this.people.find((p) => p.login === login)!.persona;
    const ws = workstationKey(this.seed, persona);
    const [type, blob] = ws.line.split(' ');
    const fp = createHash('sha256').update(Buffer.from(blob!, 'base64')).digest('base64').replace(/=+$/, '');
    const r = stream(this.seed, 'homes', 'workstation-address', this.org.key, persona.name);
    const src = { address: addressIn(pick(r, this.org.officeRanges), r), key: `${type === 'ssh-rsa' ? 'RSA' : 'ED25519'} SHA256:${fp}` };
    this.sources.set(login, src);
    return src;
  }

  /** When `login`'s last session ended (bash wrote the history), -1 before any. */
  loggedOutAt(login: string): number {
    return this.byLogin.get(login)?.writtenMs ?? -1;
  }

  /** Commands for a file a person just wrote (path under their home) or a lure planted for them. */
  fileTyped(login: string, t: number, path: string, cls: string, action: string): void {
    const l = this.byLogin.get(login);
    if (!l || !path.startsWith(l.home + '/')) return;
    const rel = '~/' + path.slice(l.home.length + 1);
    const dir = rel.slice(0, rel.lastIndexOf('/'));
    const r = l.rng;
    const ed = l.habits.editor;
    const cmds: string[] = [];
    switch (cls) {
      case 'script':
        if (action === 'file:create' && r() < 0.5 && dir !== '~') cmds.push(`mkdir -p ${dir}`);
        cmds.push(`${ed} ${rel}`);
        if (action === 'file:create') cmds.push(`chmod +x ${rel}`);
        const run = rel.endsWith('.py') ? `python3 ${rel}` : r() < 0.5 ? `bash ${rel}` : rel;
        cmds.push(run);
        if (r() < 0.3) cmds.push(`${ed} ${rel}`, run);
        break;
      case 'note':
      case 'todo':
      case 'draft':
        if (r() < 0.3 && dir !== '~') cmds.push(`cd ${dir}`, l.habits.ll ? 'll' : 'ls', `${ed} ${rel}`, 'cd');
        else cmds.push(`${ed} ${rel}`);
        if (r() < 0.2) cmds.push(`${l.habits.viewer} ${rel}`);
        break;
      case 'canary_git_config': {
        const repo = dir.slice(0, dir.lastIndexOf('/'));
        cmds.push(`cd ${repo}`, 'git status', 'git pull');
        if (r() < 0.5) cmds.push('git log --oneline | head');
        cmds.push('cd');
        break;
      }
      case 'canary_env_file':
        cmds.push(`cd ${dir}`, l.habits.ll ? 'll' : 'ls -la', `${ed} ${rel}`, 'cd');
        break;
      case 'canary_aws_creds':
        cmds.push(`${ed} ${rel}`, pick(r, ['aws sts get-caller-identity', 'aws s3 ls', 'aws configure list']));
        break;
      case 'canary_ssh_key':
        cmds.push(`ls -la ${dir}`, `cat ${rel}.pub`);
        break;
      default:
        return;
    }
    this.type(l, t, cmds);
  }

  /** `login` typed `ssh <peer>` at t (fleet-traffic's hopLogin chose them; they have an account there). */
  sshTyped(login: string, t: number, peerUuid: string): void {
    const host = peerUuid === this.uuid ? undefined : this.fleet.host(peerUuid);
    const l = this.byLogin.get(login);
    if (host === undefined || !l) return;
    this.type(l, t, [`ssh ${host}`]);
    if (!l.known.has(host) && l.known.size < KNOWN_MAX) {
      l.known.add(host);
      // The salt from a stream of its own: the session's stream must not move with the peers.
      l.knownAdd.push(knownLine(fastStream(this.seed, this.uuid, 'homes', login, 'known', host), host, this.fleet.hostKey(`decky:${peerUuid}`)));
    }
  }

  /**
   * `login`, at the keyboard when a tool of this decky connected to a peer on which they have
   * no account, types a look of their own instead: the same session, the same timing, and the
   * same draws of the session's stream as an ssh (only the history's text differs).
   */
  typedInstead(login: string, t: number): void {
    const l = this.byLogin.get(login);
    if (!l) return;
    this.type(l, t, [INSTEAD[fmix(Math.floor(t / SEC) ^ 0x27d4eb2f) % INSTEAD.length]!]);
  }

  /** A lure's known_hosts lines: appended to the login's known_hosts now (the file exists). */
  knownHostsAppend(login: string, t: number, text: string): FileOp[] {
    const l = this.byLogin.get(login);
    if (!l) return [];
    l.knownAdd.push(text);
    return this.writeKnown(l, t);
  }

  private writeKnown(l: Login, t: number): FileOp[] {
    if (l.knownAdd.length === 0) return [];
    const at = Math.floor(t / SEC) * SEC;
    if (at <= l.knownMs) return []; // written this second already: the lines wait for the next write
    const prev = l.knownSha;
    const create = l.knownMs < 0;
    l.knownBody += l.knownAdd.join('');
    l.knownAdd = [];
    l.knownSha = sha256Hex(l.knownBody);
    l.knownMs = at;
    const op: FileOp = { action: create ? 'file:create' : 'file:edit', job: 'ssh', cls: 'home_config', path: `${l.home}/.ssh/known_hosts`, owner: l.login, mode: '0644', mtimeMs: at, body: l.knownBody };
    if (!create) op.previousSha256 = prev;
    return [op];
  }

  /** Logins with commands not yet written out (their sessions end when they are no longer here). */
  *withPending(): Iterable<string> {
    for (const l of this.byLogin.values()) if (l.pending.length > 0 || l.knownAdd.length > 0) yield l.login;
  }

  /** The session of `login` ended by t: bash writes the history out (and ssh its known hosts). */
  logout(login: string, t: number, notBefore = -Infinity): FileOp[] {
    const l = this.byLogin.get(login)!;
    const ops = this.writeKnown(l, t);
    if (l.pending.length === 0) return ops;
    // Not before `notBefore`: the machine's logs already hold lines up to there, and sshd logs
    // the disconnect at this same instant.
    // The shell stays open a while after the last command. When that falls outside what is left
    // (after the lines the logs hold, before the tick that ends the session), the exit falls
    // somewhere in it: not on the tick's second or the last logged line's, which are cron's and
    // the other logins' (exits clustered there, two users leaving in the same second).
    const lo = Math.max(l.lastCmdMs, notBefore);
    let end = l.lastCmdMs + between(l.rng, 1, 25) * MIN;
    if (end < lo || end >= t) end = lo + Math.floor(l.rng() * Math.max(0, t - lo));
    const at = Math.min(Math.floor(t / SEC) * SEC, Math.max(Math.ceil(notBefore / SEC) * SEC, Math.floor(end / SEC) * SEC));
    if (at <= l.writtenMs) return ops;
    if (l.habits.typesExit) l.pending.push('exit');
    const prev = l.sha;
    this.append(l, l.pending);
    l.pending = [];
    l.sha = sha256Hex(l.body);
    l.writtenMs = at;
    ops.push({ action: 'file:edit', job: 'bash', cls: 'shell_history', path: `${l.home}/.bash_history`, owner: l.login, mode: '0600', mtimeMs: at, body: l.body, previousSha256: prev });
    return ops;
  }
}
