// A reboot as dmesg and syslog show it: the kernel's first lines carry uptime 0, and uptimes never
// go back within a boot; over 60-day plans of several seeds, so that deckies reboot in the horizon.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyBytes, eventsFor } from './helpers/plan.js';

test('kernel lines of a boot: uptime 0 first, then ascending (4 seeds x 60 days)', () => {
  let boots = 0;
  for (const seed of ['boot-1', 'boot-2', 'boot-3', 'boot-4']) {
    const seen = new Map<string, number>();
    for (const e of eventsFor(seed, { days: 60 })) {
      if (e.kind !== 'file' || e.path !== '/var/log/syslog' || !e.content || e.job === 'history') continue;
      const body = bodyBytes(e).toString('utf8');
      const from = e.action === 'file:edit' ? (seen.get(e.decky.uuid) ?? 0) : 0;
      seen.set(e.decky.uuid, body.length);
      let last = -1;
      for (const line of body.slice(from).split('\n')) {
        const k = / kernel: \[\s*(\d+\.\d{6})\] (.*)$/.exec(line);
        if (!k) continue;
        const up = Number(k[1]);
        if (k[2]!.startsWith('Linux version')) {
          boots++;
          assert.is(up, 0, line);
        } else if (last >= 0) assert.ok(up >= last, `${seed} ${e.decky.name}: uptime ${up} after ${last}: ${line}`);
        last = up;
      }
    }
  }
  assert.ok(boots >= 2, `only ${boots} reboots in the horizons`);
});

test.run();
