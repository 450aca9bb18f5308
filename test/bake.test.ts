// bake without an engine: deterministic layers (same inputs, same bytes), what GNU tar extracts
// from them (bytes, modes, numeric owners, nanosecond times), directories that follow their
// contents, the bake point, and the state that records the baked events.
import { execa } from 'execa';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import tarStream from 'tar-stream';
import { bake } from '../src/bake/bake.js';
import { LayerBuilder, type LayerEntry } from '../src/bake/layer.js';
import { packLayer } from '../src/bake/tar.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import { materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { sha256Hex } from '../src/util/hash.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/docker.js';
import { readState } from './helpers/live.js';

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
const CONFIG = { canaryProbability: 0.2, canary: { httpBase: 'https://files.invalid/a', dnsZone: 'z.invalid' } };
const FLEET = {
  deckies: [
    { name: 'web-01', hostname: 'web-01', services: ['ssh'], users: { johnsmith: { uid: 1207, gid: 1300 } } },
    { name: 'db-01', hostname: 'db-01', services: ['ssh'] },
  ],
};

function raw(days: number) {
  return { fleet: { file: 'fleet.json', data: FLEET }, config: { file: 'config.json', data: CONFIG }, days };
}

async function statAll(dir: string, paths: string[]): Promise<Map<string, string>> {
  const r = await execa('stat', ['-c', '%a %u %g %y|%x', ...paths.map((p) => join(dir, p))]);
  const lines = r.stdout.split('\n');
  return new Map(paths.map((p, i) => [p, lines[i]!]));
}

const stamp = (iso: string): string => iso.replace('T', ' ').replace('Z', ' +0000');

test('two bakes of the same inputs give identical bytes; another seed other bytes', async () => {
  const a = tempDir('bake-a');
  const b = tempDir('bake-b');
  try {
    const ra = await bake({ seed: 's1', raw: raw(10), outDir: a, err: quiet });
    const rb = await bake({ seed: 's1', raw: raw(10), outDir: b, err: quiet });
    const rc = await bake({ seed: 's2', raw: raw(10), outDir: join(b, 'other'), err: quiet });
    assert.is(ra.deckies.length, 2);
    for (const d of ra.deckies) {
      const x = readFileSync(d.file);
      assert.ok(x.length > 10_000);
      assert.is(sha256Hex(readFileSync(join(b, `${d.decky}.tar`))), sha256Hex(x), d.decky);
      assert.is.not(sha256Hex(readFileSync(join(b, 'other', `${d.decky}.tar`))), sha256Hex(x));
    }
    assert.is(rc.deckies.length, 2);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

/** The same entries through tar-stream's own pack stream (the reference for the layer bytes). */
function referencePack(entries: readonly LayerEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  const t = (s: { sec: number; ns: number }) => `${s.sec}.${String(s.ns).padStart(9, '0')}`;
  for (const e of entries) {
    const rel = e.path.slice(1);
    const h = { name: e.type === 'dir' ? rel + '/' : rel, mode: e.mode, uid: e.uid, gid: e.gid, uname: e.uname, gname: e.gname, mtime: new Date(e.mtime.sec * 1000), type: e.type === 'dir' ? ('directory' as const) : ('file' as const), size: e.type === 'dir' ? 0 : e.body!.length, pax: { mtime: t(e.mtime), atime: t(e.atime) } };
    if (e.type === 'dir') pack.entry(h);
    else pack.entry(h, e.body!);
  }
  pack.finalize();
  return done;
}

test('the packer writes the bytes tar-stream\'s pack stream writes for the same entries (baked layers, a body over 1 MiB, an empty file), in chunks of at most 1 MiB but for such a body', async () => {
  const { inputs } = resolveInputs(raw(10));
  const b = new LayerBuilder(Date.parse(inputs.end), Date.parse(inputs.start));
  for (const ev of planEvents(buildContext('pack-1', inputs))) b.apply(ev);
  const layers = b.layers(inputs.fleet, inputs.personas);
  const big = Buffer.alloc(1536 * 1024 + 7, 0x61);
  const odd: LayerEntry[] = [
    { type: 'dir', path: '/srv/data', mode: 0o750, uid: 1207, gid: 1300, uname: 'johnsmith', gname: 'johnsmith', mtime: { sec: 1767600000, ns: 5 }, atime: { sec: 1767600001, ns: 999999999 }, body: null },
    { type: 'file', path: '/srv/data/dump.sql', mode: 0o640, uid: 1207, gid: 1300, uname: 'johnsmith', gname: 'johnsmith', mtime: { sec: 1767600002, ns: 123456789 }, atime: { sec: 1767600003, ns: 0 }, body: big },
    { type: 'file', path: '/srv/data/empty', mode: 0o600, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: { sec: 1767600004, ns: 1 }, atime: { sec: 1767600004, ns: 1 }, body: Buffer.alloc(0) },
  ];
  for (const entries of [...layers.map((l) => l.entries), odd, [...odd, ...layers[0]!.entries]]) {
    const chunks: Uint8Array[] = [];
    const n = await packLayer(entries, (c) => chunks.push(Buffer.from(c)));
    const got = Buffer.concat(chunks);
    assert.is(n, got.length);
    assert.ok(got.equals(await referencePack(entries)), 'same bytes as tar-stream\'s pack()');
    for (const c of chunks) assert.ok(c.length <= 1 << 20 || c.length === big.length, `chunk of ${c.length} bytes`);
  }
});

test('GNU tar extracts every file with its planned bytes, mode, numeric owner and nanosecond mtime; directories follow their contents', async () => {
  const out = tempDir('bake-x');
  try {
    const events: TimelineEvent[] = [...planEvents(buildContext('x1', resolveInputs(raw(20)).inputs))];
    const r = await bake({ seed: 'x1', raw: raw(20), outDir: out, err: quiet });
    const trees = materialise(events);
    const endMs = Date.parse(resolveInputs(raw(20)).inputs.end);
    for (const tree of trees) {
      const dir = join(out, tree.decky.name);
      await execa('mkdir', ['-p', dir]);
      await execa('tar', ['-xpf', join(out, `${tree.decky.name}.tar`), '-C', dir, '--numeric-owner', '--atime-preserve=system']);
      const paths = tree.files.map((f) => f.path.slice(1));
      const st = await statAll(dir, paths);
      // The users map where it names the login; else adduser's ids from 1000, one per login.
      const seen = new Map<string, string>();
      for (const f of tree.files) {
        const body = readFileSync(join(dir, f.path));
        assert.is(sha256Hex(body), f.content.sha256, f.path);
        const [, mode, u, g, mtime] = /^(\d+) (\d+) (\d+) (.*)\|(.*)$/.exec(st.get(f.path.slice(1))!)!;
        assert.is(mode!.padStart(4, '0'), f.mode, f.path);
        if (f.owner === 'root') assert.equal([u, g], ['0', '0'], f.path);
        else if (tree.decky.name === 'web-01' && f.owner === 'johnsmith') assert.equal([u, g], ['1207', '1300'], f.path);
        else {
          assert.ok(Number(u) >= 1000 && u === g, `${f.path}: ${u}:${g}`);
          assert.is(seen.get(u!) ?? f.owner, f.owner, `uid ${u} for two logins`);
          seen.set(u!, f.owner);
        }
        assert.is(mtime, stamp(f.mtime), `${f.path} mtime`);
      }
      // every planted file's parent has an mtime at or after its create and at or before the bake point
      const dirs = [...new Set(tree.files.map((f) => f.path.slice(1, f.path.lastIndexOf('/'))))];
      const dst = await statAll(dir, dirs);
      const created = new Map<string, string>();
      for (const ev of events) if (ev.decky.uuid === tree.decky.uuid && ev.action === 'file:create') created.set(ev.path!, ev.mtime!);
      for (const f of tree.files) {
        const parent = dst.get(f.path.slice(1, f.path.lastIndexOf('/')))!;
        const pm = /^\d+ \d+ \d+ (.*)\|/.exec(parent)![1]!;
        const c = created.get(f.path);
        if (c && !f.canary) assert.ok(pm >= stamp(c), `${f.path}: parent ${pm} before the create ${c}`);
        assert.ok(pm <= stamp(new Date(endMs).toISOString().replace('.000Z', '.000000000Z')), `${f.path}: parent after the bake point`);
      }
      const ssh = tree.files.find((f) => f.path.endsWith('/.ssh/id_ed25519'));
      if (ssh) assert.is(dst.get(ssh.path.slice(1, ssh.path.lastIndexOf('/')))!.split(' ')[0], '700');
      assert.ok(r.deckies.find((d) => d.decky === tree.decky.name)!.files === tree.files.length);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('standard directories the history did not change are left to the base image: no /usr, /home or /var entry stamped with the start', async () => {
  const out = tempDir('bake-dirs');
  try {
    const r = await bake({ seed: 'd1', raw: raw(7), outDir: out, err: quiet });
    const startSec = Date.parse(resolveInputs(raw(7)).inputs.start) / 1000;
    let homesSeen = 0;
    for (const d of r.deckies) {
      const dirs = new Map<string, number>();
      const homes = new Map<string, number>();
      const extract = tarStream.extract();
      extract.on('entry', (h, stream, next) => {
        if (h.type === 'directory') dirs.set(`/${h.name.replace(/\/$/, '')}`, h.mtime!.getTime() / 1000);
        if (h.type === 'directory' && /^home\/[^/]+\/?$/.test(h.name)) homes.set(h.name, h.mode!);
        stream.resume();
        stream.on('end', next);
      });
      await new Promise<void>((res, rej) => { extract.on('finish', res); extract.on('error', rej); extract.end(readFileSync(d.file)); });
      assert.ok(dirs.size > 5, `${d.decky}: ${dirs.size} directories`);
      for (const sys of ['/usr', '/home', '/var']) assert.not.ok(dirs.has(sys), `${d.decky}: ${sys} is in the layer`);
      // Homes as Debian 12's adduser makes them: 0700 (others cannot list them).
      for (const [home, mode] of homes) assert.is(mode & 0o777, 0o700, `${d.decky}: ${home} mode ${mode.toString(8)}`);
      homesSeen += homes.size;
      // /var/log changes with every rotation, so it is there, with a time of its own.
      assert.ok(dirs.has('/var/log'), `${d.decky}: no /var/log`);
      for (const [path, sec] of dirs) assert.is.not(sec, startSec, `${d.decky}: ${path} stamped with the start`);
    }
    assert.ok(homesSeen > 0, 'no home in any layer');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('bake FILE --until: only events up to the bake point, recorded in the state as baked', async () => {
  const dir = tempDir('bake-until');
  try {
    writeFileSync(join(dir, 'fleet.json'), JSON.stringify(FLEET));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(CONFIG));
    const tl = join(dir, 't.ndjson');
    let r = await cli(['plan', '--seed', 'u1', '--fleet', join(dir, 'fleet.json'), '--config', join(dir, 'config.json'), '--days', '6', '--format', 'ndjson', '--out', tl]);
    assert.is(r.exitCode, 0, r.stderr);
    const until = '2026-01-09T12:00:00Z';
    r = await cli(['bake', tl, '--until', until, '--out-dir', join(dir, 'layers'), '--state', join(dir, 's.db'), '--json']);
    assert.is(r.exitCode, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    const events = readFileSync(tl, 'utf8').split('\n').filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as TimelineEvent);
    const upTo = events.filter((e) => Date.parse(e.at) <= Date.parse(until));
    assert.ok(upTo.length > 100 && upTo.length < events.length);
    assert.is(rep.deckies.reduce((a: number, d: { events: number }) => a + d.events, 0), upTo.length);
    const want = materialise(upTo);
    for (const t of want) assert.is(rep.deckies.find((d: { decky: string }) => d.decky === t.decky.name).files, t.files.length);
    const st = await readState(join(dir, 's.db'));
    const rows = st.rows<{ event_id: string; status: string }>('SELECT event_id, status FROM applied_events');
    const files = st.rows<{ n: number }>('SELECT COUNT(*) AS n FROM synthetic_files')[0]!.n;
    st.close();
    assert.is(rows.length, upTo.length);
    assert.ok(rows.every((x) => x.status === 'baked'));
    assert.equal(new Set(rows.map((x) => x.event_id)), new Set(upTo.map((e) => e.id)));
    // A lure's companion files (a key's .pub, ssh config ...) are part of its canary row, not synthetic files.
    const companions = upTo.reduce((a, e) => a + (e.companions?.length ?? 0), 0);
    assert.is(files, want.reduce((a, t) => a + t.files.length, 0) - companions);
    // The whole timeline, from the file and from the same inputs as plan flags, each in a process
    // of its own: the same layer bytes.
    r = await cli(['bake', tl, '--out-dir', join(dir, 'full-file')]);
    assert.is(r.exitCode, 0, r.stderr);
    r = await cli(['bake', '--seed', 'u1', '--fleet', join(dir, 'fleet.json'), '--config', join(dir, 'config.json'), '--days', '6', '--out-dir', join(dir, 'full-flags')]);
    assert.is(r.exitCode, 0, r.stderr);
    for (const d of rep.deckies as Array<{ decky: string }>) {
      const a = readFileSync(join(dir, 'full-file', `${d.decky}.tar`));
      assert.ok(a.length > readFileSync(join(dir, 'layers', `${d.decky}.tar`)).length, 'the whole timeline bakes more than up to the bake point');
      assert.is(sha256Hex(readFileSync(join(dir, 'full-flags', `${d.decky}.tar`))), sha256Hex(a), `${d.decky}: FILE and flags bake the same bytes`);
    }
    // A bake point outside the timeline, and one tag for two deckies, are input errors.
    r = await cli(['bake', tl, '--until', '2027-01-01T00:00:00Z', '--out-dir', join(dir, 'l2')]);
    assert.is(r.exitCode, 2);
    r = await cli(['bake', tl, '--out-dir', join(dir, 'l3'), '--image', 'lived:1']);
    assert.is(r.exitCode, 2);
    assert.match(r.stderr, /\{name\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bake shows progress on stderr when it is not a terminal (events read, then the layers written, with rates); --no-progress silences it', async () => {
  const dir = tempDir('bake-progress');
  try {
    const env = { DECNET_SIM_PROGRESS_SECONDS: '0.001' };
    const args = ['bake', '--seed', 'p', '--days', '60', '--out-dir', join(dir, 'layers'), '--json'];
    const r = await cli(args, { env });
    assert.is(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    const reading = lines.filter((l) => /^progress: bake: [\d,]+ events {2}\d+%/.test(l));
    const layers = lines.filter((l) => l.startsWith('progress: bake (layers): '));
    assert.ok(reading.length >= 2, r.stderr);
    assert.ok(layers.length >= 2, r.stderr);
    const total = report.deckies.reduce((n: number, d: { events: number }) => n + d.events, 0);
    for (const l of layers) assert.match(l, new RegExp(`^progress: bake \\(layers\\): [\\d,]+ of ${total.toLocaleString('en-US')} events {2}\\d+%`));
    assert.match(layers[layers.length - 1]!, / 100% /);
    assert.is(lines.length, reading.length + layers.length);
    const quiet = await cli([...args, '--no-progress'], { env });
    assert.is(quiet.exitCode, 0, quiet.stderr);
    assert.not.match(quiet.stderr, /progress: /);
    assert.is(JSON.parse(quiet.stdout).tarBytes, report.tarBytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
