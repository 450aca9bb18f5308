// Host facts in live runs, against the real engine: a fleet without a decky's hostname or users
// map gets them from the container before planning (recorded in the state, reused on resume);
// `run --timeline` reports containers whose hostname or logins contradict the timeline's.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { factsInvocation } from '../src/live/docker.js';
import { disagreements, humanUsers, missingFacts, withFacts } from '../src/live/facts.js';
import { cli } from './helpers/cli.js';
import { RUN_TAG, cleanup, execIn, liveEngine, startContainer, tempDir } from './helpers/docker.js';
import { PERSONAS, type Scenario, diffFiles, expectedFiles, planned, readState } from './helpers/live.js';

const unit = suite('live: host facts (no engine needed)');

unit('the facts call has the generic argv; missing facts are found in the raw fleet and filled from what the container said; disagreements name the fact', () => {
  const inv = factsInvocation({ container: 'c9', docker: null });
  assert.equal(inv.argv, ['docker', 'exec', '-i', '-u', '0', 'c9', 'sh', '-s']);
  assert.match(inv.input, /main <<'\.E\.'\nop facts\n\.E\.\n$/);
  const fleet = { deckies: [{ name: 'a' }, { name: 'b', hostname: 'b1' }, { name: 'c', hostname: 'c1', users: {} }, { name: 'd', hostname: null, users: null }] };
  assert.equal([...missingFacts(fleet)], [['a', { hostname: true, users: true }], ['b', { hostname: false, users: true }], ['d', { hostname: true, users: true }]]);
  const passwd = { root: { uid: 0, gid: 0 }, bob: { uid: 1002, gid: 1002 }, nobody: { uid: 65534, gid: 65534 }, www: { uid: 33, gid: 33 } };
  assert.equal(humanUsers(passwd), { bob: { uid: 1002, gid: 1002 } });
  const facts = new Map([
    ['a', { hostname: 'host-a', passwd }],
    ['b', { hostname: 'other', passwd }],
    ['d', { hostname: null, passwd: null, error: 'no such container' }],
  ]);
  const out = withFacts(fleet, facts) as { deckies: Array<Record<string, unknown>> };
  assert.equal(out.deckies[0], { name: 'a', hostname: 'host-a', users: { bob: { uid: 1002, gid: 1002 } } });
  assert.equal(out.deckies[1], { name: 'b', hostname: 'b1', users: { bob: { uid: 1002, gid: 1002 } } }, 'a given hostname is kept');
  assert.equal(out.deckies[2], fleet.deckies[2]);
  assert.equal(out.deckies[3], fleet.deckies[3], 'an unreadable container leaves the defaults');
  const decky = { name: 'a', uuid: 'u', hostname: 'web-01', services: ['ssh'], address: null, container: 'a-ssh', docker: null, personas: [], users: { bob: { uid: 1002, gid: 1002 }, eve: { uid: 1003, gid: 1003 }, www: { uid: 34, gid: 34 } } };
  assert.equal(disagreements(decky, { hostname: 'web-01', passwd }), [
    { decky: 'a', container: 'a-ssh', fact: 'users.eve', expected: '1003:1003', found: 'missing' },
    { decky: 'a', container: 'a-ssh', fact: 'users.www', expected: '34:34', found: '33:33' },
  ]);
  assert.equal(disagreements(decky, { hostname: 'db-9', passwd }, { hostname: true, users: false }), [{ decky: 'a', container: 'a-ssh', fact: 'hostname', expected: 'web-01', found: 'db-9' }]);
  assert.equal(disagreements(decky, { hostname: null, passwd: null, error: 'down' }), [], 'an unreadable container claims nothing');
});

unit.run();

const live = suite('live: host facts from the containers');
const PREFIX = `simtest-${RUN_TAG}-facts-`;
const enabled = await liveEngine();

if (enabled) {
  live.after(() => cleanup(PREFIX));

  live('a fleet without hostname and users: run reads them from the container, plans with them (logs name that host), records them, and a resume reuses the record', async () => {
    const dir = tempDir('facts');
    try {
      const c = `${PREFIX}a`;
      await startContainer(c, { hostname: 'ledger-07' });
      // A second human login with ids of its own, added to the image's johnsmith (1000) and alice (1001).
      await execIn(c, ['sh', '-c', 'echo "marta:x:1207:1300::/home/marta:/bin/sh" >> /etc/passwd']);
      const personas = [PERSONAS[0]!.name, PERSONAS[1]!.name];
      const fleetFile = join(dir, 'fleet.json');
      const configFile = join(dir, 'config.json');
      writeFileSync(fleetFile, JSON.stringify({ deckies: [{ name: 'fx0', services: ['ssh'], container: c, personas }], personas: PERSONAS }));
      writeFileSync(configFile, JSON.stringify({ canaryProbability: 0 }));
      const state = join(dir, 's.db');
      const args = ['run', '--fleet', fleetFile, '--config', configFile, '--seed', 'facts-1', '--start', '2026-01-05T00:00:00Z', '--days', '2', '--interval', '1800', '--state', state, '--json', '--no-progress'];
      const r = await cli(args);
      assert.is(r.exitCode, 0, r.stderr);
      const sum = JSON.parse(r.stdout);
      assert.equal(sum.hostFacts, { read: 1, unreadable: [], disagreements: [] });
      assert.match(r.stderr, /decky fx0: read from container \S+: hostname ledger-07; users alice, johnsmith, marta/);
      const users = { alice: { uid: 1001, gid: 1001 }, johnsmith: { uid: 1000, gid: 1000 }, marta: { uid: 1207, gid: 1300 } };
      const st = await readState(state);
      const rec = JSON.parse(st.rows<{ value: string }>("SELECT value FROM meta WHERE key = 'host_facts'")[0]!.value);
      const inputs = JSON.parse(st.rows<{ value: string }>("SELECT value FROM meta WHERE key = 'inputs'")[0]!.value);
      st.close();
      assert.equal(rec, { fx0: { hostname: 'ledger-07', users } });
      const shown = await cli(['state', state]);
      assert.is(shown.exitCode, 0, shown.stderr);
      assert.match(shown.stdout, /\nhost facts read from the containers: fx0: hostname ledger-07, users alice 1001:1001 johnsmith 1000:1000 marta 1207:1300\n/);
      assert.equal(JSON.parse((await cli(['state', state, '--json'])).stdout).hostFacts, rec);
      assert.is(inputs.fleet[0].hostname, 'ledger-07', 'the plan was made with the container\'s hostname');
      assert.equal(inputs.fleet[0].users, users);
      // What a fleet stating these facts plans is exactly what landed in the container.
      const stated = join(dir, 'stated.json');
      writeFileSync(stated, JSON.stringify({ deckies: [{ name: 'fx0', hostname: 'ledger-07', services: ['ssh'], container: c, personas, users }], personas: PERSONAS }));
      const s: Scenario = { dir, fleetFile: stated, configFile, state, seed: 'facts-1', start: '2026-01-05T00:00:00Z', days: 2, interval: 1800, deckies: [] };
      const events = planned(s);
      const want = expectedFiles(events).get('fx0')!;
      assert.equal(await diffFiles(c, want), []);
      const logs = [...want.keys()].filter((p) => p.startsWith('/var/log/'));
      const named = [];
      for (const p of logs) if ((await execIn(c, ['cat', p])).stdout.includes('ledger-07')) named.push(p);
      assert.ok(named.length > 0, `a planted log names the container's host (${logs.join(', ')})`);
      for (const p of logs) assert.not.ok((await execIn(c, ['cat', p])).stdout.includes(' fx0 '), `${p} does not name the decky as its host`);

      // The container changes; the resume keeps the recorded facts (same plan, state accepted).
      await execIn(c, ['sh', '-c', 'echo "newbie:x:1500:1500::/home/newbie:/bin/sh" >> /etc/passwd']);
      const again = await cli(args);
      assert.is(again.exitCode, 0, again.stderr);
      const a = JSON.parse(again.stdout);
      assert.is(a.hostFacts.read, 0, 'nothing read again');
      assert.is(a.applied, 0);
      assert.is(a.skipped, events.length);
      assert.is(a.inputsSha256, sum.inputsSha256);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  live('a container that cannot be read: the fleet\'s defaults are used and recorded (a note says so), and the resume is accepted as the same run', async () => {
    const dir = tempDir('factsgone');
    try {
      const fleetFile = join(dir, 'fleet.json');
      writeFileSync(fleetFile, JSON.stringify({ deckies: [{ name: 'gone0', services: ['ssh'], container: `${PREFIX}absent`, personas: [PERSONAS[0]!.name] }], personas: PERSONAS }));
      const state = join(dir, 's.db');
      const args = ['run', '--fleet', fleetFile, '--seed', 'facts-3', '--start', '2026-01-05T00:00:00Z', '--days', '1', '--interval', '7200', '--state', state, '--json', '--no-progress', '--timeout', '10'];
      const r = await cli(args);
      assert.is(r.exitCode, 3, r.stderr);
      const sum = JSON.parse(r.stdout);
      assert.equal(sum.hostFacts.unreadable, ['gone0']);
      assert.is(sum.hostFacts.read, 0);
      assert.match(r.stderr, /note: decky gone0: cannot read its hostname and users from container \S+ \(docker exited with code \d+: [^)]*\): the fleet's defaults are used/);
      const st = await readState(state);
      const rec = JSON.parse(st.rows<{ value: string }>("SELECT value FROM meta WHERE key = 'host_facts'")[0]!.value);
      const inputs = JSON.parse(st.rows<{ value: string }>("SELECT value FROM meta WHERE key = 'inputs'")[0]!.value);
      st.close();
      assert.equal(Object.keys(rec), ['gone0']);
      assert.is(rec.gone0.hostname, null);
      assert.type(rec.gone0.error, 'string');
      assert.is(inputs.fleet[0].hostname, 'gone0', 'the default hostname');
      assert.is(inputs.fleet[0].users, undefined);
      const again = await cli(args);
      assert.is(again.exitCode, 3, again.stderr);
      assert.is(JSON.parse(again.stdout).inputsSha256, sum.inputsSha256);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  live('run --timeline reports containers whose hostname or logins contradict the timeline (stderr, summary and --json); agreeing ones are not reported', async () => {
    const dir = tempDir('factstl');
    try {
      const ok = `${PREFIX}ok`;
      const bad = `${PREFIX}bad`;
      await startContainer(ok, { hostname: 'files-01' });
      await startContainer(bad, { hostname: 'not-what-you-said' });
      const users = { alice: { uid: 1001, gid: 1001 }, johnsmith: { uid: 1000, gid: 1000 } };
      const fleet = {
        deckies: [
          { name: 'ok0', hostname: 'files-01', services: ['ssh'], container: ok, personas: [PERSONAS[0]!.name], users },
          { name: 'bad0', hostname: 'mail-02', services: ['ssh'], container: bad, personas: [PERSONAS[0]!.name], users: { ...users, johnsmith: { uid: 1010, gid: 1000 }, kofi: { uid: 1200, gid: 1200 } } },
        ],
        personas: PERSONAS,
      };
      writeFileSync(join(dir, 'fleet.json'), JSON.stringify(fleet));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ canaryProbability: 0 }));
      const tl = join(dir, 't.ndjson');
      const p = await cli(['plan', '--seed', 'facts-2', '--fleet', join(dir, 'fleet.json'), '--config', join(dir, 'config.json'), '--start', '2026-01-05T00:00:00Z', '--days', '1', '--interval', '3600', '--format', 'ndjson', '--out', tl]);
      assert.is(p.exitCode, 0, p.stderr);
      const r = await cli(['run', '--timeline', tl, '--state', join(dir, 's.db'), '--json', '--no-progress']);
      assert.is(r.exitCode, 0, r.stderr);
      const sum = JSON.parse(r.stdout);
      assert.is(sum.hostFacts.read, 2);
      assert.equal(sum.hostFacts.disagreements, [
        { decky: 'bad0', container: bad, fact: 'hostname', expected: 'mail-02', found: 'not-what-you-said' },
        { decky: 'bad0', container: bad, fact: 'users.johnsmith', expected: '1010:1000', found: '1000:1000' },
        { decky: 'bad0', container: bad, fact: 'users.kofi', expected: '1200:1200', found: 'missing' },
      ]);
      const warn = r.stderr.split('\n').filter((l) => l.startsWith('warning: decky '));
      assert.ok(warn.includes(`warning: decky bad0: container ${bad} has hostname not-what-you-said, the timeline says mail-02: logs planted there name a host the container is not`), r.stderr);
      assert.ok(warn.some((l) => l.includes('has no login kofi')));
      assert.not.ok(warn.some((l) => l.startsWith('warning: decky ok0')), 'the agreeing decky is not reported');
      // The readable summary says it too.
      const text = await cli(['run', '--timeline', tl, '--state', join(dir, 's.db'), '--no-progress']);
      assert.is(text.exitCode, 0, text.stderr);
      assert.match(text.stdout, /host facts: 3 facts of the timeline contradicted by the containers:\n {4}bad0 \(container \S+\): hostname is not-what-you-said, the timeline says mail-02\n/);
      const lines = readFileSync(tl, 'utf8').split('\n').filter((l) => l.startsWith('{"id"')).length;
      assert.is(JSON.parse((await cli(['run', '--timeline', tl, '--state', join(dir, 's.db'), '--json', '--no-progress'])).stdout).skipped, lines);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
} else {
  live.skip('live tests skipped: no Docker engine', () => {});
}

live.run();
