// The CLI in scripts and pipes (issue 16): stdin only when asked with `-`, EPIPE, JSON errors,
// -h, "did you mean", stray positionals, progress on stderr.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Flags } from '@oclif/core';
import { BaseCommand, oneLine } from '../src/cli/base.js';
import { RuntimeFailure, InputError } from '../src/errors.js';
import { closest } from '../src/cli/not-found.js';
import { BIN, ROOT, cli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-manners-'));
const week = join(dir, 'week.json');
const fleetFile = join(ROOT, 'fixtures', 'multi-tz-fleet.json');

/** A shell line run by bash with pipefail, the way a CI job runs it. */
async function sh(script: string, env: Record<string, string> = {}) {
  const r = await execa('bash', ['-o', 'pipefail', '-c', script], { reject: false, cwd: dir, env: { BIN, ...env }, maxBuffer: 1 << 28 });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

test.before(async () => {
  const r = await cli(['plan', '--seed', 'm', '--days', '2', '--out', week]);
  assert.is(r.exitCode, 0, r.stderr);
});

test('a while-read loop over three seeds runs three times (check never swallows the loop\'s stdin)', async () => {
  writeFileSync(join(dir, 'seeds.txt'), 'alpha\nbeta\ngamma\n');
  const r = await sh('while read s; do node "$BIN" check --seed "$s" --days 1 --no-progress > /dev/null && echo "ran $s"; done < seeds.txt');
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), ['ran alpha', 'ran beta', 'ran gamma']);
});

test('stats, diff and verify leave stdin alone too when the file is left out', async () => {
  // With stdin a pipe and no file argument, stats plans from the flags (it does not read stdin).
  const r = await cli(['stats', '--seed', 'm', '--days', '2', '--json'], { input: 'this is not a timeline\n' });
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).events, JSON.parse(readFileSync(week, 'utf8')).summary.events);
  const v = await cli(['verify'], { input: readFileSync(week, 'utf8') });
  assert.is(v.exitCode, 2);
  assert.match(v.stderr, /^error: Missing 1 required arg: file/);
});

test('`cat f | check -` and `check - < f` check the file; verify, stats and diff read `-` too', async () => {
  const file = await cli(['check', week, '--json', '--no-progress']);
  assert.is(file.exitCode, 0, file.stderr);
  const piped = await sh(`cat week.json | node "$BIN" check - --json --no-progress`);
  const redirected = await sh(`node "$BIN" check - --json --no-progress < week.json`);
  for (const r of [piped, redirected]) {
    assert.is(r.exitCode, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    const b = JSON.parse(file.stdout);
    assert.is(a.source, 'stdin');
    assert.equal({ ...a, source: '', reproduce: null }, { ...b, source: '', reproduce: null });
    assert.is(a.reproduce.ok, true);
    assert.is(a.reproduce.fileSha256, b.reproduce.fileSha256);
  }
  const v = await sh('node "$BIN" verify - < week.json');
  assert.is(v.exitCode, 0, v.stderr);
  assert.match(v.stdout, /^ok: stdin reproduces/);
  const s = await sh('node "$BIN" plan --seed m --days 2 | node "$BIN" stats - --json');
  assert.is(s.exitCode, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout), JSON.parse((await cli(['stats', week, '--json'])).stdout.replaceAll(JSON.stringify(week), '"stdin"')));
  const d = await sh('node "$BIN" diff week.json - < week.json');
  assert.is(d.exitCode, 0, d.stderr + d.stdout);
  // A damaged stream on stdin is named "stdin" in the one-line error.
  const broken = await sh('head -c 5000 week.json | node "$BIN" check -');
  assert.is(broken.exitCode, 2);
  assert.match(broken.stderr, /^error: stdin: /);
});

test('plan --fleet - < fleet.json gives the bytes of --fleet fleet.json; --personas and --config read - too', async () => {
  const byName = await cli(['plan', '--fleet', fleetFile, '--days', '1']);
  const byStdin = await cli(['plan', '--fleet', '-', '--days', '1'], { input: readFileSync(fleetFile, 'utf8') });
  assert.is(byStdin.exitCode, 0, byStdin.stderr);
  assert.is(byStdin.stdout, byName.stdout);
  const personas = JSON.stringify([{ name: 'Mara Olsen', email: 'mara@ops.lan', role: 'ops' }]);
  const p = await cli(['plan', '--personas', '-', '--days', '1'], { input: personas });
  assert.is(p.exitCode, 0, p.stderr);
  assert.ok(JSON.parse(p.stdout).header.inputs.personas.some((x: { name: string }) => x.name === 'Mara Olsen'));
  const c = await cli(['plan', '--config', '-', '--days', '1'], { input: '{"interval": 600}' });
  assert.is(c.exitCode, 0, c.stderr);
  assert.is(JSON.parse(c.stdout).header.inputs.interval, 600);
  const two = await cli(['plan', '--fleet', '-', '--config', '-'], { input: '{}' });
  assert.is(two.exitCode, 2);
  assert.match(two.stderr, /^error: --config: stdin \("-"\) is already read for --fleet/);
  const badStdin = await cli(['plan', '--fleet', '-'], { input: '{"deckies": [' });
  assert.is(badStdin.exitCode, 2);
  assert.match(badStdin.stderr, /^error: stdin: not valid JSON/);
});

test('--out - writes stdout; --out FILE writes the same bytes', async () => {
  const std = await cli(['plan', '--seed', 'o', '--days', '1']);
  const dash = await cli(['plan', '--seed', 'o', '--days', '1', '--out', '-']);
  assert.is(dash.exitCode, 0, dash.stderr);
  assert.is(dash.stdout, std.stdout);
  const out = join(dir, 'o.json');
  const f = await cli(['plan', '--seed', 'o', '--days', '1', '--out', out, '--no-progress']);
  assert.is(f.exitCode, 0, f.stderr);
  assert.is(readFileSync(out, 'utf8'), std.stdout);
  const nd = await cli(['plan', '--seed', 'o', '--days', '1', '--format', 'ndjson', '--workers', '2', '--out', out, '--no-progress']);
  assert.is(nd.exitCode, 0, nd.stderr);
  assert.is(readFileSync(out, 'utf8'), (await cli(['plan', '--seed', 'o', '--days', '1', '--format', 'ndjson'])).stdout);
});

test('plan | head -1 exits 0 under pipefail, with no error on stderr', async () => {
  const r = await sh('node "$BIN" plan --seed 42 --days 60 | head -1 > /dev/null');
  assert.is(r.exitCode, 0, r.stderr);
  assert.not.match(r.stderr, /EPIPE|error/i);
  const nd = await sh('node "$BIN" plan --seed 42 --days 60 --format ndjson --workers 2 | head -c 100 > /dev/null');
  assert.is(nd.exitCode, 0, nd.stderr);
  const st = await sh('node "$BIN" stats --seed 42 --days 7 | head -1 > /dev/null');
  assert.is(st.exitCode, 0, st.stderr);
});

test('--json: bad input is {"error": {"code": 2, ...}} on stdout and the same line on stderr', async () => {
  const cases = [
    ['check', '--json', '--days', 'x'],
    ['check', join(dir, 'missing.json'), '--json'],
    ['stats', '--json', '--bogus'],
    ['diff', '--json'],
    ['verify', '--json'],
    ['personas', 'validate', '--json', join(dir, 'missing.json')],
  ];
  for (const args of cases) {
    const r = await cli(args);
    assert.is(r.exitCode, 2, args.join(' '));
    const doc = JSON.parse(r.stdout);
    assert.equal(Object.keys(doc), ['error']);
    assert.is(doc.error.code, 2);
    assert.is(typeof doc.error.message, 'string');
    assert.is(r.stderr, `error: ${doc.error.message}\n`);
  }
  // Without --json, stdout stays empty.
  const plain = await cli(['check', '--days', 'x']);
  assert.is(plain.stdout, '');
});

// A command of ours, run in-process through oclif: a runtime fault with --json.
class Faulty extends BaseCommand {
  static override flags = { json: Flags.boolean({ default: false }), kind: Flags.string({ default: 'runtime' }) };
  async run(): Promise<void> {
    const { flags } = await this.parse(Faulty);
    if (flags.kind === 'runtime') throw new RuntimeFailure('docker ps: Cannot connect to the Docker daemon');
    if (flags.kind === 'input') throw new InputError('fleet.json: deckies: expected an array');
    throw new Error('unexpected\nsecond line');
  }
}

async function capture(fn: () => Promise<unknown>): Promise<{ out: string; err: string; code: number | undefined }> {
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((err += c), true)) as typeof process.stderr.write;
  let code: number | undefined;
  try {
    await fn();
  } catch (e) {
    code = (e as { oclif?: { exit?: number } }).oclif?.exit;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  return { out, err, code };
}

test('--json: a runtime fault is {"error": {"code": 3, ...}}, an input error code 2, an unexpected one 3', async () => {
  for (const [kind, code, message] of [
    ['runtime', 3, 'docker ps: Cannot connect to the Docker daemon'],
    ['input', 2, 'fleet.json: deckies: expected an array'],
    ['other', 3, 'unexpected second line'],
  ] as const) {
    const r = await capture(() => Faulty.run(['--json', '--kind', kind], ROOT));
    assert.is(r.code, code, kind);
    assert.equal(JSON.parse(r.out), { error: { code, message } });
    assert.is(r.err, `error: ${message}\n`);
    const plain = await capture(() => Faulty.run(['--kind', kind], ROOT));
    assert.is(plain.out, '');
    assert.is(plain.code, code);
  }
});

test('oclif parse errors keep their whole message on one line', () => {
  assert.is(oneLine('Missing 1 required arg:\nfile  timeline file (JSON document or NDJSON)\nSee more help with --help'), 'Missing 1 required arg: file (timeline file (JSON document or NDJSON))');
  assert.is(oneLine('Parsing --workers \n\tExpected an integer but received: two\nSee more help with --help'), 'Parsing --workers Expected an integer but received: two');
});

test('-h works on every command; --help output is the same', async () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> };
  const ids = Object.keys(manifest.commands).map((id) => id.split(':'));
  assert.ok(ids.length >= 9);
  for (const id of [[], ...ids]) {
    const [h, help] = await Promise.all([cli([...id, '-h']), cli([...id, '--help'])]);
    assert.is(h.exitCode, 0, `${id.join(' ')} -h: ${h.stderr}`);
    assert.is(h.stdout, help.stdout);
    assert.match(h.stdout, /USAGE/);
  }
});

test('a misspelt command gets a suggestion (exit 2, no prompt without a terminal)', async () => {
  const r = await cli(['pln', '--days', '1']);
  assert.is(r.exitCode, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^error: pln is not a decnet-sim command; did you mean plan\?/);
  const t = await cli(['fleet', 'discovr']);
  assert.match(t.stderr, /did you mean fleet discover\?/);
  assert.is(closest('stast', ['check', 'diff', 'plan', 'stats', 'verify']), 'stats');
  assert.is(closest('zzzzzzzzzz', ['check', 'plan']), null);
});

test('a stray positional says the command takes none', async () => {
  for (const [args, name] of [[['plan', 'extra-arg'], 'plan'], [['service', 'unit', 'foo'], 'service unit'], [['run', 'now', '--dry-run'], 'run']] as const) {
    const r = await cli([...args]);
    assert.is(r.exitCode, 2, args.join(' '));
    assert.is(r.stderr, `error: ${name} takes no positional arguments (got ${JSON.stringify(args[args.length - (args[2] === '--dry-run' ? 2 : 1)])}); see decnet-sim ${name} --help\n`);
  }
  const many = await cli(['check', 'a.json', 'b.json']);
  assert.is(many.exitCode, 2);
  assert.match(many.stderr, /^error: Unexpected argument: b\.json/);
});

test('shell completion: autocomplete prints a bash script that completes our commands', async () => {
  const home = mkdtempSync(join(tmpdir(), 'sim-home-'));
  const r = await cli(['autocomplete', 'script', 'bash'], { env: { HOME: home, XDG_CACHE_HOME: join(home, '.cache') } });
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /decnet-sim/);
  const setup = await cli(['autocomplete', 'bash'], { env: { HOME: home, XDG_CACHE_HOME: join(home, '.cache') } });
  assert.is(setup.exitCode, 0, setup.stderr);
  const cache = join(home, '.cache', 'decnet-sim', 'autocomplete', 'functions', 'bash', 'decnet-sim.bash');
  assert.ok(existsSync(cache), 'completion function written');
  assert.match(readFileSync(cache, 'utf8'), /verify/);
});

test('progress: a long check prints progress lines on stderr when stderr is not a terminal; --no-progress silences it', async () => {
  const env = { DECNET_SIM_PROGRESS_SECONDS: '0.05' };
  const r = await cli(['check', '--seed', 'p', '--days', '30', '--json'], { env });
  assert.is(r.exitCode, 0, r.stderr);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('progress: '));
  assert.ok(lines.length >= 2, r.stderr);
  for (const l of lines) assert.match(l, /^progress: check: [\d,]+ events {2}\d+% {2}[\d,]+ events\/s( {2}ETA \d+[smh])?/);
  const counts = lines.map((l) => Number(/check: ([\d,]+) events/.exec(l)![1]!.replaceAll(',', '')));
  assert.equal(counts, [...counts].sort((a, b) => a - b), 'counts grow');
  JSON.parse(r.stdout); // stdout holds only the report
  const quiet = await cli(['check', '--seed', 'p', '--days', '30', '--json', '--no-progress'], { env });
  assert.is(quiet.exitCode, 0);
  assert.is(quiet.stderr, '');
  // A file check reports its reproduction pass with the event total.
  const f = await cli(['check', week], { env });
  assert.is(f.exitCode, 0, f.stderr);
  const plan = await cli(['plan', '--seed', 'p', '--days', '30', '--out', join(dir, 'p.json')], { env });
  assert.match(plan.stderr, /^progress: plan: [\d,]+ events {2}\d+%/m);
});

test('progress: verify, diff, stats and bake on a long file print progress lines on stderr (not a terminal); --no-progress silences each', async () => {
  const env = { DECNET_SIM_PROGRESS_SECONDS: '0.001' };
  const long = join(dir, 'long.ndjson');
  const p = await cli(['plan', '--seed', 'long', '--days', '60', '--format', 'ndjson', '--out', long, '--no-progress']);
  assert.is(p.exitCode, 0, p.stderr);
  const runs: Array<[string, string[]]> = [
    ['verify', ['verify', long]],
    ['diff', ['diff', long, long]],
    ['stats', ['stats', long]],
    ['bake', ['bake', long, '--out-dir', join(dir, 'long-layers')]],
  ];
  for (const [label, args] of runs) {
    const r = await cli(args, { env });
    assert.is(r.exitCode, 0, `${label}: ${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    assert.ok(lines.length >= 2, `${label}: ${r.stderr}`);
    for (const l of lines) assert.match(l, new RegExp(`^progress: ${label}( \\([a-z]+\\))?: [\\d,]+( of [\\d,]+)? events {2}\\d+%`), l);
    const off = await cli([...args, '--no-progress'], { env });
    assert.is(off.exitCode, 0, `${label}: ${off.stderr}`);
    assert.not.match(off.stderr, /progress: /, label);
    assert.is(off.stdout.replace(/[\d.]+ s\b/g, ''), r.stdout.replace(/[\d.]+ s\b/g, ''), `${label}: the same report`);
  }
});

test('a fleet without ssh deckies warns that the timeline is empty', async () => {
  const f = join(dir, 'nossh.json');
  writeFileSync(f, JSON.stringify({ deckies: [{ name: 'files-01', services: ['smb'] }] }));
  const r = await cli(['plan', '--fleet', f, '--days', '1']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stderr, /^warning: .*nossh\.json: no decky lists the "ssh" service/);
  assert.is(JSON.parse(r.stdout).events.length, 0);
});

test('--version is the oclif user agent, answered without loading the framework', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const expected = `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`;
  for (const flag of ['--version', '-v']) assert.is((await cli([flag])).stdout, expected);
  const help = await cli(['--help'], { env: { FORCE_COLOR: '0' } });
  // oclif's own rendering of the version (in the root help) is the same text.
  assert.ok(help.stdout.replace(/\u001b\[[0-9;]*m/g, '').includes(`VERSION\n  ${expected.trim()}\n`), help.stdout);
});

test('init writes a starter fleet, personas and config that plan as they are, says what to fill in, never overwrites', async () => {
  const where = join(dir, 'starter');
  const r = await cli(['init', where]);
  assert.is(r.exitCode, 0, r.stderr);
  for (const f of ['fleet.json', 'personas.json', 'config.json']) assert.ok(existsSync(join(where, f)), f);
  assert.match(r.stdout, /next:/);
  assert.match(r.stdout, /canary\.httpBase and canary\.dnsZone: set them to YOUR callback listener/);
  assert.match(r.stdout, new RegExp(`plan --fleet ${where}/fleet\\.json --personas ${where}/personas\\.json --config ${where}/config\\.json`));
  const config = JSON.parse(readFileSync(join(where, 'config.json'), 'utf8'));
  assert.equal(config.canary, { httpBase: null, dnsZone: null });
  const p = await cli(['plan', '--fleet', join(where, 'fleet.json'), '--personas', join(where, 'personas.json'), '--config', join(where, 'config.json'), '--days', '3', '--format', 'ndjson']);
  assert.is(p.exitCode, 0, p.stderr);
  const lines = p.stdout.trim().split('\n');
  assert.ok(lines.length > 100);
  // check below holds every realism invariant (nothing planted names the product) on these files.
  const c = await cli(['check', '--fleet', join(where, 'fleet.json'), '--personas', join(where, 'personas.json'), '--config', join(where, 'config.json'), '--days', '3', '--no-progress']);
  assert.is(c.exitCode, 0, c.stdout);
  const before = readFileSync(join(where, 'fleet.json'), 'utf8');
  writeFileSync(join(where, 'fleet.json'), '{"deckies": []}');
  const again = await cli(['init', where]);
  assert.is(again.exitCode, 2);
  assert.match(again.stderr, /already there \(nothing written; --force overwrites\)/);
  assert.is(readFileSync(join(where, 'fleet.json'), 'utf8'), '{"deckies": []}');
  const forced = await cli(['init', where, '--force']);
  assert.is(forced.exitCode, 0, forced.stderr);
  assert.is(readFileSync(join(where, 'fleet.json'), 'utf8'), before);
});

test('--json reports start with "schema": 1 and carry numbers next to their prose', async () => {
  const c = await cli(['check', week, '--json', '--no-progress']);
  const doc = JSON.parse(c.stdout);
  assert.is(Object.keys(doc)[0], 'schema');
  assert.is(doc.schema, 1);
  assert.ok(doc.statistics.length > 5);
  for (const t of doc.statistics) {
    assert.is(typeof t.count, 'number');
    assert.is(typeof t.of, 'number');
    assert.ok(t.observed.includes(String(t.count)), `${t.observed} shows ${t.count}`);
    assert.is(t.share, t.of > 0 ? t.count / t.of : null);
    assert.is(typeof t.alphaPerTest, 'number');
  }
  const personas = join(dir, 'personas.json');
  writeFileSync(personas, JSON.stringify([{ name: 'Mara Olsen' }]));
  for (const args of [['stats', week, '--json'], ['verify', week, '--json'], ['diff', week, week, '--json'], ['personas', 'validate', personas, '--json']]) {
    const r = await cli(args);
    assert.is(JSON.parse(r.stdout).schema, 1, args.join(' '));
  }
});

test.run();
