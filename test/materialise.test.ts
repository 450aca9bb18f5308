// The materialiser: a timeline's events leave a file tree per decky (final bodies, modes,
// owners, mtimes); renames move files with their mtime, deletes remove them, and events that
// cannot happen on the tree are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MaterialiseError, Materialiser, bodyOf, materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { sha256Hex } from '../src/util/hash.js';
import { inputs, planned } from './check-helpers.js';

const D = { uuid: 'u-1', name: 'web-01' };
const E = { uuid: 'u-2', name: 'db-01' };
let n = 0;

function ev(decky: { uuid: string; name: string }, action: TimelineEvent['action'], path: string, extra: Partial<TimelineEvent> = {}): TimelineEvent {
  n++;
  return { id: `e${n}`, at: `2026-01-05T10:00:${String(n).padStart(2, '0')}Z`, tick: n, decky, kind: 'file', action, topic: `orchestrator.file.${decky.uuid}`, path, ...extra };
}

function text(body: string, mtime: string, cls: TimelineEvent['contentClass'] = 'note', mode = '0644', owner = 'alice'): Partial<TimelineEvent> {
  return { contentClass: cls, mode, owner, mtime, content: { encoding: 'utf8', data: body, bytes: Buffer.byteLength(body), sha256: sha256Hex(body) } };
}

test('creates, edits, renames and deletes leave the final tree per decky', () => {
  const events = [
    ev(D, 'file:create', '/home/alice/notes.txt', text('one\n', '2026-01-05T09:00:00Z')),
    ev(E, 'file:create', '/var/log/syslog', text('a\n', '2026-01-05T09:30:00Z', 'log_daemon', '0640', 'root')),
    ev(D, 'file:edit', '/home/alice/notes.txt', text('one\ntwo\n', '2026-01-05T09:10:00Z')),
    ev(E, 'file:rename', '/var/log/syslog', { contentClass: 'log_daemon', to: '/var/log/syslog.1' }),
    ev(E, 'file:create', '/var/log/syslog', text('', '2026-01-05T10:00:00Z', 'log_daemon', '0640', 'root')),
    ev(D, 'file:create', '/tmp/sess_x', text('s', '2026-01-05T09:20:00Z', 'cache_tmp', '0600', 'root')),
    ev(D, 'file:delete', '/tmp/sess_x', { contentClass: 'cache_tmp' }),
    { id: 'q', at: '2026-01-05T11:00:00Z', tick: 99, decky: D, kind: 'quiet', action: 'leave-alone', reason: 'off-hours' } as TimelineEvent,
  ];
  const trees = materialise(events);
  assert.equal(trees.map((t) => t.decky.name), ['web-01', 'db-01']);
  const [web, db] = trees;
  assert.equal(web!.files.map((f) => f.path), ['/home/alice/notes.txt']);
  assert.is(bodyOf(web!.files[0]!.content).toString(), 'one\ntwo\n');
  assert.is(web!.files[0]!.mtime, '2026-01-05T09:10:00Z');
  assert.is(web!.files[0]!.owner, 'alice');
  assert.equal(db!.files.map((f) => f.path), ['/var/log/syslog', '/var/log/syslog.1']);
  const rotated = db!.files[1]!;
  assert.is(bodyOf(rotated.content).toString(), 'a\n');
  assert.is(rotated.mtime, '2026-01-05T09:30:00Z', 'a rename keeps the mtime');
  assert.is(rotated.mode, '0640');
  assert.is(db!.files[0]!.content.bytes, 0);
});

test('events that cannot happen on the tree are refused with the event id', () => {
  const bad: TimelineEvent[][] = [
    [ev(D, 'file:edit', '/a', text('x', '2026-01-05T09:00:00Z'))],
    [ev(D, 'file:rename', '/a', { to: '/b' })],
    [ev(D, 'file:delete', '/a')],
    [ev(D, 'file:create', '/a', text('x', '2026-01-05T09:00:00Z')), ev(D, 'file:create', '/a', text('y', '2026-01-05T09:00:00Z'))],
    [ev(D, 'file:create', '/a', text('x', '2026-01-05T09:00:00Z')), ev(D, 'file:create', '/b', text('y', '2026-01-05T09:00:00Z')), ev(D, 'file:rename', '/a', { to: '/b' })],
  ];
  for (const events of bad) {
    const m = new Materialiser();
    const last = events[events.length - 1]!;
    try {
      for (const e of events) m.apply(e);
      assert.unreachable(`${last.action} should be refused`);
    } catch (err) {
      assert.instance(err, MaterialiseError);
      assert.match((err as Error).message, last.id);
    }
  }
});

test('a planned week materialises: every file holds its last event body, hashes match', () => {
  const t = planned('mat', inputs({ days: 7 }));
  const last = new Map<string, TimelineEvent>();
  const m = new Materialiser();
  for (const e of t.events) {
    m.apply(e);
    if (e.kind !== 'file') continue;
    const key = `${e.decky.uuid} ${e.path}`;
    if (e.action === 'file:create' || e.action === 'file:edit') {
      last.set(key, e);
      // A lure's companions (a .pub, ~/.aws/config, a project's files) carry their own mtimes.
      for (const c of e.companions ?? []) last.set(`${e.decky.uuid} ${c.path}`, { ...e, path: c.path, content: c.content, mtime: c.mtime });
    } else {
      const moved = last.get(key);
      last.delete(key);
      if (e.action === 'file:rename' && moved) last.set(`${e.decky.uuid} ${e.to}`, moved);
    }
  }
  let files = 0;
  for (const tree of m.trees()) {
    for (const f of tree.files) {
      files++;
      const e = last.get(`${tree.decky.uuid} ${f.path}`);
      assert.ok(e, `${f.path} has a last event`);
      assert.is(sha256Hex(bodyOf(f.content)), e!.content!.sha256);
      assert.is(f.mtime, e!.mtime);
    }
  }
  assert.is(files, last.size);
  assert.ok(files > 50, `${files} files`);
});

test.run();
