// Two Docker engines driven in one run (a decky's `docker` field), and `fleet discover`.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from './helpers/cli.js';
import { RUN_TAG, SECOND_HOST, cleanup, docker, liveEngine, secondEngine, startContainer, tempDir } from './helpers/docker.js';
import { diffFiles, expectedFiles, planned, presentCount, readState, runArgs, scenario } from './helpers/live.js';

const test = suite('live: two engines, fleet discover');
const PREFIX = `simtest-${RUN_TAG}-ep-`;
const one = await liveEngine();
const two = one && (await secondEngine());
const dirs: string[] = [];

if (one) {
  test.after(async () => {
    await cleanup(PREFIX);
    if (two) await cleanup(PREFIX, SECOND_HOST);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('fleet discover: running test containers become deckies (name, hostname, container)', async () => {
    await startContainer(`${PREFIX}disc-web-ssh`, { hostname: 'web-07' });
    await startContainer(`${PREFIX}disc-db`, { hostname: 'db-02' });
    const r = await cli(['fleet', 'discover', '--label', 'simtest=1', '--name-pattern', `^${PREFIX}disc-`]);
    assert.is(r.exitCode, 0, r.stderr);
    const fleet = JSON.parse(r.stdout);
    // Host facts come from inside each container: its hostname and the human logins of its
    // /etc/passwd (the test image has johnsmith 1000 "John Smith" and alice 1001).
    const users = { alice: { uid: 1001, gid: 1001 }, johnsmith: { uid: 1000, gid: 1000 } };
    assert.equal(fleet.deckies, [
      { name: `${PREFIX}disc-db`, hostname: 'db-02', services: ['ssh'], container: `${PREFIX}disc-db`, personas: ['alice', 'John Smith'], users },
      { name: `${PREFIX}disc-web`, hostname: 'web-07', services: ['ssh'], container: `${PREFIX}disc-web-ssh`, personas: ['alice', 'John Smith'], users },
    ]);
    assert.equal(fleet.personas, [{ name: 'alice', login: 'alice' }, { name: 'John Smith', login: 'johnsmith' }]);
    const noFacts = await cli(['fleet', 'discover', '--label', 'simtest=1', '--name-pattern', `^${PREFIX}disc-`, '--no-facts']);
    assert.is(noFacts.exitCode, 0, noFacts.stderr);
    assert.equal(JSON.parse(noFacts.stdout).deckies.map((d: Record<string, unknown>) => Object.keys(d)), [['name', 'hostname', 'services', 'container'], ['name', 'hostname', 'services', 'container']]);
    // The output is a valid fleet: plan accepts it.
    const dir = tempDir('disc');
    dirs.push(dir);
    writeFileSync(join(dir, 'fleet.json'), r.stdout);
    const p = await cli(['plan', '--fleet', join(dir, 'fleet.json'), '--days', '1']);
    assert.is(p.exitCode, 0, p.stderr);
    const none = await cli(['fleet', 'discover', '--name-pattern', '^no-such-container-anywhere$']);
    assert.is(none.exitCode, 3);
    assert.is(none.stdout, '', 'no empty fleet on stdout');
    assert.match(none.stderr, /^error: no running container matches.*nothing written/m);
    const noneFile = join(dir, 'none.json');
    const noneOut = await cli(['fleet', 'discover', '--name-pattern', '^no-such-container-anywhere$', '--out', noneFile]);
    assert.is(noneOut.exitCode, 3);
    assert.not.ok(existsSync(noneFile), 'no empty fleet file');
    const bad = await cli(['fleet', 'discover', '--name-pattern', '(']);
    assert.is(bad.exitCode, 2);
  });

  if (two) {
    test('deckies on two Docker engines in one run (docker: unix:///run/simtest2.sock)', async () => {
      const dir = tempDir('ep');
      dirs.push(dir);
      const local = `${PREFIX}local`;
      const remote = `${PREFIX}remote`;
      await startContainer(local);
      await startContainer(remote, { host: SECOND_HOST });
      // The remote container's name does not exist on the first engine: only -H reaches it.
      assert.is.not((await docker(['inspect', remote])).exitCode, 0);
      const s = scenario(dir, [
        { name: 'e0', container: local },
        { name: 'e1', container: remote, docker: SECOND_HOST },
      ], { seed: 'live-ep', days: 1 });
      const events = planned(s);
      const r = await cli(runArgs(s));
      assert.is(r.exitCode, 0, r.stderr + r.stdout);
      const sum = JSON.parse(r.stdout);
      assert.is(sum.applied + sum.quiet, events.length);
      const want = expectedFiles(events);
      assert.ok((want.get('e1')?.size ?? 0) > 0 && (want.get('e0')?.size ?? 0) > 0);
      assert.equal(await diffFiles(local, want.get('e0')!), []);
      assert.equal(await diffFiles(remote, want.get('e1')!, SECOND_HOST), []);
      const st = await readState(s.state);
      const files = st.rows<{ decky: string; n: number }>('SELECT decky, COUNT(*) AS n FROM synthetic_files GROUP BY decky ORDER BY decky');
      st.close();
      assert.equal(files, [{ decky: 'e0', n: presentCount(want, 'e0') }, { decky: 'e1', n: presentCount(want, 'e1') }]);
      // A dry run against the finished state prints nothing; against a fresh one, every call.
      const done = await cli(runArgs(s, ['--dry-run']));
      assert.is(done.stdout, '');
      const dry = await cli(runArgs({ ...s, state: join(dir, 'fresh.db') }, ['--dry-run']));
      const lines = dry.stdout.trim().split('\n').map((l) => JSON.parse(l));
      for (const l of lines.filter((x) => x.argv)) {
        if (l.decky === 'e1') assert.equal(l.argv.slice(0, 4), ['docker', '-H', SECOND_HOST, 'exec']);
        else assert.equal(l.argv.slice(0, 2), ['docker', 'exec']);
      }
    });
  } else {
    test.skip('two-endpoint test skipped: no second engine', () => {});
  }
} else {
  test.skip('live tests skipped: no Docker engine', () => {});
}

test.run();
