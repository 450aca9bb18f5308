// A backup copy of a lure (`credentials.bak`, `credentials.old`) is older than the file it
// copies, over many seeds with AWS credential lures made common.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventsFor, LURE_CALLBACKS } from './helpers/plan.js';

test('.bak and .old lures are dated before the live file beside them, 12 seeds', () => {
  const config = { file: 'lures.json', data: { canaryProbability: 1, canaryCapPerDecky: 12, canary: LURE_CALLBACKS, weights: { canary: { canary_aws_creds: 1 } } } };
  let pairs = 0;
  for (let i = 0; i < 12; i++) {
    const live = new Map<string, number>();
    const copies: Array<{ key: string; ms: number; path: string }> = [];
    for (const e of eventsFor(`bak-${i}`, { config, days: 10 })) {
      if (e.action !== 'file:create' || e.contentClass !== 'canary_aws_creds') continue;
      const key = `${e.decky.uuid} ${e.path!.replace(/\.(bak|old)$/, '')}`;
      const ms = Date.parse(e.mtime!);
      if (/\.(bak|old)$/.test(e.path!)) copies.push({ key, ms, path: `${e.decky.name}:${e.path}` });
      else live.set(key, ms);
    }
    for (const c of copies) {
      const l = live.get(c.key);
      if (l === undefined) continue;
      pairs++;
      assert.ok(c.ms < l, `bak-${i} ${c.path}: ${new Date(c.ms).toISOString()} is not before the live file's ${new Date(l).toISOString()}`);
    }
  }
  assert.ok(pairs >= 10, `only ${pairs} copies beside a live file`);
});

test.run();
