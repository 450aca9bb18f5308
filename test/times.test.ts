// File times (issue 15, item 2): nanosecond mtimes drawn from the streams, planned reads as
// atimes, never before the mtime; the live writer's choice of atime and directory times.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveAtime } from '../src/live/apply.js';
import { dirModeFor, movesParent } from '../src/realism/dirs.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { compareInstants, parseNanos } from '../src/util/time.js';

function plan(seed: string, days: number): TimelineEvent[] {
  return [...planEvents(buildContext(seed, resolveInputs({ days }).inputs))];
}

const NANOS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

test('every file event has a nanosecond mtime within its second (or backdated) and an atime not before it', () => {
  for (const seed of ['1', '2', 'times', 'x9']) {
    // The tick's own writes (the machine's events keep the model's times, read by nobody).
    const files = plan(seed, 14).filter((e) => e.kind === 'file' && e.job === undefined);
    assert.ok(files.length > 200);
    const fractions = new Set<number>();
    let readLater = 0;
    const last = new Map<string, string>();
    for (const e of files) {
      assert.match(e.mtime!, NANOS);
      assert.match(e.atime!, NANOS);
      const m = parseNanos(e.mtime!)!;
      const at = Date.parse(e.at) / 1000;
      // Lures are backdated; a log's mtime is its newest line's (a tick writes out earlier lines).
      if (e.canary || e.contentClass === 'log_cron' || e.contentClass === 'log_daemon') assert.ok(m.sec <= at, `${e.id}: mtime after its event`);
      else assert.is(m.sec, at, `${e.id}: mtime not in the event's second`);
      assert.ok(compareInstants(e.atime!, e.mtime!) >= 0, `${e.id}: atime before mtime`);
      if (e.atime !== e.mtime) readLater++;
      fractions.add(m.ns);
      const key = `${e.decky.uuid} ${e.path}`;
      const prev = last.get(key);
      if (prev !== undefined) assert.ok(compareInstants(e.mtime!, prev) >= 0, `${e.id}: mtime goes back on ${e.path}`);
      last.set(key, e.mtime!);
      // a backdated lure read by its owner: the read is between its mtime and the event
      if (e.canary && e.atime !== e.mtime) assert.ok(Date.parse(e.atime!) <= Date.parse(e.at) + 1000);
    }
    // fractions are spread, not a handful of values; some files are read after they were written, most logs not
    assert.ok(fractions.size > files.length * 0.99, `${fractions.size} distinct fractions of ${files.length}`);
    const share = readLater / files.length;
    assert.ok(share > 0.15 && share < 0.8, `share of files read since: ${share}`);
  }
});

test('the same seed gives the same times; another seed other fractions', () => {
  const a = plan('same', 3).filter((e) => e.kind === 'file' && e.mtime !== undefined).map((e) => `${e.mtime} ${e.atime}`);
  const b = plan('same', 3).filter((e) => e.kind === 'file' && e.mtime !== undefined).map((e) => `${e.mtime} ${e.atime}`);
  const c = plan('other', 3).filter((e) => e.kind === 'file' && e.mtime !== undefined).map((e) => e.mtime!.slice(20));
  assert.equal(a, b);
  assert.ok(new Set(c).size > c.length * 0.99);
  assert.not.equal(a.map((s) => s.slice(20, 29)), c.slice(0, a.length));
});

test('live atime: a planned read only once the clock has passed it', () => {
  const ev = { mtime: '2026-01-05T09:00:00.100000000Z', atime: '2026-01-05T11:00:00.200000000Z', at: '2026-01-05T09:00:00Z' } as TimelineEvent;
  assert.is(liveAtime(ev, Date.parse('2026-01-05T10:00:00Z')), ev.mtime);
  assert.is(liveAtime(ev, Date.parse('2026-01-05T12:00:00Z')), ev.atime);
  assert.is(liveAtime({ ...ev, atime: '2026-01-05T08:00:00Z' }, Date.parse('2026-01-06T00:00:00Z')), ev.mtime, 'never before the mtime');
});

test('directories: private ones and homes 0700, appends leave the parent alone, lures do not move it forward', () => {
  assert.is(dirModeFor('/home/ana/.ssh'), '0700');
  assert.is(dirModeFor('/home/ana/.gnupg'), '0700');
  assert.is(dirModeFor('/home/ana/Documents'), '0755');
  assert.is(dirModeFor('/home/ana'), '0700', "a home as Debian 12's adduser makes it");
  assert.is(dirModeFor('/home'), '0755');
  assert.is(dirModeFor('/var/backups'), '0755');
  assert.ok(movesParent({ action: 'file:create', contentClass: 'note' }));
  assert.ok(movesParent({ action: 'file:edit', contentClass: 'todo' }));
  assert.not.ok(movesParent({ action: 'file:edit', contentClass: 'log_cron' }));
  assert.not.ok(movesParent({ action: 'file:create', contentClass: 'canary_ssh_key', canary: {} as never }));
});

test.run();
