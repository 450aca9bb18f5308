// An application log named for a day holds that day's lines only (an intruder compares
// `head -1` and `tail -1` of worker-2026-01-09.log with its name), over several seeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyBytes, eventsFor } from './helpers/plan.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

test('every line of a dated application log carries the date of its name, 4 seeds x 14 days', () => {
  let files = 0;
  for (const seed of ['app-1', 'app-2', 'app-3', 'app-4']) {
    for (const e of eventsFor(seed, { days: 14 })) {
      if (e.kind !== 'file' || !e.content) continue;
      const m = /^\/var\/log\/([a-z-]+)\/\1-(\d{4})-(\d{2})-(\d{2})\.log$/.exec(e.path!);
      if (!m) continue;
      files++;
      const stamp = `${MONTHS[Number(m[3]) - 1]} ${String(Number(m[4])).padStart(2, ' ')} `;
      for (const l of bodyBytes(e).toString('utf8').split('\n')) {
        if (l === '') continue;
        assert.ok(l.startsWith(stamp), `${seed} ${e.decky.name} ${e.path}: ${l}`);
      }
    }
  }
  assert.ok(files >= 20, `only ${files} dated log writes`);
});

test.run();
