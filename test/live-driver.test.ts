// The Docker driver and what surrounds it: value checks, no shell injection (against a real
// container), the write script on GNU tools (host sh), dry-run lines and argv, timeline refusal, the
// systemd unit. Parts that need an engine skip with a notice when none is there.
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { invocationFor } from '../src/live/apply.js';
import { emptyTally } from '../src/live/executor.js';
import { progressText } from '../src/live/progress.js';
import { parseDuration, parsePace } from '../src/live/clock.js';
import { DockerDriver, loginsInvocation, probeInvocation, writeInvocation } from '../src/live/docker.js';
import { OPERATIONS, requestOf, requestText } from '../src/live/protocol.js';
import { SYSTEM_ROOTS, confinement, rootsOf } from '../src/live/roots.js';
import { SCRIPT } from '../src/live/scripts.js';
import { systemdQuote } from '../src/live/unit.js';
import { checkPath, endpointArgs, touchStamp } from '../src/live/validate.js';
import { sha256Hex } from '../src/util/hash.js';
import { ROOT, cli } from './helpers/cli.js';
import { RUN_TAG, cleanup, execIn, liveEngine, startContainer, tempDir } from './helpers/docker.js';
import { LURE_CALLBACKS, bodyBytes, eventsFor } from './helpers/plan.js';
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';
import { readState } from './helpers/live.js';

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

unit('every call has the same short argv; the script, the operation, its values and the payload travel on stdin', () => {
  const b = body('secret body text that must not appear in argv\n');
  const path = '/home/johnsmith/notes/$(touch x) plan.md';
  const inv = writeInvocation({ ...base, owner: 'johnsmith', path, ...b });
  assert.equal(inv.argv, ['docker', 'exec', '-i', '-u', 'johnsmith', 'c1', 'sh', '-s']);
  assert.ok(inv.input.startsWith(SCRIPT), 'stdin starts with the fixed script');
  const req = requestOf(inv.input);
  assert.is(req.op, 'write');
  assert.is(req.fields.dir, '/home/johnsmith/notes');
  assert.is(req.fields.base, '$(touch x) plan.md');
  assert.is(req.fields.mtime, String(Date.parse(base.mtime) / 1000));
  assert.is(req.fields.expect, '-');
  assert.is(req.fields.new, b.newSha);
  assert.match(req.fields.tmp!, /^\.\$\(touch x\) plan\.md\.[A-Za-z0-9]{6}$/);
  assert.equal(req.body, Buffer.from(b.body));
  const root = writeInvocation({ ...base, path: '/var/log/x.log', ...b });
  assert.equal(root.argv, ['docker', 'exec', '-i', '-u', '0', 'c1', 'sh', '-s']);
  const probe = probeInvocation({ container: 'c1', docker: 'ctx1', address: '10.0.0.1', port: 22, timeoutSeconds: 3 });
  assert.equal(probe.argv, ['docker', '--context', 'ctx1', 'exec', '-i', '-u', '0', 'c1', 'sh', '-s']);
  assert.equal(requestOf(probe.input), { op: 'probe', fields: { address: '10.0.0.1', port: '22', timeout: '3' }, body: null });
  const logins = loginsInvocation({ container: 'c1', docker: 'unix:///run/simtest2.sock', logins: ['alice', 'johnsmith'] });
  assert.equal(logins.argv, ['docker', '-H', 'unix:///run/simtest2.sock', 'exec', '-i', '-u', '0', 'c1', 'sh', '-s']);
  for (const i of [inv, root, probe, logins]) {
    for (const a of i.argv) {
      for (const v of [...Object.values(requestOf(i.input).fields), b.newSha, 'secret']) if (v.length > 2 && !['c1', 'ctx1'].includes(v)) assert.not.ok(a.includes(v), `${v} in argv`);
    }
  }
  // A value can never end the request early or add a line: control characters are refused.
  assert.throws(() => writeInvocation({ ...base, path: '/tmp/x\n.E.\nop write', ...b }));
  assert.throws(() => writeInvocation({ ...base, path: '/tmp/x', body: Buffer.from('a'), newSha: sha256Hex('b') }));
  assert.throws(() => writeInvocation({ ...base, container: '-it', path: '/tmp/x', ...b }));
  assert.throws(() => writeInvocation({ ...base, owner: '$(id)', path: '/tmp/x', ...b }));
  assert.throws(() => writeInvocation({ ...base, mode: '0644 ; id', path: '/tmp/x', ...b }));
  assert.throws(() => writeInvocation({ ...base, mode: '4755', path: '/tmp/x', ...b }));
  assert.throws(() => probeInvocation({ container: 'c1', docker: null, address: '$(id)', port: 22, timeoutSeconds: 3 }));
  assert.is(OPERATIONS.write.length > 0 && Object.keys(OPERATIONS).includes('write'), true);
});

unit('roots: writes only under the personas\' homes and the system roots, plain modes, owners the decky knows', () => {
  const decky = { name: 'd', uuid: 'u', hostname: 'h', services: ['ssh'], address: null, container: 'c', docker: null, personas: ['John Smith', 'alice'] };
  const personas = [
    { name: 'John Smith', email: '', role: '', login: 'johnsmith', active_hours: '', timezone: 'UTC', workdays: [] },
    { name: 'alice', email: '', role: '', login: 'alice', active_hours: '', timezone: 'UTC', workdays: [] },
    { name: 'Other', email: '', role: '', login: 'other', active_hours: '', timezone: 'UTC', workdays: [] },
  ] as never;
  const r = rootsOf(decky, personas);
  assert.equal(SYSTEM_ROOTS, ['/var/log', '/var/backups', '/tmp', '/etc/cron.d']);
  const ok: Array<[string, string, string]> = [
    ['/home/johnsmith/notes/a.md', '0644', 'johnsmith'],
    ['/home/alice/.ssh/id_ed25519', '0600', 'alice'],
    ['/var/log/syslog', '0640', 'root'],
    ['/var/backups/app.sql', '0600', 'root'],
    ['/tmp/sess_x', '0600', 'root'],
    ['/home/johnsmith/scripts/run.sh', '0755', 'johnsmith'],
    ['/etc/cron.d/tmp-sweep', '0644', 'root'],
    ['/etc/crontab', '0644', 'root'],
    ['/usr/local/sbin/db-backup.sh', '0755', 'root'],
  ];
  for (const [p, m, o] of ok) assert.is(confinement(r, p, m, o), null, p);
  const bad: Array<[string, string, string, RegExp]> = [
    ['/root/.ssh/authorized_keys', '0600', 'root', /outside the planned roots/],
    ['/usr/local/bin/ls', '0755', 'root', /outside/],
    ['/etc/profile.d/x.sh', '0644', 'root', /outside/],
    ['/home/other/notes.md', '0644', 'other', /neither root nor a persona/],
    ['/home/johnsmith/notes.md', '0644', 'root', /may not write under the home of johnsmith/],
    ['/home/johnsmith/notes.md', '0644', 'alice', /may not write under the home/],
    ['/tmp/x', '4755', 'root', /setuid/],
    ['/tmp/x', '2755', 'root', /setuid, setgid/],
    ['/tmp/x', '1777', 'root', /sticky/],
    ['/var/log', '0644', 'root', /outside/],
    ['/var/logs/x', '0644', 'root', /outside/],
    ['/tmp/x', '0644', 'nobody', /neither root/],
    ['/usr/local/sbin/ls', '0755', 'root', /outside/],
    ['/usr/local/sbin/sub/x.sh', '0755', 'root', /outside/],
    ['/usr/local/sbin/.x.sh', '0755', 'root', /outside/],
    ['/etc/crontab.d', '0644', 'root', /outside/],
    ['/etc/cron.daily/x', '0755', 'root', /outside/],
    ['/etc/crontab', '0644', 'johnsmith', /may not write the system file/],
  ];
  for (const [p, m, o, re] of bad) assert.match(confinement(r, p, m, o) ?? '', re, p);
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

unit('service unit: a run --follow ExecStart with SupplementaryGroups=docker; never --seed 0; inputs validated', async () => {
  const fleet = join(ROOT, 'fixtures', 'multi-tz-fleet.json');
  const r = await cli(['service', 'unit', '--fleet', fleet, '--seed', '42', '--state', '/var/lib/sim/state.db']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^SupplementaryGroups=docker$/m);
  assert.match(r.stdout, /^ExecStart=\S+ \S+run\.js run --follow --state \/var\/lib\/sim\/state\.db --seed 42 --fleet \/\S+multi-tz-fleet\.json$/m);
  assert.match(r.stdout, /^KillSignal=SIGTERM$/m);
  const noSeed = await cli(['service', 'unit', '--fleet', fleet, '--state', '/var/lib/sim/state.db']);
  assert.is(noSeed.exitCode, 0, noSeed.stderr);
  assert.not.match(noSeed.stdout, /--seed/);
  for (const bad of [[], ['--fleet', '/nonexistent/fleet.json'], ['--fleet', fleet, '--backfill', '3 days'], ['--fleet', fleet, '--concurrency', '0'], ['--fleet', fleet, '--interval', '-5']]) {
    const b = await cli(['service', 'unit', ...bad]);
    assert.is(b.exitCode, 2, `${bad.join(' ')}: ${b.stderr}`);
    assert.is(b.stderr.trim().split('\n').length, 1, b.stderr);
  }
});

unit('the write script works with dash, GNU coreutils and perl (host sh, a temporary folder)', async () => {
  const dir = tempDir('gnu');
  try {
    const p = join(dir, 'sub dir', "na'me $(x)");
    const one = 'first line\n';
    const two = 'first line\nsecond line\n';
    const t0 = Date.parse('2026-01-05T09:30:00Z') / 1000;
    const req = (path: string, text: string, expect: string | null, mtime = '2026-01-05T09:30:00Z', mode = '0640') => {
      const inv = writeInvocation({ ...base, mode, mtime, dirTime: '2026-01-05T10:00:00Z', path, expectSha: expect, ...body(text) });
      return inv.input;
    };
    const run = (input: string) => execa('sh', ['-s'], { input, reject: false });
    let r = await run(req(p, one, null));
    assert.is(r.stdout.trim(), 'WROTE', r.stderr);
    assert.is(readFileSync(p, 'utf8'), one);
    const st = (await execa('stat', ['-c', '%a %Y', p, join(dir, 'sub dir')])).stdout.split('\n');
    assert.equal(st, [`640 ${t0}`, `755 ${t0}`], 'a folder made for the file dates from it');
    // Nanoseconds and atime (perl with Time::HiRes here); an append (no folder time) keeps the
    // folder's time; a folder made for a file gets the planned mode.
    const q = join(dir, 'sub dir', 'ns');
    const folder = (await execa('stat', ['-c', '%y', join(dir, 'sub dir')])).stdout;
    const ns = writeInvocation({ ...base, path: q, mtime: '2026-01-05T09:30:00.123456789Z', atime: '2026-01-05T11:00:00.987654321Z', dirTime: null, ...body(one) });
    r = await run(ns.input);
    assert.is(r.stdout.trim(), 'WROTE', r.stderr);
    assert.equal((await execa('stat', ['-c', '%y|%x', q])).stdout.split('|').map((x) => x.slice(0, 26)), ['2026-01-05 09:30:00.123456', '2026-01-05 11:00:00.987654']);
    assert.is((await execa('stat', ['-c', '%y', join(dir, 'sub dir')])).stdout, folder, 'the folder keeps its time');
    const secret = writeInvocation({ ...base, path: join(dir, 'home', '.ssh', 'id_ed25519'), mode: '0600', dirMode: '0700', ...body(one) });
    assert.is((await run(secret.input)).stdout.trim(), 'WROTE');
    assert.equal((await execa('stat', ['-c', '%a', join(dir, 'home'), join(dir, 'home', '.ssh')])).stdout.split('\n'), ['755', '700']);
    r = await run(req(p, one, null));
    assert.is(r.stdout.trim(), 'ALREADY');
    r = await run(req(p, two, sha256Hex(one), '2026-01-06T10:00:00Z'));
    assert.is(r.stdout.trim(), 'WROTE');
    writeFileSync(p, two + 'attacker was here\n');
    r = await run(req(p, two + 'x\n', sha256Hex(two), '2026-01-07T10:00:00Z'));
    assert.match(r.stdout.trim(), /^DIVERGED changed [0-9a-f]{64}$/);
    assert.is(readFileSync(p, 'utf8'), two + 'attacker was here\n');
    r = await run(req(p + '-gone', 'z', sha256Hex(two)));
    assert.is(r.stdout.trim(), 'DIVERGED missing -');
    // A directory on the way that is a symbolic link: nothing is written through it.
    symlinkSync(join(dir, 'sub dir'), join(dir, 'link'));
    r = await run(req(join(dir, 'link', 'via-link'), one, null));
    assert.is(r.stdout.trim(), 'DIVERGED redirect -');
    assert.not.ok(existsSync(join(dir, 'sub dir', 'via-link')));
    // The final name a symbolic link, or a directory: kept as it is.
    symlinkSync('/etc/hostname', join(dir, 'sub dir', 'ln'));
    r = await run(req(join(dir, 'sub dir', 'ln'), one, null));
    assert.is(r.stdout.trim(), 'DIVERGED symlink -');
    mkdirSync(join(dir, 'sub dir', 'adir'));
    r = await run(req(join(dir, 'sub dir', 'adir'), one, null));
    assert.is(r.stdout.trim(), 'DIVERGED not-a-file -');
    // A truncated payload never replaces the file, and no temporary file stays behind.
    const cut = req(join(dir, 'trunc'), 'full body, long enough to span more than one base64 line of the request\n'.repeat(3), null);
    const lines = cut.split('\n');
    const bodyAt = lines.indexOf('body');
    r = await run([...lines.slice(0, bodyAt + 2), ...lines.slice(-2)].join('\n'));
    assert.match(r.stdout, /^ERROR payload sha256 mismatch/);
    assert.not.ok(existsSync(join(dir, 'trunc')));
    assert.equal(readdirSync(dir).sort(), ['home', 'link', 'sub dir']);
    assert.equal(readdirSync(join(dir, 'sub dir')).sort(), ['adir', 'ln', "na'me $(x)", 'ns']);
    // An unknown operation is refused by the script.
    r = await run(requestText('probe', { address: '127.0.0.1', port: '9', timeout: '1' }).replace('op probe', 'op remove'));
    assert.is(r.stdout.trim(), 'ERROR unknown operation');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('run --dry-run: one readable line per event (decky, action, path, mode, owner, bytes; quiet and probe events too), nothing written', async () => {
  const dir = tempDir('dry');
  try {
    const state = join(dir, 'state.db');
    const fleet = join(dir, 'fleet.json');
    writeFileSync(fleet, JSON.stringify(DEFAULT_FLEET_RAW));
    const r = await cli(['run', '--dry-run', '--fleet', fleet, '--seed', '5', '--start', '2026-01-05T00:00:00Z', '--days', '1', '--state', state]);
    assert.is(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const events = eventsFor('5', { start: '2026-01-05T00:00:00Z', days: 1 });
    assert.is(lines.length, events.length);
    const w = Math.max(...DEFAULT_FLEET_RAW.deckies.map((d) => d.name.length));
    const kinds = new Set<string>();
    lines.forEach((l, i) => {
      const ev = events[i]!;
      kinds.add(ev.kind);
      const head = `${ev.at}  ${ev.decky.name.padEnd(w)}  ${ev.action.padEnd(19)}  `;
      assert.ok(l.startsWith(head), `${l}\n${head}`);
      const rest = l.slice(head.length);
      if (ev.kind === 'quiet') assert.match(rest, /^quiet: no call( \(off hours\))?$/);
      else if (ev.kind === 'traffic') assert.is(rest, `SSH banner probe to ${ev.traffic!.dst.name} at ${ev.traffic!.dst.address}:22`);
      else {
        if (ev.action === 'file:rename') assert.is(rest, `${ev.path} -> ${ev.to}`);
        else if (ev.action === 'file:delete') assert.is(rest, `${ev.path} (delete)`);
        else assert.ok(rest.startsWith(`${ev.path}  mode ${ev.mode}  owner ${ev.owner}  ${ev.content!.bytes} bytes`), rest);
        if (ev.action === 'file:edit') assert.ok(rest.includes(`replaces sha256 ${ev.previousSha256!.slice(0, 12)}`), rest);
      }
      assert.ok(l.length < 300, `a short line: ${l.length} characters`);
    });
    assert.equal([...kinds].sort(), ['file', 'quiet', 'traffic']);
    const quiet = events.filter((e) => e.kind === 'quiet').length;
    assert.match(r.stderr, new RegExp(`dry run: ${events.length} events, ${events.length - quiet} docker calls, ${quiet} quiet \\(no call\\)`));
    assert.not.ok(existsSync(state), 'a dry run creates no state');
    const none = await cli(['run', '--dry-run', '--seed', '5', '--days', '1', '--state', state]);
    assert.is(none.exitCode, 2);
    assert.match(none.stderr, /^error: run needs --fleet FILE \(or --timeline FILE\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('run --dry-run --timeline F --from A --until B: the events outside the window are shown as skipped (not as calls), the others as a plain dry run shows them', async () => {
  const dir = tempDir('drywin');
  try {
    const fleet = join(dir, 'fleet.json');
    writeFileSync(fleet, JSON.stringify(DEFAULT_FLEET_RAW));
    const tl = join(dir, 't.ndjson');
    const p = await cli(['plan', '--fleet', fleet, '--seed', '8', '--start', '2026-01-05T00:00:00Z', '--days', '2', '--format', 'ndjson', '--out', tl]);
    assert.is(p.exitCode, 0, p.stderr);
    const events = readFileSync(tl, 'utf8').split('\n').filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as { id: string; at: string; kind: string });
    const from = '2026-01-05T12:00:00Z';
    const until = '2026-01-06T08:00:00Z';
    const state = join(dir, 'state.db');
    const all = await cli(['run', '--timeline', tl, '--dry-run', '--state', state]);
    assert.is(all.exitCode, 0, all.stderr);
    const r = await cli(['run', '--timeline', tl, '--dry-run', '--from', from, '--until', until, '--state', state]);
    assert.is(r.exitCode, 0, r.stderr);
    const full = all.stdout.trimEnd().split('\n');
    const lines = r.stdout.trimEnd().split('\n');
    assert.is(lines.length, events.length, 'one line per event, inside the window or not');
    const before = events.filter((e) => Date.parse(e.at) < Date.parse(from));
    const after = events.filter((e) => Date.parse(e.at) > Date.parse(until));
    assert.ok(before.length > 0 && after.length > 0 && before.length + after.length < events.length, 'the window cuts both ends');
    let inside = 0;
    lines.forEach((l, i) => {
      const t = Date.parse(events[i]!.at);
      if (t < Date.parse(from)) assert.ok(l === `${full[i]}  SKIPPED: before --from (recorded as skipped, never applied)`, l);
      else if (t > Date.parse(until)) assert.ok(l === `${full[i]}  SKIPPED: after --until (a later run applies it)`, l);
      else {
        inside++;
        assert.is(l, full[i]);
      }
    });
    const quietIn = events.filter((e) => e.kind === 'quiet' && Date.parse(e.at) >= Date.parse(from) && Date.parse(e.at) <= Date.parse(until)).length;
    assert.match(r.stderr, new RegExp(`dry run: ${events.length} events, ${inside - quietIn} docker calls, ${quietIn} quiet \\(no call\\), ${before.length} before --from, ${after.length} after --until`));
    const j = await cli(['run', '--timeline', tl, '--dry-run', '--json', '--from', from, '--until', until, '--state', state]);
    assert.is(j.exitCode, 0, j.stderr);
    const objs = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.is(objs.length, events.length);
    objs.forEach((o, i) => {
      const t = Date.parse(events[i]!.at);
      assert.is(o.id, events[i]!.id);
      if (t < Date.parse(from) || t > Date.parse(until)) {
        assert.is(o.argv, null);
        assert.match(o.skipped, t < Date.parse(from) ? /^before --from/ : /^after --until/);
      } else {
        assert.is(o.skipped, undefined);
        if (events[i]!.kind !== 'quiet') assert.ok(Array.isArray(o.argv), 'a call inside the window');
      }
    });
    const sum = JSON.parse(j.stderr.slice(j.stderr.indexOf('{')));
    assert.is(sum.outsideWindow, before.length);
    assert.is(sum.afterUntil, after.length);
    assert.not.ok(existsSync(state), 'a dry run creates no state');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('run --dry-run --json: one object per event with the exact docker argv and what goes on stdin (the stdin rebuilt from it has its sha256); a lure\'s extra files are calls of their own', async () => {
  const dir = tempDir('dryjson');
  try {
    const state = join(dir, 'state.db');
    const fleet = join(dir, 'fleet.json');
    const config = join(dir, 'config.json');
    writeFileSync(fleet, JSON.stringify(DEFAULT_FLEET_RAW));
    writeFileSync(config, JSON.stringify({ canaryProbability: 0.6, canary: LURE_CALLBACKS }));
    const r = await cli(['run', '--dry-run', '--json', '--fleet', fleet, '--config', config, '--seed', '5', '--start', '2026-01-05T00:00:00Z', '--days', '2', '--state', state]);
    assert.is(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const events = eventsFor('5', { start: '2026-01-05T00:00:00Z', days: 2, config: { file: 'config.json', data: { canaryProbability: 0.6, canary: LURE_CALLBACKS } } });
    assert.is(lines.length, events.length);
    const script = { chars: SCRIPT.length, sha256: sha256Hex(SCRIPT) };
    /** The stdin a call sends, rebuilt from what the line says (body from the plan). */
    const rebuilt = (stdin: { request: string[] }, body: Buffer | null): string => {
      let b = '';
      if (body) for (let i = 0, t = body.toString('base64'); i < t.length; i += 76) b += t.slice(i, i + 76) + '\n';
      return `${SCRIPT}main <<'.E.'\n${stdin.request.join('\n')}\n${b}.E.\n`;
    };
    let files = 0;
    let companions = 0;
    let calls = 0;
    let moves = 0;
    lines.forEach((l, i) => {
      const ev = events[i]!;
      assert.is(l.id, ev.id);
      assert.is(l.decky, ev.decky.name);
      if (ev.kind === 'quiet') return assert.is(l.argv, null);
      calls++;
      const user = ev.kind === 'file' && ev.owner !== undefined && ev.owner !== 'root' ? ev.owner : '0';
      assert.equal(l.argv.slice(l.argv.indexOf('exec')), ['exec', '-i', '-u', user, l.argv[l.argv.length - 3], 'sh', '-s']);
      assert.equal(l.stdin.script, script, 'the fixed script, by size and sha256');
      assert.is(l.stdin.request[0], `op ${l.request.op}`);
      if (ev.kind === 'traffic') {
        assert.equal(l.stdin.request, ['op probe', `address ${ev.traffic!.dst.address}`, 'port 22', 'timeout 5']);
        assert.is(l.stdin.body, null);
        const text = rebuilt(l.stdin, null);
        assert.is(sha256Hex(text), l.stdin.sha256);
        return;
      }
      if (ev.action === 'file:rename' || ev.action === 'file:delete') {
        moves++;
        assert.is(l.request.op, 'move');
        assert.is(l.request.path, ev.path);
        assert.is(l.request.to, ev.to === undefined ? '-' : ev.to.split('/').pop());
        assert.equal(l.stdin.request, ['op move', ...OPERATIONS.move.map((k) => `${k} ${l.request[k]}`)]);
        assert.is(l.stdin.body, null);
        assert.is(sha256Hex(rebuilt(l.stdin, null)), l.stdin.sha256);
        return;
      }
      files++;
      assert.equal([l.path, l.mode, l.owner, l.bytes], [ev.path, ev.mode, ev.owner, ev.content!.bytes]);
      assert.is(l.request.op, 'write');
      assert.is(l.request.path, ev.path);
      assert.equal(l.stdin.body, { bytes: ev.content!.bytes, sha256: ev.content!.sha256 });
      assert.equal(l.stdin.request, ['op write', ...OPERATIONS.write.map((k) => `${k} ${l.request[k]}`), 'body']);
      const text = rebuilt(l.stdin, bodyBytes(ev));
      assert.is(text.length, l.stdin.chars);
      assert.is(sha256Hex(text), l.stdin.sha256, 'the line says exactly what goes on stdin');
      for (const a of l.argv as string[]) assert.ok(!a.includes(ev.path!.split('/').pop()!), 'file name in argv');
      for (const [j, c] of (ev.companions ?? []).entries()) {
        companions++;
        calls++;
        const cl = l.companions[j];
        assert.equal([cl.path, cl.mode, cl.bytes], [c.path, c.mode, c.content.bytes]);
        assert.is(cl.request.path, c.path);
        assert.equal(cl.stdin.body, { bytes: c.content.bytes, sha256: c.content.sha256 });
        assert.is(sha256Hex(rebuilt(cl.stdin, Buffer.from(c.content.data, c.content.encoding === 'base64' ? 'base64' : 'utf8'))), cl.stdin.sha256);
      }
      if (!ev.companions) assert.is(l.companions, undefined);
    });
    assert.ok(files > 10);
    assert.ok(companions > 0, 'the plan has lures with companion files');
    const sum = JSON.parse(r.stderr.trim().split('\n').pop()!);
    assert.is(sum.calls, calls);
    assert.is(sum.quiet, events.filter((e) => e.kind === 'quiet').length);
    assert.not.ok(existsSync(state), 'a dry run creates no state');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('Docker unreachable: every decky\'s first call (its pre-history) fails, nothing is applied and the rest waits (report, text, state, heartbeat)', async () => {
  const dir = tempDir('unreach');
  try {
    // Every decky behind an engine that is not there.
    const raw = { deckies: DEFAULT_FLEET_RAW.deckies.map((d) => ({ ...d, container: `${d.name}-c`, docker: `unix://${dir}/no-engine.sock` })), personas: DEFAULT_FLEET_RAW.personas };
    const fleet = join(dir, 'fleet.json');
    writeFileSync(fleet, JSON.stringify(raw));
    const args = ['run', '--fleet', fleet, '--seed', '2', '--start', '2026-01-05T00:00:00Z', '--days', '1', '--timeout', '5'];
    const events = eventsFor('2', { start: '2026-01-05T00:00:00Z', days: 1, fleet: { file: 'fleet.json', data: raw } });
    const quietFirst = new Map(raw.deckies.map((d) => [d.name, events.filter((e) => e.decky.name === d.name).findIndex((e) => e.kind !== 'quiet')]));
    const quiet = [...quietFirst.values()].reduce((a, b) => a + b, 0);
    // A decky starts from its past: the first event of each is a file of its pre-history, so no
    // quiet tick comes before the first failure (quiet ticks behind it wait with the rest).
    for (const d of raw.deckies) assert.is(events.find((e) => e.decky.name === d.name)?.job, 'history', d.name);
    assert.is(quiet, 0);
    const state = join(dir, 'j.db');
    const r = await cli([...args, '--state', state, '--json', '--no-progress']);
    assert.is(r.exitCode, 3, r.stderr);
    const sum = JSON.parse(r.stdout);
    assert.is(sum.applied, 0, 'nothing applied: nothing reached a container');
    assert.is(sum.quiet, quiet);
    assert.is(sum.failed, raw.deckies.length);
    assert.is(sum.pending, events.length - quiet - raw.deckies.length);
    for (const [d, n] of quietFirst) assert.equal([sum.deckies[d].applied, sum.deckies[d].quiet, sum.deckies[d].failed], [0, n, 1], d);
    const st = await readState(state);
    const cursor = st.rows<{ decky: string; applied: number; skipped: number; failed: number }>('SELECT decky, applied, skipped, failed FROM decky_cursor ORDER BY decky');
    const hb = st.rows<{ applied: number }>('SELECT applied FROM heartbeat');
    st.close();
    assert.equal(cursor, [...quietFirst].sort(([a], [b]) => a.localeCompare(b)).map(([decky, n]) => ({ decky, applied: 0, skipped: n, failed: 1 })));
    assert.ok(hb.length > 0 && hb.every((h) => h.applied === 0), 'heartbeats count nothing as applied');
    const report = await cli(['state', state]);
    assert.match(report.stdout, /^ {2}decky +applied {2}pending {2}diverged {2}failed {2}rejected {2}skipped {2}last event$/m);
    // The text report says the same.
    const text = await cli([...args, '--state', join(dir, 't.db'), '--no-progress']);
    assert.is(text.exitCode, 3);
    assert.match(text.stdout, new RegExp(`^ {2}applied 0 {2}skipped ${quiet} \\(${quiet} quiet, 0 without their user\\) {2}done earlier 0 {2}diverged 0 {2}failed ${raw.deckies.length} `, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

unit('run progress text: quiet ticks count as skipped; it names the event a lane works on, else the last one, or what a paced run waits for', () => {
  const o = { stream: process.stderr, startMs: Date.parse('2026-01-05T00:00:00Z'), endMs: Date.parse('2026-01-06T00:00:00Z'), follow: false, asap: true, now: () => 0 };
  const t = { ...emptyTally(), events: 40, applied: 10, quiet: 10, lastAt: '2026-01-06T00:00:00Z', nextAt: '2026-01-06T00:00:00Z', current: { at: '2026-01-05T06:00:00Z', decky: 'db-01', action: 'file:create', path: '/home/alice/notes.md' }, busy: 1 };
  assert.is(progressText(o, t, 10), '[############............]  50%  applied 10  skipped 10  failed 0  2 events/s  ETA 10s  on db-01 file:create /home/alice/notes.md (2026-01-05T06:00:00Z)');
  assert.is(progressText(o, { ...t, busy: 0 }, 10).split('  ').pop(), 'last db-01 file:create /home/alice/notes.md (2026-01-05T06:00:00Z)');
  assert.match(progressText({ ...o, asap: false }, { ...t, busy: 0, nextAt: '2026-01-05T07:00:00Z' }, 10), /applied 10 {2}skipped 10 {2}failed 0 {2}2 events\/s {2}waiting for 2026-01-05T07:00:00Z, last db-01 file:create/);
  assert.match(progressText({ ...o, follow: true }, { ...t, skipped: 5, pending: 2 }, 10), /^following: applied 10 {2}skipped 10 {2}done earlier 5 {2}failed 0 {2}pending 2 {2}on db-01/);
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
  assert.is(requestOf(inv.input).fields.expect, edit.previousSha256!);
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
