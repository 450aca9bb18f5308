// Outputs that never clobber what they should not (plan --out, stats --html), and the input edge
// cases: dates out of range or impossible, duplicate JSON keys, control characters in messages,
// negative flags, stdin and stdout as `-`.
import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { duplicateKey } from '../src/util/json.js';
import { BIN, ROOT, cli } from './helpers/cli.js';
import { tempDir } from './helpers/docker.js';

const test = suite('outputs and input edge cases');
// One error line (warnings about the plan's inputs may come before it).
const oneLine = (r: { stderr: string }) => {
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning: '));
  return lines.length === 1 && lines[0]!.startsWith('error: ');
};

test('plan --out onto a device, a directory, a fifo or under a regular file is refused (exit 2, one line); the target is untouched', async () => {
  const dir = tempDir('outs');
  try {
    mkdirSync(join(dir, 'adir'));
    await execa('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'file'), 'x');
    for (const [target, re] of [['/dev/null', /is a device/], [join(dir, 'adir'), /is a directory/], [join(dir, 'fifo'), /is a fifo/], [join(dir, 'file', 'x.json'), /folder on the way is a regular file/], [join(dir, 'nodir', 'x.json'), /folder does not exist/]] as const) {
      const r = await cli(['plan', '--seed', '1', '--days', '1', '--out', target]);
      assert.is(r.exitCode, 2, `${target}: ${r.stderr}`);
      assert.ok(oneLine(r), r.stderr);
      assert.match(r.stderr, re);
    }
    assert.ok(statSync('/dev/null').isCharacterDevice());
    assert.ok(lstatSync(join(dir, 'fifo')).isFIFO());
    assert.equal(readdirSync(dir).sort(), ['adir', 'fifo', 'file']);
    const h = await cli(['stats', '--seed', '1', '--days', '1', '--html', join(dir, 'adir')]);
    assert.is(h.exitCode, 2, h.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plan --out through a symlink writes the target (the link stays), an existing file keeps its mode; - is stdout', async () => {
  const dir = tempDir('outlink');
  try {
    const target = join(dir, 'real.json');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    symlinkSync(target, join(dir, 'link.json'));
    const r = await cli(['plan', '--seed', '1', '--days', '1', '--out', join(dir, 'link.json')]);
    assert.is(r.exitCode, 0, r.stderr);
    assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink(), 'still a link');
    assert.ok(readFileSync(target, 'utf8').startsWith('{"header":'));
    assert.is(statSync(target).mode & 0o777, 0o640);
    assert.equal(readdirSync(dir).sort(), ['link.json', 'real.json']);
    const out = await cli(['plan', '--seed', '1', '--days', '1', '--out', '-']);
    assert.is(out.exitCode, 0);
    assert.is(out.stdout, readFileSync(target, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGINT during plan --out: exit 130, no temporary file left, the target untouched', async () => {
  const dir = tempDir('outint');
  try {
    const target = join(dir, 'year.ndjson');
    writeFileSync(target, 'previous content\n');
    const child = execa('node', [BIN, 'plan', '--seed', '1', '--days', '365', '--interval', '120', '--format', 'ndjson', '--out', target], { cwd: ROOT, reject: false });
    // Wait until the temporary file exists (the plan is being written), then interrupt.
    for (let i = 0; i < 3000 && readdirSync(dir).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(readdirSync(dir).length, 2, 'the temporary file appeared');
    child.kill('SIGINT');
    const r = await child;
    assert.is(r.exitCode, 130, String(r.stderr));
    assert.equal(readdirSync(dir), ['year.ndjson']);
    assert.is(readFileSync(target, 'utf8'), 'previous content\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dates: years outside 1970..9000 and impossible dates are exit 2 (never normalised); negative --retry-after is exit 2', async () => {
  for (const [flag, v] of [['--start', '9999-01-01T00:00:00Z'], ['--start', '0999-06-01T00:00:00Z'], ['--start', '1969-12-31T00:00:00Z'], ['--start', '2026-02-30T00:00:00Z'], ['--start', '2026-13-01'], ['--start', '2026-01-05T24:00:00Z'], ['--until', '2026-04-31T00:00:00Z'], ['--until', '9001-01-01T00:00:00Z']]) {
    const r = await cli(['plan', '--seed', '1', flag!, v!]);
    assert.is(r.exitCode, 2, `${flag} ${v}: ${r.stderr}`);
    assert.ok(oneLine(r), r.stderr);
    assert.is(r.stdout, '');
  }
  const ok = await cli(['plan', '--seed', '1', '--start', '2028-02-29T00:00:00Z', '--days', '1']);
  assert.is(ok.exitCode, 0, 'a real leap day');
  const dir = tempDir('retry');
  try {
    const fleet = join(dir, 'fleet.json');
    writeFileSync(fleet, readFileSync(join(ROOT, 'fixtures', 'multi-tz-fleet.json')));
    const r = await cli(['run', '--fleet', fleet, '--retry-after', '-5', '--follow', '--state', join(dir, 's.db')]);
    assert.is(r.exitCode, 2, r.stderr);
    assert.match(r.stderr, /--retry-after/);
    assert.not.ok(existsSync(join(dir, 's.db')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate keys in any JSON input are exit 2 naming the key; control characters in messages are escaped; - reads stdin', async () => {
  assert.equal(duplicateKey('{"a":1,"b":{"c":[{"d":1,"d":2}]}}'), { key: 'd', at: 'b.c[0]' });
  assert.equal(duplicateKey('{"a":"\\"a\\"","b":{"a":1},"c":[1,{"a":2}]}'), null);
  assert.equal(duplicateKey('{"a":1,"a":2}'), { key: 'a', at: '(top level)' });
  const dir = tempDir('dups');
  try {
    const fleet = join(dir, 'fleet.json');
    writeFileSync(fleet, '{"deckies": [{"name": "web-01", "services": ["ssh"], "container": "a", "container": "b"}]}');
    const r = await cli(['plan', '--fleet', fleet, '--seed', '1']);
    assert.is(r.exitCode, 2);
    assert.ok(oneLine(r), r.stderr);
    assert.match(r.stderr, /deckies\[0\]: duplicate key "container"/);
    const cfg = await cli(['plan', '--config', '-', '--seed', '1', '--days', '1'], { input: '{"interval": 600, "interval": 900}' });
    assert.is(cfg.exitCode, 2);
    assert.match(cfg.stderr, /error: stdin: \(top level\): duplicate key "interval"/);
    const fromStdin = await cli(['plan', '--config', '-', '--seed', '1', '--days', '1'], { input: '{"interval": 600}' });
    assert.is(fromStdin.exitCode, 0, fromStdin.stderr);
    writeFileSync(fleet, JSON.stringify({ deckies: [{ name: 'evil\u001b[2J\u001b]0;title\u0007\nline', services: ['ssh'] }] }));
    const ctl = await cli(['plan', '--fleet', fleet, '--seed', '1']);
    assert.is(ctl.exitCode, 2);
    assert.ok(oneLine(ctl), JSON.stringify(ctl.stderr));
    // eslint-disable-next-line no-control-regex
    assert.not.match(ctl.stderr.trimEnd(), /[\u0000-\u001f\u007f]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
