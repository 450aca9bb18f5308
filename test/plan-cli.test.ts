import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers/cli.js';

test('plan --seed 42 --days 1 prints a JSON timeline', async () => {
  const r = await cli(['plan', '--seed', '42', '--days', '1']);
  assert.is(r.exitCode, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.is(t.header.format, 'decnet-sim.timeline');
  assert.ok(t.events.length > 50);
  assert.is(t.summary.events, t.events.length);
});

test('personas validate: valid file lists logins, bad file exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-personas-'));
  const good = join(dir, 'email_personas.json');
  writeFileSync(good, JSON.stringify([{ name: 'John Smith', email: 'j@x.org', role: 'dev', tone: 'terse', active_hours: '22:00-06:00', timezone: 'Asia/Tokyo' }, { name: 'C-3PO!' }, { name: '!!!' }]));
  const r = await cli(['personas', 'validate', good, '--json']);
  assert.is(r.exitCode, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.personas.map((p: { login: string }) => p.login), ['johnsmith', 'c3po', 'user']);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify([{ name: 'x', active_hours: '9 to 5' }]));
  const b = await cli(['personas', 'validate', bad]);
  assert.is(b.exitCode, 2);
  assert.match(b.stderr, /bad\.json: \[0\]\.active_hours: expected a window/);
});

test('every command answers --help with examples', async () => {
  for (const c of ['plan', 'personas validate']) {
    const r = await cli([...c.split(' '), '--help']);
    assert.is(r.exitCode, 0);
    assert.match(r.stdout, /EXAMPLES/);
  }
});

test.run();
