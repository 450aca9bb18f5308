// The state database without Docker: journal replay after a crash, a torn last line, a stale
// journal, the lock, identity refusal; fleet discover's mapping with a fake docker.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../src/errors.js';
import type { ExecResult, Runner } from '../src/live/docker.js';
import { deckyNameOf, discoverFleet } from '../src/live/discover.js';
import { LiveState } from '../src/state/records.js';
import { StateStore, processStart } from '../src/state/store.js';
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

const ev = (id: string, tick = Number(id.slice(1))) => ({ id, at: '2026-01-05T10:00:00Z', tick, decky: { uuid: 'u1', name: 'd1' }, kind: 'quiet' as const, action: 'leave-alone' as const });

test('every committed group survives a crash (journal), a torn last line is ignored, a stale journal is not replayed', async () => {
  const dir = tempDir('state');
  try {
    const file = join(dir, 's.db');
    const s1 = await StateStore.open(file);
    const st = new LiveState(s1, () => 0);
    st.record(ev('e1'), 'applied', [st.eventOp(ev('e1'), 'applied', null)]);
    s1.save();
    st.record(ev('e2'), 'applied', [st.eventOp(ev('e2'), 'applied', null)]);
    st.record(ev('e3'), 'applied', [st.eventOp(ev('e3'), 'applied', null)]);
    // "kill -9": no save, no unlock. A torn group at the end of the journal (no newline).
    appendFileSync(s1.journalFile, '{"ops":[{"t":"event"');
    const snapshot = { db: readFileSync(file), journal: readFileSync(s1.journalFile) };
    assert.ok(existsSync(s1.lockFile));
    writeFileSync(s1.lockFile, JSON.stringify({ pid: 999_999_999, start: '1' }) + '\n'); // a dead owner
    const s2 = await StateStore.open(file);
    const st2 = new LiveState(s2, () => 0);
    assert.ok(st2.isDone(ev('e1')) && st2.isDone(ev('e2')) && st2.isDone(ev('e3')));
    assert.not.ok(st2.isDone(ev('e4')));
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
    assert.equal(s4.get('SELECT applied, failed, tick FROM decky_cursor'), { applied: 3, failed: 1, tick: 3 });
    s4.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a tampered journal (edited, SQL put in, a checksum fixed up wrong, a line removed) is refused with exit 2; nothing is applied', async () => {
  const dir = tempDir('journal');
  try {
    const file = join(dir, 's.db');
    const s1 = await StateStore.open(file);
    const st = new LiveState(s1, () => 0);
    for (const id of ['e1', 'e2', 'e3']) st.record(ev(id), 'applied', [st.eventOp(ev(id), 'applied', null)]);
    const journal = readFileSync(s1.journalFile, 'utf8');
    const lock = readFileSync(s1.lockFile, 'utf8');
    s1.close({ save: false });
    writeFileSync(s1.lockFile, lock.replace(/"pid":\d+/, '"pid":999999999'));
    const lines = journal.split('\n');
    const variants: Record<string, string> = {
      edited: journal.replace('"status":"applied"', '"status":"rejected"'),
      sql: lines.map((l, i) => (i === 2 ? l.replace('{"t":"event"', '["DROP TABLE meta",[]],{"t":"event"') : l)).join('\n'),
      unknown: journal.replace('"t":"event"', '"t":"exec"'),
      removed: [lines[0], lines[1], lines[3], ''].join('\n'),
      garbage: journal + 'not json\n',
    };
    const db = readFileSync(file);
    for (const [name, text] of Object.entries(variants)) {
      assert.is.not(text, journal, name);
      writeFileSync(s1.journalFile, text);
      await rejects(StateStore.open(file), (e) => e instanceof InputError && /journal was altered/.test(e.message) && !e.message.includes('\n'));
      await rejects(StateStore.open(file, { create: false }), (e) => e instanceof InputError);
      assert.ok(readFileSync(file).equals(db), `${name}: the database is untouched`);
      assert.is(readFileSync(s1.journalFile, 'utf8'), text, `${name}: the journal is kept as evidence`);
    }
    writeFileSync(s1.journalFile, journal);
    const ok = await StateStore.open(file);
    assert.ok(new LiveState(ok, () => 0).isDone(ev('e3')));
    ok.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('corrupt, truncated, empty, foreign, half-initialised and read-only state files; a journal or lock that is a directory: exit 2, one line, file untouched', async () => {
  const dir = tempDir('badstate');
  try {
    const good = join(dir, 'good.db');
    const g = await StateStore.open(good);
    new LiveState(g, () => 0).bind({ seed: '1', inputsSha256: 'a'.repeat(64), source: 'plan', start: 's', end: 'e', inputs: '{}' }, false);
    g.close();
    const bytes = readFileSync(good);
    const initSqlJs = (await import('sql.js')).default;
    const SQL = await initSqlJs();
    const foreign = new SQL.Database();
    foreign.exec("CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('format', 'something else')");
    const half = new SQL.Database(bytes);
    half.exec('DROP TABLE decky_cursor');
    const empty = new SQL.Database();
    const corrupt = Buffer.from(bytes);
    for (let i = 4096; i < Math.min(corrupt.length, 12288); i++) corrupt[i] = (corrupt[i]! * 7 + 13) & 0xff;
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['truncated', bytes.subarray(0, Math.floor(bytes.length / 2)), /corrupt/],
      ['corrupt', corrupt, /corrupt/],
      ['zero', new Uint8Array(0), /not a decnet-sim state database \(empty file\)/],
      ['text', Buffer.from('not sqlite at all'), /not a decnet-sim state database/],
      ['foreign', foreign.export(), /not a decnet-sim state database/],
      ['no-tables', empty.export(), /not a decnet-sim state database/],
      ['half', half.export(), /incomplete \(no table decky_cursor\)/],
    ];
    for (const [name, data, re] of cases) {
      const f = join(dir, `${name}.db`);
      writeFileSync(f, data);
      await rejects(StateStore.open(f), (e) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'));
      assert.ok(readFileSync(f).equals(Buffer.from(data)), `${name}: untouched`);
      assert.not.ok(existsSync(`${f}.lock`), `${name}: no lock left`);
      assert.not.ok(existsSync(`${f}.journal`), `${name}: no journal made`);
    }
    const ro = join(dir, 'ro.db');
    writeFileSync(ro, bytes);
    chmodSync(ro, 0o444);
    if (process.getuid?.() !== 0) await rejects(StateStore.open(ro), (e) => e instanceof InputError && /read-only/.test(e.message));
    const roDir = join(dir, 'ro');
    mkdirSync(roDir);
    writeFileSync(join(roDir, 's.db'), bytes);
    chmodSync(roDir, 0o555);
    if (process.getuid?.() !== 0) await rejects(StateStore.open(join(roDir, 's.db')), (e) => e instanceof InputError && /read-only/.test(e.message));
    chmodSync(roDir, 0o755);
    const jd = join(dir, 'jd.db');
    writeFileSync(jd, bytes);
    mkdirSync(`${jd}.journal`);
    await rejects(StateStore.open(jd), (e) => e instanceof InputError && /state journal is not a regular file/.test(e.message));
    const ld = join(dir, 'ld.db');
    writeFileSync(ld, bytes);
    mkdirSync(`${ld}.lock`);
    await rejects(StateStore.open(ld), (e) => e instanceof InputError && /state lock is not a regular file/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the lock: a live owner refuses a second run, a truncated lock is never taken over, a dead one (or a reused pid) is; a state of other inputs is refused unless forced', async () => {
  const dir = tempDir('lock');
  try {
    const file = join(dir, 's.db');
    const a = await StateStore.open(file);
    const lock = JSON.parse(readFileSync(a.lockFile, 'utf8'));
    assert.is(lock.pid, process.pid);
    assert.is(lock.start, processStart(process.pid));
    // Another process (pid 1 is alive) with its real start time.
    writeFileSync(a.lockFile, JSON.stringify({ pid: 1, start: processStart(1) }));
    await rejects(StateStore.open(file), (e: Error) => e instanceof InputError && /in use by another run \(pid 1\)/.test(e.message));
    writeFileSync(a.lockFile, '');
    await rejects(StateStore.open(file), (e: Error) => e instanceof InputError && /lock file .* is unreadable \(truncated\?\)/.test(e.message));
    writeFileSync(a.lockFile, '{"pid":');
    await rejects(StateStore.open(file), (e: Error) => e instanceof InputError && /unreadable/.test(e.message));
    // pid 1 with another start time: that pid was reused, the owner is gone.
    writeFileSync(a.lockFile, JSON.stringify({ pid: 1, start: '12345678901' }));
    const b = await StateStore.open(file);
    assert.is(JSON.parse(readFileSync(b.lockFile, 'utf8')).pid, process.pid);
    // The holder notices a truncated lock and restores it on its next save.
    writeFileSync(b.lockFile, '');
    b.save();
    assert.is(JSON.parse(readFileSync(b.lockFile, 'utf8')).pid, process.pid);
    const st = new LiveState(b, () => 0);
    const id = { seed: '1', inputsSha256: 'a'.repeat(64), source: 'plan', start: 's', end: 'e', inputs: '{}' };
    st.bind(id, false);
    assert.throws(() => st.bind({ ...id, seed: '2' }, false), (e: Error) => e instanceof InputError && /belongs to another run/.test(e.message));
    assert.equal(st.bind({ ...id, seed: '2' }, true), { adopted: true });
    b.close();
    assert.not.ok(existsSync(b.lockFile));
    void a;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bounded state: the cursor replaces per-event bookkeeping, history is pruned to the retention window, bodies stay only for the working set', async () => {
  const dir = tempDir('bounded');
  try {
    const file = join(dir, 's.db');
    const s = await StateStore.open(file);
    const st = new LiveState(s, () => 0);
    st.historyMs = 2 * 86_400_000;
    const day = 86_400_000;
    const t0 = Date.parse('2026-01-05T00:00:00Z');
    for (let i = 0; i < 100; i++) {
      const at = new Date(t0 + i * (day / 10)).toISOString().replace('.000Z', 'Z');
      const e = { ...ev(`f${i}`, i), at, kind: 'file' as const, action: 'file:create' as const, contentClass: 'note' as const, path: `/home/a/n${i}.md`, mode: '0644', owner: 'a', mtime: at, content: { encoding: 'utf8' as const, data: `body ${i}\n`, bytes: 7, sha256: 'b'.repeat(64) } };
      st.record(e as never, 'applied', [st.eventOp(e as never, 'applied', null), st.fileOp(e as never, null)]);
    }
    s.save();
    const n = (q: string) => s.get<{ n: number }>(q)!.n;
    assert.is(n('SELECT COUNT(*) AS n FROM decky_cursor'), 1);
    assert.ok(n('SELECT COUNT(*) AS n FROM applied_events') <= 21, 'history holds about two days of ten events a day');
    assert.is(n('SELECT COUNT(*) AS n FROM synthetic_files WHERE last_body IS NOT NULL'), 24);
    assert.ok(n('SELECT COUNT(*) AS n FROM synthetic_files') <= 24 + 21);
    assert.ok(st.isDone(ev('f0', 0)) && st.isDone(ev('f99', 99)) && !st.isDone(ev('f100', 100)));
    s.close();
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
  const r = await discoverFleet({ namePattern: '-01', labels: ['role=decky'], runner, facts: false });
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

test('fleet discover reads host facts from inside running containers: hostname, human users, one persona per login', async () => {
  const execs: Array<{ argv: string[]; input: string | undefined }> = [];
  const passwd: Record<string, string[]> = {
    'web-01-ssh': ['root:x:0:0:root:/root:/bin/bash', 'ana:x:1000:1000:Ana López,,,:/home/ana:/bin/bash', 'bjorn:x:1001:1001:Björn Åström:/home/bjorn:/bin/bash', 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin'],
    'db-01': ['root:x:0:0:root:/root:/bin/bash', 'ana:x:1002:1002:Ana López,,,:/home/ana:/bin/bash', 'dup:x:1003:1003:Björn Åström:/home/dup:/bin/bash'],
    'bare-01': ['root:x:0:0:root:/root:/bin/sh'],
  };
  const runner: Runner = async (argv, input): Promise<ExecResult> => {
    if (argv[1] === 'ps') return { exitCode: 0, timedOut: false, stderr: '', stdout: ['web-01-ssh', 'db-01', 'bare-01', 'off-01'].map((n, i) => JSON.stringify({ ID: `id${i}`, Names: n })).join('\n') + '\n' };
    if (argv[1] === 'inspect') {
      return { exitCode: 0, timedOut: false, stderr: '', stdout: JSON.stringify(['web-01-ssh', 'db-01', 'bare-01', 'off-01'].map((n) => ({ Name: `/${n}`, Config: { Hostname: 'from-config' }, State: { Running: n !== 'off-01' }, NetworkSettings: { IPAddress: '10.0.0.9' } }))) };
    }
    execs.push({ argv, input });
    const container = argv[argv.length - 3]!;
    // What op_facts prints for that container's /etc/passwd (the script itself runs in the live tests).
    const out = [`HOST ${container.replace('-ssh', '')}`];
    for (const l of passwd[container] ?? []) {
      const [n, , uid, gid, gecos] = l.split(':');
      out.push(`USER ${n} ${uid} ${gid}`);
      if (gecos) out.push(`GECOS ${n} ${gecos}`);
    }
    out.push('DONE');
    return { exitCode: 0, timedOut: false, stderr: '', stdout: out.join('\n') + '\n' };
  };
  const r = await discoverFleet({ namePattern: '-01', runner, all: true });
  // The generic exec only: nothing about the call in argv but the container.
  for (const e of execs) {
    assert.equal(e.argv.slice(0, 3), ['docker', 'exec', '-i']);
    assert.ok(e.input?.includes('op_facts'), 'the facts script travels on stdin');
  }
  assert.is(execs.length, 3, 'the stopped container is not exec-ed');
  const byName = Object.fromEntries(r.fleet.deckies.map((d) => [d.name, d]));
  assert.is(byName['web-01']!.hostname, 'web-01', "the container's own hostname");
  assert.equal(byName['web-01']!.users, { ana: { uid: 1000, gid: 1000 }, bjorn: { uid: 1001, gid: 1001 } });
  // Containers are read in name order: db-01's dup takes the name first, web-01's bjorn then
  // gets a persona named after its login.
  assert.equal(byName['web-01']!.personas, ['Ana López', 'bjorn']);
  assert.equal(byName['db-01']!.users, { ana: { uid: 1002, gid: 1002 }, dup: { uid: 1003, gid: 1003 } });
  assert.equal(byName['db-01']!.personas, ['Ana López', 'Björn Åström']);
  assert.is(byName['bare-01']!.personas, undefined);
  assert.is(byName['off-01']!.hostname, 'from-config');
  assert.equal(r.fleet.personas, [{ name: 'Ana López', login: 'ana' }, { name: 'bjorn', login: 'bjorn' }, { name: 'Björn Åström', login: 'dup' }]);
  assert.ok(r.warnings.some((w) => /bare-01: no human login/.test(w)), r.warnings.join('\n'));
  assert.ok(r.warnings.some((w) => /off-01: not running/.test(w)), r.warnings.join('\n'));
  assert.ok(r.warnings.some((w) => /both carry the name "Björn Åström"/.test(w)), r.warnings.join('\n'));
});

test.run();
