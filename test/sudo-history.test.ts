// Every sudo a persona types reaches auth.log: over several seeds, the sudo lines each
// .bash_history gains during the plan are matched by that user's sudo COMMAND lines in auth.log
// (a session still open at the end has its auth.log lines but not yet its history, so auth.log
// may hold a few more, never fewer).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TimelineEvent } from '../src/timeline/types.js';
import { inputs, planned } from './check-helpers.js';

function body(e: TimelineEvent): string {
  return Buffer.from(e.content!.data, e.content!.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
}

/** Lines of `next` not in `prev`: after the longest suffix of prev that starts next (bash trims the front). */
function added(prev: string[], next: string[]): string[] {
  for (let k = Math.min(prev.length, next.length); k > 0; k--) {
    let ok = true;
    for (let i = 0; i < k && ok; i++) ok = prev[prev.length - k + i] === next[i];
    if (ok) return next.slice(k);
  }
  return next;
}

test('sudo lines added to .bash_history are in auth.log, 4 seeds x 10 days', () => {
  let typed = 0;
  for (const seed of ['sudo-1', 'sudo-2', 'sudo-3', 'sudo-4']) {
    const t = planned(seed, inputs({ days: 10 }));
    const history = new Map<string, string[]>();
    const authBody = new Map<string, string>();
    const hist = new Map<string, number>();
    const auth = new Map<string, number>();
    for (const e of t.events) {
      if (e.kind !== 'file' || !e.content) continue;
      const d = e.decky.name;
      if (e.path!.endsWith('/.bash_history')) {
        const lines = body(e).split('\n').filter((l) => l !== '');
        const key = `${d} ${e.owner}`;
        if (e.action === 'file:edit') {
          const n = added(history.get(key) ?? [], lines).filter((l) => l.startsWith('sudo ')).length;
          hist.set(key, (hist.get(key) ?? 0) + n);
        }
        history.set(key, lines);
      } else if (e.path === '/var/log/auth.log') {
        const text = body(e);
        const prev = authBody.get(d);
        if (e.action === 'file:edit' && prev !== undefined && text.startsWith(prev)) {
          for (const m of text.slice(prev.length).matchAll(/ sudo: +(\S+) : TTY=/g)) auth.set(`${d} ${m[1]}`, (auth.get(`${d} ${m[1]}`) ?? 0) + 1);
        }
        authBody.set(d, text);
      }
    }
    for (const [key, n] of hist) {
      typed += n;
      const a = auth.get(key) ?? 0;
      assert.ok(n <= a, `${seed} ${key}: ${n} sudo lines added to .bash_history, ${a} in auth.log`);
    }
  }
  assert.ok(typed >= 20, `only ${typed} sudo lines typed`);
});

test('what needs root is typed with sudo, and a history is stamped only where .bashrc asks bash to, 6 seeds x 10 days', () => {
  // Read as the user, these fail (root:adm 0640 logs, apt's lock, another user's sockets).
  const ROOT_ONLY = /^(apt (update|upgrade)|journalctl -u|tail -n 50 \/var\/log\/syslog|(less|cat) \/var\/log\/auth\.log|ss -tlnp|du -sh \/var\/log\/\*)/;
  let lines = 0;
  let sudoShells = 0;
  for (const seed of ['root-1', 'root-2', 'root-3', 'root-4', 'root-5', 'root-6']) {
    const t = planned(seed, inputs({ days: 10 }));
    const stamps = new Map<string, boolean>();
    for (const e of t.events) {
      if (e.kind !== 'file' || !e.content) continue;
      const key = `${e.decky.name} ${e.owner}`;
      if (e.path!.endsWith('/.bashrc')) stamps.set(key, /^\s*(export )?HISTTIMEFORMAT=/m.test(body(e)));
      if (!e.path!.endsWith('/.bash_history')) continue;
      for (const l of body(e).split('\n')) {
        if (l === '') continue;
        lines++;
        if (l === 'sudo -i') sudoShells++;
        assert.not.match(l, ROOT_ONLY, `${seed} ${key}: "${l}" run without sudo`);
        assert.is(/^#\d{10}$/.test(l), false, `${seed} ${key}: a time stamp line`);
      }
      // bash writes stamps when HISTTIMEFORMAT is set; this history has none, so neither may .bashrc.
      assert.not.ok(stamps.get(key), `${seed} ${key}: .bashrc sets HISTTIMEFORMAT, the history has no stamps`);
    }
  }
  assert.ok(lines > 1000 && sudoShells >= 1, `${lines} history lines, ${sudoShells} sudo -i`);
});

test('a sudo runs a little after the file its user just saved, not in its second, 4 seeds x 10 days', () => {
  let sudos = 0;
  let same = 0;
  for (const seed of ['sudo-1', 'sudo-2', 'sudo-3', 'sudo-4']) {
    const t = planned(seed, inputs({ days: 10 }));
    const saved = new Set<string>();
    const authBody = new Map<string, string>();
    const at: string[] = [];
    for (const e of t.events) {
      if (e.kind !== 'file' || !e.content) continue;
      const d = e.decky.name;
      if (e.path!.startsWith('/home/') && !e.path!.endsWith('/.bash_history')) saved.add(`${d} ${Math.floor(Date.parse(e.mtime!) / 1000)}`);
      if (e.path !== '/var/log/auth.log') continue;
      const text = body(e);
      const prev = authBody.get(d) ?? '';
      const fresh = e.action === 'file:edit' && text.startsWith(prev) ? text.slice(prev.length) : text;
      for (const m of fresh.matchAll(/^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ sudo: +\S+ : TTY=/gm)) at.push(`${d} ${Date.parse(`${m[1]} ${e.mtime!.slice(0, 4)} UTC`) / 1000}`);
      authBody.set(d, text);
    }
    for (const k of at) {
      sudos++;
      if (saved.has(k)) same++;
    }
  }
  assert.ok(sudos >= 20, `only ${sudos} sudo lines`);
  // By chance a few of hundreds of seconds a day with a save: well under one in ten.
  assert.ok(same * 10 <= sudos, `${same} of ${sudos} sudo lines in the second a home file was saved`);
});

test.run();
