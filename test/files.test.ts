// The file model's running counts of editable files must always equal a scan of the working set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileModel, type FileState, LOG_EDIT_LIMIT, USER_EDIT_LIMIT, WORKING_SET } from '../src/sim/files.js';
import { stream } from '../src/rng/stream.js';

function scan(m: FileModel, t: number, personas: Array<{ name: string }> | null): number {
  let n = 0;
  for (const f of m.editable) {
    if (f.log) n += f.bytes < LOG_EDIT_LIMIT && f.lastLogMs < t ? 1 : 0;
    else if (personas !== null && f.persona !== null && f.bytes < USER_EDIT_LIMIT && personas.some((p) => p.name === f.persona)) n++;
  }
  return n;
}

test('editableCount equals a scan through adds, evictions, growth past the limits and pruning', () => {
  const names = ['ann', 'bob', 'cy'];
  let checked = 0;
  let scans = 0;
  for (let run = 0; run < 40; run++) {
    const rng = stream('files', run);
    const m = new FileModel();
    let t = 1_000_000;
    let day = 1;
    for (let step = 0; step < 600; step++) {
      t += Math.floor(rng() * 3) * 1000; // equal times happen, as zero gaps do in the engine
      const r = rng();
      if (r < 0.45) {
        const log = rng() < 0.5;
        const date = `2026-01-${String(day).padStart(2, '0')}`;
        const path = `/x/${run}-${step}${rng() < 0.5 ? `-${date}` : ''}`;
        const f: FileState = { path, cls: log ? 'log_cron' : 'note', owner: 'root', persona: log ? null : names[Math.floor(rng() * 3)]!, mode: '0644', body: '', bytes: Math.floor(rng() * 30_000), sha256: '', log, lastLogMs: log ? t - Math.floor(rng() * 2) * 1000 : 0, writtenMs: -1, mtimeNs: -1 };
        if (!m.has(path)) m.add(path, f, date);
      } else if (r < 0.9 && m.editable.length > 0) {
        const f = m.editable[Math.floor(rng() * m.editable.length)]!;
        m.grow(f, f.bytes + Math.floor(rng() * 4000), f.log ? t - Math.floor(rng() * 3) * 1000 : 0);
      } else if (r < 0.95) {
        day = Math.min(28, day + 1);
        m.prune(`2026-01-${String(Math.max(1, day - 2)).padStart(2, '0')}`);
      }
      assert.ok(m.editable.length <= WORKING_SET);
      for (const personas of [null, [{ name: 'ann' }], [{ name: 'bob' }, { name: 'cy' }, { name: 'bob' }]]) {
        const counted = m.editableCount(t, personas);
        if (counted < 0) scans++;
        else {
          assert.is(counted, scan(m, t, personas));
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 40_000, `checked ${checked}`);
  assert.ok(scans > 5000, `scans ${scans}`); // the fall-back case is exercised too
});

test.run();
