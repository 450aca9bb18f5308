// Prose from the templates carries no seams where an optional part came out empty: checked on
// the tidy function and on every note, to-do and draft of plans over several seeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { templateSeam } from '../src/check/content.js';
import { tidy } from '../src/text/writer.js';
import { inputs, planned } from './check-helpers.js';

test('tidy closes the gaps an empty optional part leaves', () => {
  assert.is(tidy('maybe check our VPN config .'), 'maybe check our VPN config.');
  assert.is(tidy('Could you retire it ? I looked.'), 'Could you retire it? I looked.');
  assert.is(tidy('- [ ] tidy up our LB health check '), '- [ ] tidy up our LB health check');
  assert.is(tidy('the backup  job , again'), 'the backup job, again');
  // What it must leave alone: leading indentation, a version, a path, an ellipsis.
  assert.is(tidy('  - nested item'), '  - nested item');
  assert.is(tidy('upgrade to 1.2.3 then cd .. and wait...'), 'upgrade to 1.2.3 then cd .. and wait...');
});

test('no seam in any note, to-do or draft over five seeds x 10 days', () => {
  let bodies = 0;
  for (const seed of ['tidy-1', 'tidy-2', 'tidy-3', 'tidy-4', 'tidy-5']) {
    const t = planned(seed, inputs({ days: 10 }));
    for (const e of t.events) {
      if (e.kind !== 'file' || !e.content || !['note', 'todo', 'draft'].includes(e.contentClass ?? '')) continue;
      bodies++;
      const seam = templateSeam(Buffer.from(e.content.data, e.content.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8'));
      assert.is(seam, null, `${seed} ${e.decky.name} ${e.path}: ${seam}`);
    }
  }
  assert.ok(bodies > 300, `only ${bodies} bodies`);
});

test.run();
