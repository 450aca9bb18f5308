// Path helpers: the hand-written date finder must agree with the regular expression it replaces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pathDate } from '../src/realism/paths.js';
import { stream } from '../src/rng/stream.js';

const DATE = /\d{4}-\d{2}-\d{2}/;

test('pathDate finds what /\\d{4}-\\d{2}-\\d{2}/ finds, on random and real-looking paths', () => {
  const rng = stream('path-date');
  const alphabet = '0123456789-/a.';
  let found = 0;
  for (let k = 0; k < 20000; k++) {
    let s = k % 4 === 0 ? `/home/u${k}/notes/meeting-2026-0${1 + (k % 9)}-1${k % 10}.md` : '';
    const n = Math.floor(rng() * 30);
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
    const want = DATE.exec(s)?.[0] ?? null;
    assert.is(pathDate(s), want, s);
    if (want !== null) found++;
  }
  assert.ok(found > 5000);
  assert.is(pathDate('/var/log/syslog'), null);
  assert.is(pathDate('/x/1999-12-31-2000-01-01.log'), '1999-12-31');
});

test.run();
