// The files a lure comes with (a repository's .git tree, a key's .pub, ~/.aws/config) were
// written by the same command just before it: each has an mtime of its own, a fraction of a
// millisecond to a few milliseconds apart, never one shared instant to the nanosecond.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../src/check/index.js';
import { sourceFromFile, sourceFromPlan } from '../src/check/source.js';
import { Materialiser } from '../src/timeline/materialise.js';
import { compareInstants, parseNanos } from '../src/util/time.js';
import { planned, serialize, withConfig, writeTemp } from './check-helpers.js';
import { LURE_CALLBACKS } from './helpers/plan.js';

const HEAVY = { canaryProbability: 0.25, canaryCapPerDecky: 8, canary: LURE_CALLBACKS };
const NS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

test('over 12 seeds: companions are older than their lure, in order, each its own instant, within a second', () => {
  let lures = 0;
  let companions = 0;
  const classes = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const t = planned(`comp-${i}`, withConfig(HEAVY, { days: 14 }));
    const m = new Materialiser();
    const want = new Map<string, string>();
    for (const e of t.events) {
      m.apply(e);
      if (e.companions === undefined) continue;
      lures++;
      classes.add(e.contentClass!);
      const times = [...e.companions.map((c) => c.mtime!), e.mtime!];
      for (const x of times) assert.match(x, NS, `${e.path}: ${x}`);
      for (let k = 1; k < times.length; k++) assert.ok(compareInstants(times[k - 1]!, times[k]!) < 0, `${e.path}: ${times[k - 1]} not before ${times[k]}`);
      const first = parseNanos(times[0]!)!;
      const lure = parseNanos(e.mtime!)!;
      const spanNs = (lure.sec - first.sec) * 1e9 + (lure.ns - first.ns);
      assert.ok(spanNs < 1e9 * Math.max(1, e.companions.length / 50), `${e.path}: ${e.companions.length} companions over ${spanNs} ns`);
      for (const c of e.companions) want.set(`${e.decky.uuid} ${c.path}`, c.mtime!);
      companions += e.companions.length;
    }
    // Materialised (what bake packs and an intruder's stat shows): each companion at its own time.
    for (const tree of m.trees()) for (const f of tree.files) {
      const w = want.get(`${tree.decky.uuid} ${f.path}`);
      if (w !== undefined) assert.is(f.mtime, w, f.path);
    }
  }
  assert.ok(lures >= 20 && companions >= lures, `${lures} lures with ${companions} companions`);
  assert.ok(classes.size >= 3, [...classes].join(', '));
});

test('check passes a heavy-canary plan, and flags a companion dated after its lure', async () => {
  const inp = withConfig(HEAVY, { days: 10 });
  const ok = await runCheck(sourceFromPlan('comp-check', inp));
  assert.equal(ok.violations.filter((v) => v.invariant !== 10), []);
  const t = planned('comp-check', inp);
  const ev = t.events.find((e) => (e.companions?.length ?? 0) > 0)!;
  assert.ok(ev, 'a lure with companions');
  const late = { ...parseNanos(ev.mtime!)! };
  ev.companions![0]!.mtime = `${new Date(late.sec * 1000 + 1000).toISOString().slice(0, 19)}.${String(late.ns).padStart(9, '0')}Z`;
  const r = await runCheck(await sourceFromFile(writeTemp(serialize(t))));
  const mine = r.violations.filter((v) => v.eventId === ev.id && v.invariant === 5);
  assert.ok(mine.some((v) => /is after the lure's/.test(v.reason)), JSON.stringify(r.violations.slice(0, 5)));
});

test.run();
