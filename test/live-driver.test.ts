// The Docker driver and what surrounds it: value checks, no shell injection (against a real
// container), the write script on GNU tools (host sh), dry-run argv, timeline refusal, the
// systemd unit. Parts that need an engine skip with a notice when none is there.
import { execa } from 'execa';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { invocationFor } from '../src/live/apply.js';
import { parseDuration, parsePace } from '../src/live/clock.js';
import { DockerDriver, probeInvocation, writeInvocation } from '../src/live/docker.js';
import { PROBE_SCRIPT, WRITE_SCRIPT } from '../src/live/scripts.js';
import { systemdQuote } from '../src/live/unit.js';
import { checkPath, endpointArgs, touchStamp } from '../src/live/validate.js';
import { sha256Hex } from '../src/util/hash.js';
import { cli } from './helpers/cli.js';
import { RUN_TAG, cleanup, execIn, liveEngine, startContainer, tempDir } from './helpers/docker.js';
import { eventsFor } from './helpers/plan.js';

const body = (s: string) => ({ body: Buffer.from(s), newSha: sha256Hex(s) });
const base = { container: 'c1', docker: null, mode: '0644', owner: 'root', mtime: '2026-01-05T09:30:00Z', atime: '2026-01-05T09:30:00Z', dirTime: '2026-01-05T09:30:00Z', dirMode: '0755', expectSha: null };

// ---------------------------------------------------------------------------------------------
const unit = suite('live: values and argv (no engine needed)');

unit('paths: absolute, no control characters, no dot segments; odd but harmless names pass', () => {
  for (const ok of ['/tmp/a b', "/tmp/q'uo\"te", '/tmp/$(id)', '/tmp/`id`', '/tmp/-rf', '/home/x/.env', '/tmp/a;b|c&d>e']) assert.is(checkPath(ok), ok);
  for (const bad of ['relative', '-rf', '/tmp/new\nline', '/tmp/nul\u0000', '/tmp/../etc/passwd', '/tmp//x', '/tmp/x/', '/', '/tmp/./x', '/tmp/tab\there', `/${'a'.repeat(256)}`]) {
    assert.throws(() => checkPath(bad), undefined, JSON.stringify(bad));
  }
});

unit('endpoints: context name to --context, URL to -H, anything else refused', () => {
  assert.equal(endpointArgs(null), []);
  assert.equal(endpointArgs('prod-east'), ['--context', 'prod-east']);
  assert.equal(endpointArgs('unix:///run/simtest2.sock'), ['-H', 'unix:///run/simtest2.sock']);
  assert.equal(endpointArgs('tcp://10.0.0.5:2376'), ['-H', 'tcp://10.0.0.5:2376']);
  for (const bad of ['--tls', '-H', 'a b', 'ftp://x', 'unix:///x;id', '$(id)']) assert.throws(() => endpointArgs(bad), undefined, bad);
});

unit('write argv: docker first, the fixed script verbatim, values only as positional arguments', () => {
  const b = body('secret body text that must not appear in argv\n');
  const inv = writeInvocation({ ...base, path: '/tmp/$(touch /tmp/x)', ...b });
  assert.is(inv.argv[0], 'docker');
  assert.equal(inv.argv.slice(0, 8), ['docker', 'exec', '-i', '-u', '0', 'c1', 'sh', '-c']);
  assert.is(inv.argv[8], WRITE_SCRIPT);
  assert.equal(inv.argv.slice(9), ['sh', '/tmp/$(touch /tmp/x)', '0644', 'root', '2026-01-05 09:30:00', '2026-01-05 09:30:00', '', b.newSha, '2026-01-05 09:30:00', '0755']);
  assert.ok(!inv.argv.some((a) => a.includes('secret body')));
  assert.ok(!inv.argv.some((a) => a.includes(Buffer.from(b.body).toString('base64').slice(0, 20))));
  assert.is(inv.input, Buffer.from(b.body).toString('base64') + '\n');
  const other = writeInvocation({ ...base, docker: 'unix:///run/simtest2.sock', path: '/tmp/x', ...b });
  assert.equal(other.argv.slice(0, 4), ['docker', '-H', 'unix:///run/simtest2.sock', 'exec']);
  assert.throws(() => writeInvocation({ ...base, path: '/tmp/x', body: Buffer.from('a'), newSha: sha256Hex('b') }));
  assert.throws(() => writeInvocation({ ...base, container: '-it', path: '/tmp/x', ...b }));
  assert.throws(() => writeInvocation({ ...base, owner: '$(id)', path: '/tmp/x', ...b }));
  assert.throws(() => writeInvocation({ ...base, mode: '0644 ; id', path: '/tmp/x', ...b }));
  assert.throws(() => probeInvocation({ container: 'c1', docker: null, address: '$(id)', port: 22, timeoutSeconds: 3 }));
  const p = probeInvocation({ container: 'c1', docker: 'ctx1', address: '10.0.0.1', port: 22, timeoutSeconds: 3 });
  assert.equal(p.argv.slice(0, 4), ['docker', '--context', 'ctx1', 'exec']);
  assert.is(p.argv[10], PROBE_SCRIPT);
  assert.equal(p.argv.slice(11), ['sh', '10.0.0.1', '22', '3']);
});

unit('time stamps, pace and durations parse strictly', () => {
  assert.is(touchStamp('2026-01-05T09:30:00Z'), '2026-01-05 09:30:00');
  assert.is(touchStamp('2026-01-05T09:30:00.012345678Z'), '2026-01-05 09:30:00.012345678');
  assert.throws(() => touchStamp('2026-01-05T09:30:00.0123456789Z'));
  assert.throws(() => touchStamp('2026-01-05 09:30:00; id'));
  assert.equal(parsePace('asap'), { kind: 'asap' });
  assert.equal(parsePace('realtime'), { kind: 'factor', factor: 1 });
  assert.equal(parsePace('60x'), { kind: 'factor', factor: 60 });
  assert.throws(() => parsePace('fast'));
  assert.is(parseDuration('--backfill', '1d12h'), 36 * 3_600_000);
  assert.is(parseDuration('--backfill', '90s'), 90_000);
  assert.throws(() => parseDuration('--backfill', '3 days'));
});

unit('systemd quoting escapes specifiers, variables and quotes', () => {
  assert.is(systemdQuote('/usr/bin/node'), '/usr/bin/node');
  assert.is(systemdQuote('a b'), '"a b"');
  assert.is(systemdQuote('50%$x"y'), '"50%%$$x\\"y"');
});

unit('service unit prints SupplementaryGroups=docker and a run --follow ExecStart', async () => {
  const r = await cli(['service', 'unit', '--fleet', 'fleet.json', '--seed', '42', '--state', '/var/lib/sim/state.db']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^SupplementaryGroups=docker$/m);
  assert.match(r.stdout, /^ExecStart=\S+ \S+run\.js run --follow --state \/var\/lib\/sim\/state\.db --seed 42 --fleet \/\S+fleet\.json$/m);
  assert.match(r.stdout, /^KillSignal=SIGTERM$/m);
});

unit('the write script works with GNU coreutils and dash (host sh, a temporary folder)', async () => {
  const dir = tempDir('gnu');
  try {
    const p = join(dir, 'sub dir', "na'me $(x)");
    const one = 'first line\n';
    const two = 'first line\nsecond line\n';
    const owner = process.getuid?.() === 0 ? 'nobody' : 'root';
    // $8 atime (here the mtime) and $9 the mode of created directories
    const run = (args: string[], input: string) => execa('sh', ['-c', WRITE_SCRIPT, 'sh', ...args, ...(args.length === 7 ? [args[3]!, '0700'] : [])], { input, reject: false });
    let r = await run([p, '0640', owner, '2026-01-05 09:30:00', '2026-01-05 09:30:00', '', sha256Hex(one)], Buffer.from(one).toString('base64'));
    assert.is(r.stdout.trim(), 'WROTE', r.stderr);
    assert.is(readFileSync(p, 'utf8'), one);
    const st = (await execa('stat', ['-c', '%a %U %Y', p])).stdout.split(' ');
    assert.equal(st, ['640', owner, String(Date.parse('2026-01-05T09:30:00Z') / 1000)]);
    assert.is((await execa('stat', ['-c', '%a', join(dir, 'sub dir')])).stdout, '700', 'a directory it creates gets the given mode');
    r = await run([p, '0640', owner, '2026-01-05 09:30:00', '2026-01-05 09:30:00', '', sha256Hex(one)], Buffer.from(one).toString('base64'));
    assert.is(r.stdout.trim(), 'ALREADY');
    // GNU touch takes nanoseconds: mtime and atime as given; an append ('' directory time) keeps the parent's time.
    const q = join(dir, 'sub dir', 'ns');
    const before = (await execa('stat', ['-c', '%y', join(dir, 'sub dir')])).stdout;
    r = await run([q, '0644', 'root', '2026-01-05 09:30:00.123456789', '', '', sha256Hex(one), '2026-01-05 11:00:00.987654321', '0755'], Buffer.from(one).toString('base64'));
    assert.is(r.stdout.trim(), 'WROTE', r.stderr);
    assert.equal((await execa('stat', ['-c', '%y|%x', q])).stdout.split('|').map((x) => x.slice(0, 29)), ['2026-01-05 09:30:00.123456789', '2026-01-05 11:00:00.987654321']);
    assert.is((await execa('stat', ['-c', '%y', join(dir, 'sub dir')])).stdout, before);
    r = await run([p, '0640', owner, '2026-01-06 10:00:00', '2026-01-06 10:00:00', sha256Hex(one), sha256Hex(two)], Buffer.from(two).toString('base64'));
    assert.is(r.stdout.trim(), 'WROTE');
    writeFileSync(p, two + 'attacker was here\n');
    r = await run([p, '0640', owner, '2026-01-07 10:00:00', '2026-01-07 10:00:00', sha256Hex(two), sha256Hex(two + 'x\n')], Buffer.from(two + 'x\n').toString('base64'));
    assert.match(r.stdout.trim(), /^DIVERGED changed [0-9a-f]{64}$/);
    assert.is(readFileSync(p, 'utf8'), two + 'attacker was here\n');
    r = await run([p + '-gone', '0640', owner, '2026-01-07 10:00:00', '2026-01-07 10:00:00', sha256Hex(two), sha256Hex('z')], Buffer.from('z').toString('base64'));
    assert.is(r.stdout.trim(), 'DIVERGED missing -');
    // A truncated payload never replaces the file.
    r = await run([join(dir, 'trunc'), '0644', 'root', '2026-01-05 09:30:00', '2026-01-05 09:30:00', '', sha256Hex('full body\n')], Buffer.from('full').toString('base64'));
    assert.match(r.stdout, /^ERROR payload sha256 mismatch/);
    assert.not.ok(existsSync(join(dir, 'trunc')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('run --dry-run: one JSON line per event, docker argv without payload bytes, nothing written', async () => {
  const dir = tempDir('dry');
  try {
    const state = join(dir, 'state.db');
    const r = await cli(['run', '--dry-run', '--seed', '5', '--start', '2026-01-05T00:00:00Z', '--days', '1', '--state', state]);
    assert.is(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const events = eventsFor('5', { start: '2026-01-05T00:00:00Z', days: 1 });
    assert.is(lines.length, events.length);
    let files = 0;
    lines.forEach((l, i) => {
      const ev = events[i]!;
      assert.is(l.id, ev.id);
      if (ev.kind === 'quiet') return assert.is(l.argv, null);
      assert.is(l.argv[0], 'docker');
      assert.ok(!['sh', 'bash', '/bin/sh'].includes(l.argv[0]));
      assert.equal(l.argv.slice(l.argv.indexOf('exec'), l.argv.indexOf('exec') + 4), ['exec', '-i', '-u', '0']);
      if (ev.kind === 'file') {
        files++;
        const data = ev.content!.data;
        const b64 = ev.content!.encoding === 'base64' ? data : Buffer.from(data).toString('base64');
        for (const a of l.argv as string[]) {
          assert.ok(!a.includes(b64.slice(0, 40)), 'base64 payload in argv');
          if (ev.content!.encoding === 'utf8' && data.length >= 24) assert.ok(!a.includes(data.slice(0, 24)), 'body text in argv');
        }
        assert.is(l.stdin.sha256, ev.content!.sha256);
        assert.ok(l.argv.includes(ev.path));
      }
    });
    assert.ok(files > 10);
    assert.not.ok(existsSync(state), 'a dry run creates no state');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('run --timeline: a tampered or truncated file is exit 2 and no state is created', async () => {
  const dir = tempDir('tamper');
  try {
    const tl = join(dir, 't.json');
    const p = await cli(['plan', '--seed', '3', '--days', '1', '--out', tl]);
    assert.is(p.exitCode, 0, p.stderr);
    const text = readFileSync(tl, 'utf8');
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('"kind":"file"') && l.includes('"encoding":"utf8"'));
    const ev = JSON.parse(lines[i]!.replace(/,$/, ''));
    const variants: Record<string, string> = {
      body: lines.map((l, j) => (j === i ? l.replace(JSON.stringify(ev.content.data), JSON.stringify(ev.content.data.replace(/.$/s, 'X'))) : l)).join('\n'),
      path: lines.map((l, j) => (j === i ? l.replace(JSON.stringify(ev.path), JSON.stringify(ev.path + 'x')) : l)).join('\n'),
      truncated: lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n',
      header: text.replace('"seed":"3"', '"seed":"4"'),
    };
    for (const [name, content] of Object.entries(variants)) {
      assert.is.not(content, text, name);
      const f = join(dir, `${name}.json`);
      writeFileSync(f, content);
      const state = join(dir, `${name}.db`);
      const r = await cli(['run', '--timeline', f, '--state', state, '--dry-run']);
      assert.is(r.exitCode, 2, `${name}: ${r.stderr}`);
      const r2 = await cli(['run', '--timeline', f, '--state', state]);
      assert.is(r2.exitCode, 2, `${name}: ${r2.stderr}`);
      assert.match(r2.stderr, /^error: /);
      assert.not.ok(existsSync(state), `${name}: no state may be created`);
    }
    const ok = await cli(['run', '--timeline', tl, '--dry-run', '--state', join(dir, 'ok.db')]);
    assert.is(ok.exitCode, 0, ok.stderr);
    assert.is(ok.stdout.trim().split('\n').length, JSON.parse(text).events.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('invocationFor: edits expect the previous sha256, quiet events make no call', () => {
  const evs = eventsFor('11', { start: '2026-01-05T00:00:00Z', days: 2 });
  const edit = evs.find((e) => e.action === 'file:edit')!;
  const decky = { name: edit.decky.name, uuid: edit.decky.uuid, hostname: 'h', services: ['ssh'], address: null, container: 'c', docker: null, personas: [] };
  const inv = invocationFor(edit, decky)!;
  assert.ok(inv.argv.includes(edit.previousSha256!));
  assert.is(invocationFor(evs.find((e) => e.kind === 'quiet')!, decky), null);
});

unit.run();

// ---------------------------------------------------------------------------------------------
const live = suite('live: driver against a real container');
const C = `simtest-${RUN_TAG}-inj`;
const enabled = await liveEngine();

if (enabled) {
  live.before(async () => {
    await startContainer(C);
  });
  live.after(async () => {
    await cleanup(C);
  });

  live('hostile paths are written literally or rejected; no injected command runs', async () => {
    const driver = new DockerDriver({ timeoutMs: 20_000 });
    // Markers without a slash: an injected `touch PWNEDn` would create it in the working folder.
    const marker = (n: number) => `PWNED${n}`;
    const literal = [
      '/tmp/inj/a b c',
      "/tmp/inj/q'uo\"te",
      `/tmp/inj/$(touch ${marker(1)})`,
      `/tmp/inj/\`touch ${marker(2)}\``,
      '/tmp/inj/-rf',
      `/tmp/inj/x;touch ${marker(3)}`,
      `/tmp/inj/$(touch ${marker(4)})/nested dir/f`,
      '/tmp/inj/${HOME}*?[a]',
      `/tmp/inj/a|touch ${marker(5)}&`,
    ];
    for (const path of literal) {
      const text = `content of ${path}\n`;
      const out = await driver.write({ ...base, container: C, path, ...body(text) });
      assert.equal(out, { status: 'wrote' }, path);
      const back = await execIn(C, ['cat', path]);
      assert.is(back.stdout, text, path);
    }
    const rejected: Array<[string, Partial<typeof base> & { path: string }]> = [
      ['newline', { path: `/tmp/inj/new\ntouch ${marker(6)}` }],
      ['relative', { path: 'tmp/inj/rel' }],
      ['dash', { path: `-rf /tmp/inj; touch ${marker(7)}` }],
      ['dotdot', { path: '/tmp/inj/../../etc/passwd' }],
      ['container', { path: '/tmp/inj/c', container: `x;touch ${marker(8)}` } as never],
      ['owner', { path: '/tmp/inj/o', owner: `$(touch ${marker(9)})` }],
      ['mode', { path: '/tmp/inj/m', mode: `0644; touch ${marker(10)}` }],
      ['mtime', { path: '/tmp/inj/t', mtime: `2026-01-05T09:30:00Z'; touch ${marker(11)}` }],
    ];
    for (const [name, over] of rejected) {
      const out = await driver.write({ ...base, container: C, ...body('x\n'), ...over } as never);
      assert.is(out.status, 'error', name);
      assert.match((out as { message: string }).message, /^rejected: /, name);
    }
    const probe = await driver.probe({ container: C, docker: null, address: `$(touch ${marker(12)})`, port: 22, timeoutSeconds: 2 });
    assert.is(probe.status, 'error');
    const endpoint = await driver.write({ ...base, container: C, docker: `--tls;touch ${marker(13)}`, path: '/tmp/inj/e', ...body('x\n') });
    assert.is(endpoint.status, 'error');
    const found = await execIn(C, ['find', '/', '-xdev', '-name', 'PWNED*']);
    assert.is(found.stdout.trim(), '', 'an injected command ran in the container');
    for (let n = 1; n <= 13; n++) {
      for (const d of ['/', '/tmp', process.cwd()]) assert.not.ok(existsSync(join(d, marker(n))), `host marker ${n} in ${d}`);
    }
    const names = (await execIn(C, ['ls', '-a', '/tmp/inj'])).stdout.split('\n').filter((l) => l && l !== '.' && l !== '..');
    assert.is(names.length, literal.length, names.join(' | '));
  });

  live('an edit never overwrites a changed file; a create never replaces a foreign file', async () => {
    const driver = new DockerDriver();
    const p = '/home/johnsmith/notes/evidence.md';
    const v1 = '# notes\n';
    const v2 = '# notes\nmore\n';
    assert.equal(await driver.write({ ...base, container: C, owner: 'johnsmith', path: p, ...body(v1) }), { status: 'wrote' });
    const st = await execIn(C, ['stat', '-c', '%U %a %Y', p, '/home/johnsmith/notes']);
    assert.equal(st.stdout.trim().split('\n'), [`johnsmith 644 ${Date.parse(base.mtime) / 1000}`, `johnsmith 755 ${Date.parse(base.dirTime) / 1000}`]);
    await execIn(C, ['sh', '-c', 'echo "attacker edit" >> "$1"', 'sh', p]);
    const out = await driver.write({ ...base, container: C, owner: 'johnsmith', path: p, expectSha: sha256Hex(v1), ...body(v2) });
    assert.is(out.status, 'diverged');
    assert.is((await execIn(C, ['cat', p])).stdout, v1 + 'attacker edit\n');
    await execIn(C, ['sh', '-c', 'echo foreign > /tmp/foreign.txt']);
    const c2 = await driver.write({ ...base, container: C, path: '/tmp/foreign.txt', ...body('ours\n') });
    assert.is(c2.status, 'diverged');
    assert.is((await execIn(C, ['cat', '/tmp/foreign.txt'])).stdout, 'foreign\n');
    // busybox touch also takes the @epoch form; the driver uses the date form both understand.
    const t = await execIn(C, ['sh', '-c', 'TZ=UTC0 touch -d "2026-01-05 09:30:00" /tmp/t1 && touch -d @1767605400 /tmp/t2 && stat -c %Y /tmp/t1 /tmp/t2']);
    assert.equal(t.stdout.trim().split('\n'), ['1767605400', '1767605400']);
  });
} else {
  live.skip('live tests skipped: no Docker engine', () => {});
}

live.run();
