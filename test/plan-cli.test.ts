import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from './helpers/cli.js';

test('plan --seed 42 --days 1 prints a JSON timeline', async () => {
  const r = await cli(['plan', '--seed', '42', '--days', '1']);
  assert.is(r.exitCode, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.is(t.header.format, 'decnet-sim.timeline');
  assert.ok(t.events.length > 50);
  assert.is(t.summary.events, t.events.length);
});

test.run();
