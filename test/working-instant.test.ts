// Backdated instants (the homes' pre-history, lures' ages) fall inside the persona's working
// time, also for personas who work few days a week and are away for weeks: every result of
// workingInstant lies in a window of the persona's calendar (holidays and days away included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { workingInstant } from '../src/machine/home-history.js';
import { fastStream } from '../src/rng/stream.js';
import { PersonaCalendar } from '../src/sim/schedule.js';

const DAY = 86_400_000;
const FLEET = JSON.parse(readFileSync(new URL('../../fixtures/multi-tz-fleet.json', import.meta.url), 'utf8')) as {
  personas: Array<{ name: string; active_hours: string; timezone: string; workdays?: string[]; country?: string }>;
};

test('every backdated instant is inside a working window, over 12 seeds x the multi-zone personas', () => {
  const start = Date.parse('2026-01-05T00:00:00Z');
  let n = 0;
  for (let s = 0; s < 12; s++) {
    const seed = s === 0 ? 'tzz' : `wi-${s}`;
    for (const p of FLEET.personas) {
      const cal = new PersonaCalendar({ ...p, workdays: (p.workdays ?? ['mon', 'tue', 'wed', 'thu', 'fri']) as never }, { seed });
      const r = fastStream('working-instant-test', seed, p.name);
      for (let i = 0; i < 150; i++) {
        const age = Math.floor(r() * 300 * DAY);
        const notAfter = start - 3_600_000;
        const t = workingInstant(cal, start - age, r, notAfter);
        assert.ok(t <= notAfter, `${seed} ${p.name}: ${new Date(t).toISOString()} after ${new Date(notAfter).toISOString()}`);
        const d = Math.floor(t / DAY);
        let inside = false;
        for (let k = d - 1; k <= d + 1 && !inside; k++) {
          const iv = cal.interval(k);
          inside = iv !== null && t >= iv[0] && t < iv[1];
        }
        assert.ok(inside, `${seed} ${p.name}: ${new Date(t).toISOString()} (target ${new Date(start - age).toISOString()}) is outside the working windows`);
        n++;
      }
    }
  }
  assert.ok(n >= 12 * 7 * 150);
});

test.run();
