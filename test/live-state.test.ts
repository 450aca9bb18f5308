// The state database without Docker: journal replay after a crash, a torn last line, a stale
// journal, the lock, identity refusal; fleet discover's mapping with a fake docker.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../src/errors.js';
import type { ExecResult, Runner } from '../src/live/docker.js';
import { deckyNameOf, discoverFleet } from '../src/live/discover.js';
import { LiveState } from '../src/state/records.js';
import { StateStore } from '../src/state/store.js';
import { tempDir } from './helpers/docker.js';

const test = suite('live: state store and discover (no engine needed)');
async function rejects(p: Promise<unknown>, ok: (e: Error) => boolean): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(ok(e as Error), (e as Error).message);
    return;
  }
  assert.unreachable('expected a rejection');
}

const ev = (id: string) => ({ id, at: '2026-01-05T10:00:00Z', tick: 1, decky: { uuid: 'u1', name: 'd1' }, kind: 'quiet' as const, action: 'leave-alone' as const });

test('every committed group survives a crash (journal), a torn line is ignored, a stale journal is not replayed', async () => {
  const dir = tempDir('state');
  try {
    const file = join(dir, 's.db');
    const s1 = await StateStore.open(file);
    const st = new LiveState(s1, () => 0);
    st.record(ev('e1'), 'applied', [st.eventOp(ev('e1'), 'applied', null)]);
    s1.save();
    st.record(ev('e2'), 'applied', [st.eventOp(ev('e2'), 'applied', null)]);
    st.record(ev('e3'), 'applied', [st.eventOp(ev('e3'), 'applied', null)]);
    // "kill -9": no save, no unlock. A torn group at the end of the journal.
    appendFileSync(s1.journalFile, '[["INSERT INTO applied_events');
    const snapshot = { db: readFileSync(file), journal: readFileSync(s1.journalFile) };
    assert.ok(existsSync(s1.lockFile));
    const s2 = await StateStore.open(file); // the dead lock (our own pid here) is taken over
    const st2 = new LiveState(s2, () => 0);
    assert.ok(st2.isDone('e1') && st2.isDone('e2') && st2.isDone('e3'));
    assert.is(st2.doneCount, 3);
    s2.close();
    // A crash between the database rename and the journal reset: the old journal must not be
    // applied on top of the newer database (it would count e2/e3 twice).
    const s3 = await StateStore.open(file);
    const st3 = new LiveState(s3, () => 0);
    st3.record(ev('e4'), 'failed', [st3.eventOp(ev('e4'), 'failed', 'boom')]);
    s3.close();
    writeFileSync(s3.journalFile, snapshot.journal); // journal of an older save
    const s4 = await StateStore.open(file);
    const rows = s4.all<{ event_id: string; attempts: number; status: string }>('SELECT event_id, attempts, status FROM applied_events ORDER BY event_id');
    assert.equal(rows.map((r) => [r.event_id, r.attempts, r.status]), [['e1', 1, 'applied'], ['e2', 1, 'applied'], ['e3', 1, 'applied'], ['e4', 1, 'failed']]);
    s4.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live lock refuses a second run; a state of other inputs is refused unless forced; garbage is exit 2', async () => {
  const dir = tempDir('lock');
  try {
    const file = join(dir, 's.db');
    const a = await StateStore.open(file);
    writeFileSync(a.lockFile, '1\n'); // pid 1 is alive
    await rejects(StateStore.open(file), (e: Error) => e instanceof InputError && /in use by another run \(pid 1\)/.test(e.message));
    writeFileSync(a.lockFile, `${process.pid}\n`);
    const st = new LiveState(a, () => 0);
    const id = { seed: '1', inputsSha256: 'a'.repeat(64), source: 'plan', start: 's', end: 'e', inputs: '{}' };
    st.bind(id, false);
    assert.throws(() => st.bind({ ...id, seed: '2' }, false), (e: Error) => e instanceof InputError && /belongs to another run/.test(e.message));
    assert.equal(st.bind({ ...id, seed: '2' }, true), { adopted: true });
    a.close();
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all');
    await rejects(StateStore.open(junk), (e: Error) => e instanceof InputError && /not a decnet-sim state database/.test(e.message));
    assert.is(readFileSync(junk, 'utf8'), 'not sqlite at all');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fleet discover maps names, hostnames and addresses; filters by name pattern', async () => {
  const calls: string[][] = [];
  const runner: Runner = async (argv): Promise<ExecResult> => {
    calls.push(argv);
    if (argv[1] === 'ps') {
      return {
        exitCode: 0,
        timedOut: false,
        stderr: '',
        stdout: [{ ID: 'id1', Names: 'web-01-ssh' }, { ID: 'id2', Names: 'db-01' }, { ID: 'id3', Names: 'unrelated' }].map((r) => JSON.stringify(r)).join('\n') + '\n',
      };
    }
    return {
      exitCode: 0,
      timedOut: false,
      stderr: '',
      stdout: JSON.stringify([
        { Name: '/web-01-ssh', Config: { Hostname: 'web-01' }, NetworkSettings: { Networks: { zeta: { IPAddress: '' }, alpha: { IPAddress: '172.30.0.11' } } } },
        { Name: '/db-01', Config: { Hostname: 'db' }, NetworkSettings: { IPAddress: '', Networks: {} } },
      ]),
    };
  };
  const r = await discoverFleet({ namePattern: '-01', labels: ['role=decky'], runner });
  assert.equal(calls[0], ['docker', 'ps', '--no-trunc', '--format', '{{json .}}', '--filter', 'label=role=decky']);
  assert.equal(calls[1], ['docker', 'inspect', '--type', 'container', 'id2', 'id1']);
  assert.equal(r.fleet.deckies, [
    { name: 'db-01', hostname: 'db', services: ['ssh'], container: 'db-01' },
    { name: 'web-01', hostname: 'web-01', services: ['ssh'], address: '172.30.0.11', container: 'web-01-ssh' },
  ]);
  assert.equal(r.warnings, ['db-01: no network address (traffic to it is not planned)']);
  assert.is(deckyNameOf('-odd name!-ssh'), 'odd-name-');
  await rejects(discoverFleet({ runner }), (e: Error) => e instanceof InputError);
  await rejects(discoverFleet({ labels: ['a b'], runner }), (e: Error) => e instanceof InputError);
});

test.run();
