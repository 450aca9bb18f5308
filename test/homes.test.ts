// Homes that look used (issue 13 item 4): plans on the default fleet materialised into
// directory trees, then looked at with the tools a visitor has: bash -n, ssh-keygen -l / -F / -y.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyOf, type DeckyTree, type MaterialFile, materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { eventsFor, inputsFor, LURE_CALLBACKS } from './helpers/plan.js';
import { writeTree as writeTreeTo } from './helpers/tree.js';

const DAY = 86_400_000;
const TMP = mkdtempSync(join(tmpdir(), 'homes-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));
const START = '2026-03-02T00:00:00Z';
const SEEDS = ['h1', 'h2', 'h3'];
const config = { file: 'lures.json', data: { canary: LURE_CALLBACKS, canaryProbability: 0.2, canaryCapPerDecky: 12 } };

interface Plan {
  seed: string;
  events: TimelineEvent[];
  trees: DeckyTree[];
}

const plans = new Map<string, Plan>();
function plan(seed: string, days = 21): Plan {
  const key = `${seed}/${days}`;
  let p = plans.get(key);
  if (!p) {
    const events = eventsFor(seed, { config, start: START, days });
    plans.set(key, (p = { seed, events, trees: materialise(events) }));
  }
  return p;
}

let n = 0;
function writeTree(tree: DeckyTree): string {
  return writeTreeTo(tree, join(TMP, `${tree.decky.name}-${n++}`));
}

const text = (f: MaterialFile): string => bodyOf(f.content).toString('utf8');

/** The logins whose homes a decky holds (from the fleet's personas). */
function loginsOf(name: string): string[] {
  const inputs = inputsFor({ config, start: START, days: 1 });
  const d = inputs.fleet.find((x) => x.name === name)!;
  if (!d.services.includes('ssh')) return [];
  return [...new Set(d.personas.map((p) => inputs.personas.find((q) => q.name === p)!.login))];
}

const peerHosts = (): string[] => inputsFor({ config, start: START, days: 1 }).fleet.filter((d) => d.services.includes('ssh') && d.address !== null).map((d) => d.hostname.split('.')[0]!);

test('every login has the skeleton dotfiles, and bash parses them', async () => {
  let homes = 0;
  for (const seed of SEEDS) {
    for (const tree of plan(seed).trees) {
      const files = new Map(tree.files.map((f) => [f.path, f]));
      for (const login of loginsOf(tree.decky.name)) {
        homes++;
        for (const dot of ['.bashrc', '.profile', '.bash_logout']) {
          const f = files.get(`/home/${login}/${dot}`);
          assert.ok(f, `${tree.decky.name}: /home/${login}/${dot}`);
          assert.is(f!.owner, login);
          assert.is(f!.mode, '0644');
          const r = await execa('bash', ['-n'], { input: text(f!), reject: false });
          assert.is(r.exitCode, 0, `bash -n ${dot}: ${r.stderr}`);
        }
        assert.match(text(files.get(`/home/${login}/.bashrc`)!), /HISTFILESIZE=2000/);
        // The skeleton is older than the horizon; the history was written before it too.
        for (const dot of ['.bashrc', '.profile', '.bash_logout', '.ssh/authorized_keys']) assert.ok(files.get(`/home/${login}/${dot}`)!.mtimeMs < Date.parse(START), dot);
      }
    }
  }
  assert.ok(homes >= 6, `${homes} homes`);
});

test('~/.ssh: authorized_keys and known_hosts parse with ssh-keygen; peers are found by name; modes', async () => {
  const peers = peerHosts();
  let found = 0;
  let lines = 0;
  for (const seed of SEEDS) {
    for (const tree of plan(seed).trees) {
      if (loginsOf(tree.decky.name).length === 0) continue;
      const root = writeTree(tree);
      for (const login of loginsOf(tree.decky.name)) {
        const ssh = `/home/${login}/.ssh`;
        const inside = tree.files.filter((f) => f.path.startsWith(ssh + '/'));
        for (const f of inside) {
          const base = f.path.slice(ssh.length + 1);
          // ssh-keygen writes private files 0600; .pub and known_hosts follow the umask (0644).
          assert.is(f.mode, base.endsWith('.pub') || base === 'known_hosts' ? '0644' : '0600', f.path);
          assert.is(f.owner, login);
        }
        const ak = join(root, ssh, 'authorized_keys');
        const l = await execa('ssh-keygen', ['-l', '-f', ak], { reject: false });
        assert.is(l.exitCode, 0, `ssh-keygen -l authorized_keys: ${l.stderr}`);
        assert.match(String(l.stdout), new RegExp(`${login}@`));
        const kh = join(root, ssh, 'known_hosts');
        const khFile = tree.files.find((f) => f.path === `${ssh}/known_hosts`)!;
        assert.ok(khFile, `${tree.decky.name} ${ssh}/known_hosts`);
        const n = text(khFile).split('\n').filter((x) => x !== '').length;
        lines += n;
        const k = await execa('ssh-keygen', ['-l', '-f', kh], { reject: false });
        assert.is(k.exitCode, 0, `ssh-keygen -l known_hosts: ${k.stderr}`);
        assert.is(String(k.stdout).split('\n').filter((x) => x !== '').length, n, 'every known_hosts line parses');
        for (const line of text(khFile).split('\n').filter((x) => x !== '')) assert.match(line, /^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-(ed25519|rsa) AAAA/);
        const self = tree.decky.name;
        for (const h of peers) {
          const f = await execa('ssh-keygen', ['-F', h, '-f', kh], { reject: false });
          if (f.exitCode === 0) found++;
          if (h === self) continue;
        }
      }
    }
  }
  assert.ok(found >= 6, `peers found in known_hosts: ${found}`);
  assert.ok(lines >= 20, `${lines} known_hosts lines`);
});

test('each private key has its .pub (ssh-keygen -y agrees); aws credentials have a config; a .env sits in a project', async () => {
  let keys = 0;
  let aws = 0;
  let envs = 0;
  for (const seed of SEEDS) {
    for (const tree of plan(seed).trees) {
      const paths = new Set(tree.files.map((f) => f.path));
      const keyFiles = tree.files.filter((f) => /\/\.ssh\/id_[a-z0-9_]+$/.test(f.path));
      const envFiles = tree.files.filter((f) => f.path.endsWith('/.env'));
      const credFiles = tree.files.filter((f) => f.path.endsWith('/.aws/credentials'));
      if (keyFiles.length + envFiles.length + credFiles.length === 0) continue;
      const root = writeTree(tree);
      for (const k of keyFiles) {
        keys++;
        assert.ok(paths.has(`${k.path}.pub`), `${k.path}.pub`);
        const y = await execa('ssh-keygen', ['-y', '-f', join(root, k.path)]);
        const pub = text(tree.files.find((f) => f.path === `${k.path}.pub`)!).trim().split(' ');
        assert.equal(String(y.stdout).trim().split(' ').slice(0, 2), pub.slice(0, 2));
      }
      for (const c of credFiles) {
        aws++;
        const dir = c.path.slice(0, c.path.lastIndexOf('/'));
        const conf = tree.files.find((f) => f.path === `${dir}/config`);
        assert.ok(conf, `${dir}/config`);
        const body = text(conf!);
        assert.match(body, /^\[default\]\nregion = [a-z]{2}-[a-z]+-\d\noutput = json\n/);
        // Every credentials profile has its config section.
        for (const m of text(c).matchAll(/^\[([^\]]+)\]$/gm)) assert.ok(body.includes(m[1] === 'default' ? '[default]' : `[profile ${m[1]}]`), m[1]);
      }
      for (const e of envFiles) {
        envs++;
        const dir = e.path.slice(0, e.path.lastIndexOf('/'));
        const others = tree.files.filter((f) => f.path.startsWith(dir + '/') && f.path !== e.path && !f.path.includes('/.env'));
        assert.ok(others.length >= 3, `${dir} holds ${others.length} other files`);
        assert.ok(others.some((f) => f.path === `${dir}/README.md`));
        assert.ok(others.some((f) => /\/(package\.json|requirements\.txt|go\.mod|composer\.json)$/.test(f.path)));
        assert.match(text(others.find((f) => f.path.endsWith('/.gitignore'))!), /^\.env$/m);
      }
    }
  }
  assert.ok(keys >= 1 && aws >= 1 && envs >= 1, `keys ${keys}, aws ${aws}, env ${envs}`);
});

const FORBIDDEN = /decnet|canary|planted|lure|tick|persona|simulat|orchestrator|example\./i;

test('.bash_history: per login, grows over the horizon, names files that exist, varied, clean', () => {
  let grew = 0;
  let logins = 0;
  let machineLines = 0;
  for (const seed of SEEDS) {
    const short = plan(seed, 10).trees;
    const long = plan(seed).trees;
    for (const tree of long) {
      const before = short.find((t) => t.decky.uuid === tree.decky.uuid);
      const paths = new Set(tree.files.map((f) => f.path));
      const dirs = new Set<string>();
      for (const p of paths) for (let i = p.indexOf('/', 1); i > 0; i = p.indexOf('/', i + 1)) dirs.add(p.slice(0, i));
      for (const login of loginsOf(tree.decky.name)) {
        logins++;
        const home = `/home/${login}`;
        const h = tree.files.find((f) => f.path === `${home}/.bash_history`);
        assert.ok(h, `${tree.decky.name}: ${home}/.bash_history`);
        assert.is(h!.mode, '0600');
        assert.is(h!.owner, login);
        const lines = text(h!).split('\n').slice(0, -1);
        const earlier = before?.files.find((f) => f.path === h!.path);
        const nBefore = earlier ? text(earlier).split('\n').length - 1 : 0;
        if (lines.length > nBefore) grew++;
        assert.ok(lines.length >= nBefore, 'the history never shrinks below HISTFILESIZE');
        assert.ok(lines.length <= 2000);
        // Paths under ~ that the history names are on disk (files or folders).
        for (const line of lines) {
          for (const m of line.matchAll(/~\/([^\s|;&*]+)/g)) {
            const p = `${home}/${m[1]}`;
            assert.ok(paths.has(p) || dirs.has(p), `${tree.decky.name} ${login}: "${line}" names ${p}, which is not there`);
          }
          // So are the machine's own files it names (its cron jobs' files, its logs, its dumps).
          for (const m of line.matchAll(/(\/(?:etc\/cron\.d|usr\/local\/sbin|var\/log|var\/backups)(?:\/[^\s|;&*]*)?)/g)) {
            // /var/backups is Debian's own (dpkg keeps its backups there), the image has it.
            assert.ok(paths.has(m[1]!) || dirs.has(m[1]!) || m[1] === '/var/backups', `${tree.decky.name} ${login}: "${line}" names ${m[1]}, which is not there`);
            machineLines++;
          }
          assert.not.match(line, FORBIDDEN, line);
        }
        // bash's ignoredups: no line repeats the one before it; no line dominates the file.
        const count = new Map<string, number>();
        for (let i = 0; i < lines.length; i++) {
          if (i > 0) assert.is.not(lines[i], lines[i - 1], `repeated line ${lines[i]}`);
          count.set(lines[i]!, (count.get(lines[i]!) ?? 0) + 1);
        }
        // The short words of every shell (ls, cd, exit) are common anywhere; any other line is not.
        for (const [line, k] of count) if (!/^(ls|ll|cd|exit|clear|pwd)$/.test(line)) assert.ok(k <= Math.max(12, lines.length * (line.startsWith("ssh ") ? 0.1 : 0.06)), `${login}: "${line}" ${k} times in ${lines.length}`);
        assert.ok(count.size >= Math.min(25, lines.length / 4), `${login}: only ${count.size} distinct lines`);
      }
    }
  }
  assert.ok(logins >= 6);
  assert.ok(grew >= logins * 0.6, `${grew} of ${logins} histories grew between day 10 and day 21`);
  assert.ok(machineLines >= 50, `only ${machineLines} history lines name the machine's own files`);
});

test('the history mentions the person\'s own work: files they edited and scripts they ran', () => {
  let named = 0;
  let userFiles = 0;
  for (const seed of SEEDS) {
    for (const tree of plan(seed).trees) {
      for (const login of loginsOf(tree.decky.name)) {
        const home = `/home/${login}`;
        const h = tree.files.find((f) => f.path === `${home}/.bash_history`);
        if (!h) continue;
        const body = text(h);
        for (const f of tree.files) {
          if (f.owner !== login || !['note', 'todo', 'draft', 'script'].includes(f.contentClass) || !f.path.startsWith(home + '/')) continue;
          userFiles++;
          if (body.includes('~/' + f.path.slice(home.length + 1))) named++;
        }
      }
    }
  }
  assert.ok(userFiles > 10);
  assert.ok(named / userFiles > 0.5, `${named} of ${userFiles} user files named in a history`);
});

test('homes give a spread of file sizes (some files of several KB)', () => {
  const sizes: number[] = [];
  for (const tree of plan('h1').trees) for (const f of tree.files) if (f.path.startsWith('/home/')) sizes.push(f.content.bytes);
  sizes.sort((a, b) => a - b);
  const q = (x: number): number => sizes[Math.floor(x * (sizes.length - 1))]!;
  assert.ok(sizes.filter((s) => s >= 3000).length >= 10, `${sizes.filter((s) => s >= 3000).length} home files of 3 KB or more`);
  assert.ok(q(1) >= 30 * q(0.1), `p10 ${q(0.1)}, max ${q(1)}`);
  assert.ok(sizes.filter((s) => s >= 1000).length >= sizes.length * 0.05, `${sizes.filter((s) => s >= 1000).length} of ${sizes.length} files of 1 KB or more`);
});

test('history writes are logouts: at most one per login between two of the person\'s ticks, never off the clock order', () => {
  for (const seed of SEEDS) {
    const evs = plan(seed).events.filter((e) => e.path?.endsWith('/.bash_history'));
    const last = new Map<string, number>();
    for (const e of evs) {
      const key = `${e.decky.uuid} ${e.path}`;
      const m = Date.parse(e.mtime!);
      assert.ok(m <= Date.parse(e.at) + 999);
      assert.ok(m > (last.get(key) ?? -Infinity), 'a later write has a later mtime');
      last.set(key, m);
    }
    assert.ok(evs.filter((e) => e.action === 'file:edit').length > 20, 'histories are written during the horizon');
  }
});

test.run();
