// The determinism contract (SPEC 6): same inputs, same bytes, in separate processes; the golden
// fixtures pin the bytes across machines and versions.
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import type { TimelineEvent } from '../src/timeline/types.js';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
// @ts-expect-error plain ESM script without types
import { GOLDEN } from '../../scripts/golden.mjs';
import { cli, ROOT } from './helpers/cli.js';
import { eventsFor } from './helpers/plan.js';
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test('same inputs give byte-identical output in separate processes (JSON and NDJSON)', async () => {
  for (const format of ['json', 'ndjson']) {
    const args = ['plan', '--seed', 'determinism', '--days', '3', '--format', format];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    assert.is(a.exitCode, 0, a.stderr);
    assert.ok(a.stdout.length > 100_000);
    assert.is(sha(a.stdout), sha(b.stdout), format);
  }
});

test('a different seed gives different output; JSON and NDJSON carry the same events', async () => {
  const [a, b, n] = await Promise.all([
    cli(['plan', '--seed', 'one', '--days', '2']),
    cli(['plan', '--seed', 'two', '--days', '2']),
    cli(['plan', '--seed', 'one', '--days', '2', '--format', 'ndjson']),
  ]);
  assert.is.not(sha(a.stdout), sha(b.stdout));
  const doc = JSON.parse(a.stdout);
  const lines = n.stdout.trimEnd().split('\n');
  assert.equal(JSON.parse(lines[0]!).header, doc.header);
  assert.equal(JSON.parse(lines[lines.length - 1]!).summary, doc.summary);
  assert.equal(lines.slice(1, -1).map((l) => JSON.parse(l)), doc.events);
});

test('--skip-quiet drops quiet events and nothing else; the old --no-quiet still works, with a notice', async () => {
  const [all, loud, old] = await Promise.all([
    cli(['plan', '--seed', 'q', '--days', '2']),
    cli(['plan', '--seed', 'q', '--days', '2', '--skip-quiet']),
    cli(['plan', '--seed', 'q', '--days', '2', '--no-quiet']),
  ]);
  assert.is(old.stdout, loud.stdout);
  assert.match(old.stderr, /no-quiet.*deprecated|deprecated.*no-quiet/i);
  assert.not.match(loud.stderr, /deprecated/i);
  const a = JSON.parse(all.stdout).events.filter((e: { kind: string }) => e.kind !== 'quiet');
  const b = JSON.parse(loud.stdout);
  assert.equal(b.events, a);
  assert.is(b.header.inputs.quiet, false);
});

// Issue 13: adding a decky may change, on the other deckies, only what records or lists the
// fleet's members (traffic, the log lines of connections between deckies, known_hosts, shell
// history, ~/.ssh/config); every other file event stays byte-identical. The log lines of
// connections between deckies: auth.log's (sshd, PAM and logind), and in syslog and daemon.log
// systemd's lines for the sessions of people who hop from one decky to another (a session's
// scope, their user manager); everything else in those two logs stays byte-identical.
const LISTS_MEMBERS = /(?:\/\.ssh\/known_hosts|\/\.ssh\/config|\/\.bash_history|\/var\/log\/auth\.log(?:\.\d+(?:\.gz)?)?)$/;
const SESSION_LOGS = /^\/var\/log\/(?:syslog|daemon\.log)(?:\.\d+(?:\.gz)?)?$/;
const SESSION_LINE = / systemd\[1\]: (?:(?:Started |Starting |Stopping |Stopped |Finished |Created slice |Removed slice )?(?:session-\d+\.scope|user@\d+\.service|user-runtime-dir@\d+\.service|user-\d+\.slice)\b)/;

/** A file event as compared for locality: syslog and daemon.log without systemd's session lines. */
function localView(e: TimelineEvent): string {
  if (!SESSION_LOGS.test(e.path ?? '') || e.content === undefined) return JSON.stringify(e);
  const raw = Buffer.from(e.content.data, e.content.encoding === 'base64' ? 'base64' : 'utf8');
  const text = (e.path!.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const kept = text.split('\n').filter((l) => !SESSION_LINE.test(l)).join('\n');
  const { content, previousSha256, ...rest } = e;
  return JSON.stringify({ ...rest, kept });
}

test('adding a decky changes on the others only what records or lists the fleet\'s members', () => {
  const extra = { name: 'mail-01', services: ['ssh'], address: '10.20.0.14' };
  let hopped = 0;
  for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
    const base = eventsFor(seed, { fleet: { file: 'f', data: DEFAULT_FLEET_RAW } });
    const more = eventsFor(seed, { fleet: { file: 'f', data: { ...DEFAULT_FLEET_RAW, deckies: [...DEFAULT_FLEET_RAW.deckies, extra] } } });
    const files = (evs: typeof base) => evs.filter((e) => e.kind === 'file' && e.decky.name !== 'mail-01' && !LISTS_MEMBERS.test(e.path ?? '')).map(localView);
    assert.ok(files(base).length > 100);
    assert.equal(files(more), files(base), seed);
    assert.ok(more.some((e) => e.decky.name === 'mail-01'));
    // The new decky's probes of its peers reach their sshd: their auth.log now records its address.
    const probedBy = (evs: typeof base) => evs.some((e) => e.kind === 'file' && e.decky.name !== 'mail-01' && /^\/var\/log\/auth\.log/.test(e.path ?? '') && e.content?.encoding === 'utf8' && e.content.data.includes(`Connection closed by ${extra.address} port `));
    assert.not.ok(probedBy(base), seed);
    assert.ok(probedBy(more), `${seed}: no auth.log records a probe from ${extra.address}`);
    hopped += more.filter((e) => e.kind === 'file' && e.path === '/var/log/auth.log' && e.content?.encoding === 'utf8' && / from 10\.20\.0\.14 port \d+ ssh2: /.test(e.content.data)).length;
  }
  // mail-01 has every persona of the pool, so people of its peers hop to it and back.
  assert.ok(hopped > 0, 'no auth.log records a login from mail-01');
});

test('golden fixtures reproduce byte for byte', async () => {
  for (const g of GOLDEN as Array<{ file: string; args: string[] }>) {
    const r = await cli(g.args);
    assert.is(r.exitCode, 0, r.stderr);
    const want = readFileSync(`${ROOT}${g.file}`, 'utf8');
    assert.ok(r.stdout === want, `${g.file} differs from a fresh run (sha ${sha(r.stdout)} vs ${sha(want)}); if the change is deliberate, bump GENERATOR_VERSION and run node scripts/golden.mjs update`);
  }
});

test.run();
