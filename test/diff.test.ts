// `diff`: identical timelines, different seeds, a one-event edit, added and removed events,
// both input forms (files and --seed/--against-seed) and the exit codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sourceFromFile, sourceFromPlan } from '../src/check/source.js';
import { diffTimelines } from '../src/diff/index.js';
import { bodyOf, inputs, parse, planText, serialize, setBody, writeTemp } from './check-helpers.js';
import { cli } from './helpers/cli.js';

const INPUTS = inputs({ days: 3 });
const TEXT = planText('diff-a', INPUTS);
const FILE_A = writeTemp(TEXT);

test('a timeline against itself: identical, exit 0', async () => {
  const r = await diffTimelines(await sourceFromFile(FILE_A), await sourceFromFile(FILE_A));
  assert.is(r.identical, true);
  assert.is(r.added + r.removed + r.changed, 0);
  assert.is(r.firstDivergence, null);
  assert.ok(r.unchanged > 100);
  const c = await cli(['diff', FILE_A, FILE_A]);
  assert.is(c.exitCode, 0, c.stderr);
  assert.match(c.stdout, /identical/);
});

test('JSON and NDJSON forms of the same plan are identical', async () => {
  const nd = writeTemp(planText('diff-a', INPUTS, 'ndjson'), 'ndjson');
  const r = await diffTimelines(await sourceFromFile(FILE_A), await sourceFromFile(nd));
  assert.is(r.identical, true);
});

test('two seeds: inputs differ, counts and events differ, exit 1', async () => {
  const b = writeTemp(planText('diff-b', INPUTS));
  const r = await diffTimelines(await sourceFromFile(FILE_A), await sourceFromFile(b));
  assert.is(r.identical, false);
  assert.is(r.inputs.same, false);
  assert.ok(r.inputs.differences.some((d) => d.field === 'seed' && d.a === 'diff-a' && d.b === 'diff-b'));
  assert.ok(r.firstDivergence !== null);
  assert.ok(r.added + r.removed + r.changed > 100);
  assert.ok(Object.keys(r.byDecky).length === 3);
  assert.is(r.events.a, parse(TEXT).events.length);
  assert.ok(r.details.added.length <= 20);
  const c = await cli(['diff', FILE_A, b, '--json']);
  assert.is(c.exitCode, 1, c.stderr);
  const j = JSON.parse(c.stdout);
  assert.is(j.identical, false);
  assert.ok(j.byClass.note);
});

test('a one-event edit is exactly one changed event, at the right index', async () => {
  const t = parse(TEXT);
  const i = t.events.findIndex((e, k) => k > t.events.length / 2 && e.contentClass === 'note');
  const ev = t.events[i]!;
  setBody(ev, bodyOf(ev) + 'one more line\n');
  const edited = writeTemp(serialize(t));
  const r = await diffTimelines(await sourceFromFile(FILE_A), await sourceFromFile(edited));
  assert.is(r.changed, 1);
  assert.is(r.added, 0);
  assert.is(r.removed, 0);
  assert.is(r.inputs.same, true);
  assert.is(r.details.changed[0]!.a.id, ev.id);
  assert.equal(r.details.changed[0]!.fields, ['content']);
  assert.is(r.firstDivergence!.indexA, i);
  assert.is(r.firstDivergence!.indexB, i);
  assert.is(r.firstDivergence!.a!.id, ev.id);
  const c = await cli(['diff', FILE_A, edited]);
  assert.is(c.exitCode, 1);
  assert.match(c.stdout, /0 added, 0 removed, 1 changed/);
  assert.match(c.stdout, /\[content\]/);
});

test('a removed event and an added event are reported as such', async () => {
  const t = parse(TEXT);
  const gone = t.events.splice(10, 1)[0]!;
  const extra = structuredClone(t.events[20]!);
  extra.at = extra.at.replace(/:(\d\d)Z$/, (_, s: string) => `:${s === '59' ? '58' : String(Number(s) + 1).padStart(2, '0')}Z`);
  extra.kind = 'quiet';
  extra.action = 'leave-alone';
  const placed = t.events.findIndex((e) => e.at > extra.at || (e.at === extra.at && e.decky.uuid > extra.decky.uuid));
  const clean = { id: 'ffffffffffffffff', at: extra.at, tick: extra.tick, decky: extra.decky, kind: 'quiet' as const, action: 'leave-alone' as const, reason: 'leave-alone' as const };
  t.events.splice(placed, 0, clean);
  const r = await diffTimelines(await sourceFromFile(FILE_A), await sourceFromFile(writeTemp(serialize(t))));
  assert.ok(r.removed >= 1 && r.details.removed.some((e) => e.id === gone.id), JSON.stringify(r.details));
  assert.ok(r.details.added.some((e) => e.id === 'ffffffffffffffff'), JSON.stringify(r.details));
  assert.is(r.firstDivergence!.a!.id, gone.id);
});

test('--seed X --against-seed Y plans both in memory; same seed is identical', async () => {
  const same = await cli(['diff', '--seed', '5', '--against-seed', '5', '--days', '1']);
  assert.is(same.exitCode, 0, same.stderr);
  const other = await cli(['diff', '--seed', '5', '--against-seed', '6', '--days', '1', '--json', '--limit', '2']);
  assert.is(other.exitCode, 1, other.stderr);
  const j = JSON.parse(other.stdout);
  assert.is(j.details.limit, 2);
  assert.ok(j.details.added.length <= 2);
  assert.ok(j.added > 2);
  const r = await diffTimelines(sourceFromPlan('5', INPUTS), sourceFromPlan('5', INPUTS));
  assert.is(r.identical, true);
});

test('bad usage and bad files exit 2 with one line', async () => {
  const truncated = writeTemp(TEXT.slice(0, TEXT.length - 200));
  for (const args of [['diff', FILE_A], ['diff', FILE_A, truncated], ['diff', FILE_A, FILE_A, '--against-seed', '3'], ['diff', FILE_A, FILE_A, '--days', '2'], ['diff', FILE_A, '/nonexistent.json']]) {
    const r = await cli(args);
    assert.is(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('large timelines stream: memory stays bounded and the detail list is capped', async () => {
  const inp = inputs({ days: 60 });
  const a = writeTemp(planText('big-a', inp), 'json');
  const b = writeTemp(planText('big-b', inp), 'json');
  const before = process.memoryUsage().heapUsed;
  const r = await diffTimelines(await sourceFromFile(a), await sourceFromFile(b), { limit: 5 });
  assert.ok(r.details.changed.length <= 5 && r.details.added.length <= 5 && r.details.removed.length <= 5);
  assert.is(r.added - r.removed, r.events.b - r.events.a);
  assert.ok(process.memoryUsage().heapUsed - before < 200 * 1024 * 1024);
});

test.run();
