// bake against the real engine: a 30-day history baked into an image (the busybox test image
// plus the layer, one flat import), a container started from it holds every planted file with
// its bytes, mode, numeric owner and nanosecond mtime, directories dated by their contents, and
// ctimes that are the image's extraction time like /bin/busybox's. A following `run` of the same
// timeline applies only what comes after the bake point, each event once.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { cli } from './helpers/cli.js';
import { IMAGE, RUN_TAG, cleanup, docker, execIn, liveEngine, startContainer, tempDir } from './helpers/docker.js';
import { PERSONAS, readState } from './helpers/live.js';

const test = suite('live: bake, start, continue');
const PREFIX = `simtest-${RUN_TAG}-bake-`;
const TAG = `simtest-${RUN_TAG}-baked:1`;
const enabled = await liveEngine();

if (enabled) {
  test.after(async () => {
    await cleanup(PREFIX);
    await docker(['rmi', '-f', TAG]);
  });

  test('bake 30 days into an image, start it, check the files, then run continues after the bake point once', async () => {
    const dir = tempDir('bake');
    try {
      const c = `${PREFIX}a`;
      const fleet = {
        deckies: [{ name: 'bk0', hostname: 'bk0', services: ['ssh'], container: c, personas: [PERSONAS[0]!.name, PERSONAS[1]!.name], users: { johnsmith: { uid: 1000, gid: 1000 }, alice: { uid: 1001, gid: 1001 } } }],
        personas: PERSONAS,
      };
      writeFileSync(join(dir, 'fleet.json'), JSON.stringify(fleet));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ canaryProbability: 0.1, canary: { httpBase: 'https://files.invalid/x', dnsZone: 'z.invalid' } }));
      const tl = join(dir, 'month.ndjson');
      let r = await cli(['plan', '--seed', 'bake-1', '--fleet', join(dir, 'fleet.json'), '--config', join(dir, 'config.json'), '--days', '31', '--interval', '1800', '--format', 'ndjson', '--out', tl]);
      assert.is(r.exitCode, 0, r.stderr);
      const until = '2026-02-04T00:00:00Z';
      const state = join(dir, 's.db');
      r = await cli(['bake', tl, '--until', until, '--out-dir', join(dir, 'layers'), '--image', TAG, '--base', IMAGE, '--state', state, '--json']);
      assert.is(r.exitCode, 0, r.stderr);
      const events = readFileSync(tl, 'utf8').split('\n').filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as TimelineEvent);
      const baked = events.filter((e) => Date.parse(e.at) <= Date.parse(until));
      const after = events.filter((e) => Date.parse(e.at) > Date.parse(until));
      assert.ok(baked.length > 1000 && after.length > 20, `${baked.length} baked, ${after.length} after`);

      await startContainer(c, { image: TAG });
      const tree = materialise(baked)[0]!;
      const paths = tree.files.map((f) => f.path);
      const script = 'for p in "$@"; do s=$(sha256sum < "$p"); printf "%s|%s\\n" "${s%% *}" "$(stat -c "%a|%u|%g|%y|%z" "$p")"; done';
      const facts: string[] = [];
      for (let i = 0; i < paths.length; i += 150) facts.push(...(await execIn(c, ['sh', '-c', script, 'sh', ...paths.slice(i, i + 150)])).stdout.trim().split('\n'));
      const ids: Record<string, number> = { root: 0, johnsmith: 1000, alice: 1001 };
      const ctimes: string[] = [];
      tree.files.forEach((f, i) => {
        const [sha, mode, uid, gid, mtime, ctime] = facts[i]!.split('|');
        assert.is(sha, f.content.sha256, f.path);
        assert.is(mode!.padStart(4, '0'), f.mode, f.path);
        assert.is(Number(uid), ids[f.owner], `${f.path} uid`);
        assert.is(Number(gid), ids[f.owner], `${f.path} gid`);
        assert.is(mtime, f.mtime.replace('T', ' ').replace('Z', ' +0000'), `${f.path} mtime`);
        ctimes.push(ctime!);
      });
      assert.ok(tree.files.some((f) => !f.mtime.endsWith('000000000Z')), 'sub-second mtimes survive');
      // Directory times follow their contents: each planted file's parent is at or after the file's create.
      const created = new Map(baked.filter((e) => e.action === 'file:create' && !e.canary).map((e) => [e.path!, e.mtime!]));
      const parents = [...new Set(tree.files.map((f) => f.path.slice(0, f.path.lastIndexOf('/'))))];
      const ds = (await execIn(c, ['stat', '-c', '%n|%y', ...parents])).stdout.trim().split('\n').map((l) => l.split('|'));
      const dirTime = new Map(ds.map(([n, y]) => [n!, y!]));
      for (const f of tree.files) {
        const made = created.get(f.path);
        if (made) assert.ok(dirTime.get(f.path.slice(0, f.path.lastIndexOf('/')))! >= made.replace('T', ' ').replace('Z', ' +0000'), `${f.path}: parent older than the file`);
      }
      // No planted-only window: the planted files' ctimes are the image's extraction time, in
      // the order a file system walk extracts them: a home's files between the base's /bin and
      // /usr, so sorting the image's files by ctime does not put the planted ones in a block of
      // their own at the end (stat's %z strings compare in time order).
      // (Not /etc: starting the container writes its hostname and hosts files there.)
      const baseEarly = (await execIn(c, ['sh', '-c', 'stat -c %z /bin/*'])).stdout.trim().split('\n');
      const baseLate = (await execIn(c, ['sh', '-c', 'stat -c %z /usr/bin/* /usr/sbin/*'])).stdout.trim().split('\n');
      assert.ok(baseLate.length > 20, 'the base image has files under /usr');
      const home = tree.files.map((f, i) => [f.path, ctimes[i]!] as const).filter(([p]) => p.startsWith('/home/'));
      const varFiles = tree.files.map((f, i) => [f.path, ctimes[i]!] as const).filter(([p]) => p.startsWith('/var/'));
      assert.ok(home.length > 20 && varFiles.length > 5, `${home.length} home files, ${varFiles.length} under /var`);
      const [earlyMax, lateMin, lateMax] = [baseEarly.reduce((a, b) => (a > b ? a : b)), baseLate.reduce((a, b) => (a < b ? a : b)), baseLate.reduce((a, b) => (a > b ? a : b))];
      for (const [p, ct] of home) assert.ok(ct >= earlyMax && ct <= lateMin, `${p}: ctime ${ct} not between the base's /bin (${earlyMax}) and /usr (${lateMin})`);
      for (const [p, ct] of varFiles) assert.ok(ct >= lateMax, `${p}: ctime ${ct} before the base's /usr (${lateMax})`);
      const all = [...ctimes, ...baseEarly, ...baseLate].map((x) => Date.parse(x.slice(0, 19).replace(' ', 'T') + 'Z'));
      assert.ok(Math.max(...all) - Math.min(...all) <= 60_000, `ctimes span ${Math.max(...all) - Math.min(...all)} ms: one extraction`);

      // run continues from the bake point: only the later events, each once.
      r = await cli(['run', '--timeline', tl, '--state', state, '--pace', '4000', '--json', '--no-progress', '--allow-test-callbacks']);
      assert.is(r.exitCode, 0, r.stderr);
      const sum = JSON.parse(r.stdout);
      assert.is(sum.skipped, baked.length);
      assert.is(sum.applied + sum.quiet, after.length);
      const st = await readState(state);
      const rows = st.rows<{ event_id: string; status: string; at: string }>('SELECT event_id, status, at FROM applied_events');
      // Exactly-once bookkeeping is the per-decky cursor (the history keeps rows for operators only).
      const applied = st.rows<{ n: number }>('SELECT SUM(applied + diverged + skipped) AS n FROM decky_cursor')[0]!.n;
      st.close();
      const byId = new Map(rows.map((x) => [x.event_id, x]));
      // History rows older than the retention window (--history, 7 days) are gone; those kept say what happened.
      const bakedIds = new Set(baked.map((e) => e.id));
      assert.ok(rows.length > 0 && rows.every((x) => (bakedIds.has(x.event_id) ? x.status === 'baked' : x.status === 'applied')));
      assert.ok(after.every((e) => byId.get(e.id) === undefined || byId.get(e.id)!.status === 'applied'));
      assert.is(applied, after.length, 'the run applied each later event once and no baked one');
      r = await cli(['run', '--timeline', tl, '--state', state, '--json', '--no-progress', '--allow-test-callbacks']);
      assert.is(r.exitCode, 0, r.stderr);
      assert.is(JSON.parse(r.stdout).applied, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('run --timeline F --until T, then run --timeline F: each event once; a file changed in between is kept and recorded as a divergence; --from skips', async () => {
    const dir = tempDir('window');
    try {
      const c = `${PREFIX}w`;
      await startContainer(c);
      const fleet = { deckies: [{ name: 'w0', hostname: 'w0', services: ['ssh'], container: c, personas: [PERSONAS[0]!.name] }], personas: PERSONAS };
      writeFileSync(join(dir, 'fleet.json'), JSON.stringify(fleet));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ canaryProbability: 0 }));
      const tl = join(dir, 't.ndjson');
      let r = await cli(['plan', '--seed', 'window-1', '--fleet', join(dir, 'fleet.json'), '--config', join(dir, 'config.json'), '--days', '3', '--interval', '1800', '--format', 'ndjson', '--out', tl]);
      assert.is(r.exitCode, 0, r.stderr);
      const events = readFileSync(tl, 'utf8').split('\n').filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as TimelineEvent);
      // The window ends just before the first edit of a user file (created earlier).
      const target = events.find((e) => e.action === 'file:edit' && !/^\/var\/log/.test(e.path!))!;
      assert.ok(target, 'a user file edited within the timeline');
      const T = Date.parse(target.at) - 1000;
      const until = new Date(T).toISOString().replace('.000Z', 'Z');
      assert.ok(events.some((x) => x.action === 'file:create' && x.path === target.path && Date.parse(x.at) <= T));
      const state = join(dir, 's.db');
      r = await cli(['run', '--timeline', tl, '--until', until, '--state', state, '--json', '--no-progress']);
      assert.is(r.exitCode, 0, r.stderr);
      const first = JSON.parse(r.stdout);
      const before = events.filter((e) => Date.parse(e.at) <= T);
      assert.is(first.applied + first.quiet, before.length);
      // An intruder changes the file between the two runs.
      await execIn(c, ['sh', '-c', 'printf "changed by hand\\n" >> "$1"', 'sh', target.path!]);
      const kept = (await execIn(c, ['cat', target.path!])).stdout;
      r = await cli(['run', '--timeline', tl, '--state', state, '--json', '--no-progress']);
      const second = JSON.parse(r.stdout);
      assert.is(second.skipped, before.length);
      assert.is(second.applied + second.diverged + second.quiet, events.length - before.length);
      assert.ok(second.diverged >= 1);
      assert.is((await execIn(c, ['cat', target.path!])).stdout, kept, 'the changed file is kept as it is');
      const st = await readState(state);
      const div = st.rows<{ event_id: string }>('SELECT event_id FROM divergences');
      const rows = st.rows<{ n: number }>('SELECT SUM(applied + diverged + skipped) AS n FROM decky_cursor')[0]!.n;
      st.close();
      assert.ok(div.some((d) => d.event_id === target.id), 'the divergence names the edit that was not made');
      assert.is(rows, events.length, 'one row per event: none applied twice');

      // --from on a fresh state: the earlier events are recorded as skipped and never applied.
      const s2 = join(dir, 's2.db');
      r = await cli(['run', '--timeline', tl, '--from', '2026-01-07T00:00:00Z', '--until', '2026-01-07T06:00:00Z', '--state', s2, '--json', '--no-progress']);
      const w = JSON.parse(r.stdout);
      const early = events.filter((e) => Date.parse(e.at) < Date.parse('2026-01-07T00:00:00Z'));
      assert.is(w.outsideWindow, early.length);
      const st2 = await readState(s2);
      const sk = st2.rows<{ n: number }>("SELECT COUNT(*) AS n FROM applied_events WHERE status = 'skipped'")[0]!.n;
      st2.close();
      assert.is(sk, early.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
} else {
  test.skip('live tests skipped: no Docker engine', () => {});
}

test.run();
