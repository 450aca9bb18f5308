// The template encoder must give exactly JSON.stringify's bytes, for every kind of event.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeEvent } from '../src/timeline/encode.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { eventsFor } from './helpers/plan.js';

test('encodeEvent equals JSON.stringify over many seeds, heavy canaries included', () => {
  let n = 0;
  for (let i = 0; i < 12; i++) {
    const config = i % 3 === 0 ? { file: 'c.json', data: { canaryProbability: 0.5, canaryCapPerDecky: 20 } } : undefined;
    for (const e of eventsFor(`enc-${i}`, { days: 3, config })) {
      assert.is(encodeEvent(e), JSON.stringify(e));
      n++;
    }
  }
  assert.ok(n > 5000);
});

test('events with other keys or odd values fall back to JSON.stringify', () => {
  const [e] = eventsFor('odd', { days: 1 }).filter((x) => x.kind === 'file');
  const odd: Array<Record<string, unknown>> = [
    { ...e, extra: 1 },
    { extra: 1, ...e },
    { ...e, id: 'a"b' },
    { ...e, path: '/tmp/a "quoted"\nname' },
    { ...e, content: { ...e!.content, note: 'x' } },
  ];
  for (const o of odd) assert.is(encodeEvent(o as unknown as TimelineEvent), JSON.stringify(o));
});

test('traffic and quiet events with other keys or odd values fall back to JSON.stringify', () => {
  const all = eventsFor('odd2', { days: 2 });
  for (const kind of ['traffic', 'quiet'] as const) {
    const e = all.find((x) => x.kind === kind)!;
    const odd: Array<Record<string, unknown>> = [{ ...e, extra: 1 }, { extra: 1, ...e }, { ...e, id: 'a"b' }, { ...e, tick: 1.5 }, { ...e, action: 'x"y' }, { ...e, decky: { ...e.decky, name: 'q"' } }, { ...e, topic: 'a"b' }];
    if (e.traffic) odd.push({ ...e, traffic: { ...e.traffic, port: 22.5 } }, { ...e, traffic: { dst: e.traffic.dst, src: e.traffic.src, port: 22 } }, { ...e, traffic: { ...e.traffic, extra: 1 } }, { ...e, traffic: { ...e.traffic, dst: { ...e.traffic.dst, name: 'x\\y' } } });
    for (const o of odd) assert.is(encodeEvent(o as unknown as TimelineEvent), JSON.stringify(o));
  }
});

test.run();
