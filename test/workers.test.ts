// Issue 6: --workers N gives the same bytes for every N; memory stays bounded on long horizons.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { syntheticFleet } from '../bench/fleet.js';
import { BIN, cli } from './helpers/cli.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'sim-workers-'));
const large = join(dir, 'large.json');
writeFileSync(large, JSON.stringify(syntheticFleet(40)));

test('byte-identical output for workers 1, 2, 3 and 4 (default fleet, JSON and NDJSON)', async () => {
  for (const format of ['json', 'ndjson']) {
    const outs = await Promise.all([1, 2, 3, 4].map((w) => cli(['plan', '--seed', 'w', '--days', '5', '--format', format, '--workers', String(w)])));
    for (const o of outs) assert.is(o.exitCode, 0, o.stderr);
    const want = sha(outs[0]!.stdout);
    outs.forEach((o, i) => assert.is(sha(o.stdout), want, `${format} workers ${i + 1}`));
  }
});

test('byte-identical output for workers 1 to 4 on a 40-decky fleet, quiet events dropped', async () => {
  const hashes: string[] = [];
  for (const w of [1, 2, 3, 4]) {
    const o = await cli(['plan', '--seed', 'big', '--fleet', large, '--days', '4', '--format', 'ndjson', '--skip-quiet', '--workers', String(w)]);
    assert.is(o.exitCode, 0, o.stderr);
    hashes.push(sha(o.stdout));
  }
  assert.ok(hashes.every((h) => h === hashes[0]), hashes.join(' '));
});

test('bad --workers is exit 2', async () => {
  const r = await cli(['plan', '--workers', '0']);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /--workers: expected a whole number/);
});

test('a year of a 20-decky fleet streams within a 64 MiB heap', async () => {
  const fleet = join(dir, 'twenty.json');
  writeFileSync(fleet, JSON.stringify(syntheticFleet(20)));
  const child = execa('node', ['--max-old-space-size=64', BIN, 'plan', '--fleet', fleet, '--days', '365', '--format', 'ndjson'], { reject: false, buffer: false });
  let bytes = 0;
  let lines = 0;
  child.stdout!.on('data', (d: Buffer) => {
    bytes += d.length;
    for (const b of d) if (b === 10) lines++;
  });
  const r = await child;
  assert.is(r.exitCode, 0, String(r.stderr ?? ''));
  assert.ok(lines > 600_000, `${lines} lines`);
  assert.ok(bytes > 64 * 1024 * 1024, 'more output than the heap could hold');
});

test.run();
