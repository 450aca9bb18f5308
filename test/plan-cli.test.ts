import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers/cli.js';

test('plan --seed 42 --days 1 prints a JSON timeline', async () => {
  const r = await cli(['plan', '--seed', '42', '--days', '1']);
  assert.is(r.exitCode, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.is(t.header.format, 'decnet-sim.timeline');
  assert.ok(t.events.length > 50);
  assert.is(t.summary.events, t.events.length);
});

test('personas validate: valid file lists logins, bad file exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-personas-'));
  const good = join(dir, 'email_personas.json');
  writeFileSync(good, JSON.stringify([{ name: 'John Smith', email: 'j@x.org', role: 'dev', tone: 'terse', active_hours: '22:00-06:00', timezone: 'Asia/Tokyo' }, { name: 'C-3PO!' }, { name: '!!!' }]));
  const r = await cli(['personas', 'validate', good, '--json']);
  assert.is(r.exitCode, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.personas.map((p: { login: string }) => p.login), ['johnsmith', 'c3po', 'user']);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify([{ name: 'x', active_hours: '9 to 5' }]));
  const b = await cli(['personas', 'validate', bad]);
  assert.is(b.exitCode, 2);
  assert.match(b.stderr, /bad\.json: \[0\]\.active_hours: expected a window/);
});

test('every command answers --help with examples', async () => {
  for (const c of ['plan', 'personas validate']) {
    const r = await cli([...c.split(' '), '--help']);
    assert.is(r.exitCode, 0);
    assert.match(r.stdout, /EXAMPLES/);
  }
});

test('canary.awsKeys: the operator\'s key pairs go into the aws_creds lures in order (decky i takes keys i, i + n, ...), each once, kind aws; past them and without them the lure is aws_passive and a diagnostic says it cannot alert', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-awskeys-'));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const keys = Array.from({ length: 5 }, (_, i) => ({
    accessKeyId: `AKIA${Array.from({ length: 16 }, (_, j) => alphabet[(i * 7 + j * 3) % 32]).join('')}`,
    secretAccessKey: Array.from({ length: 40 }, (_, j) => alphabet[(i * 11 + j * 5) % 32]).join('').toLowerCase().replace(/a/g, '/'),
  }));
  // Lures are mostly AWS credentials here, so some decky gets more than one.
  const base = { canaryProbability: 1, canaryCapPerDecky: 14, weights: { canary: { canary_aws_creds: 50, canary_env_file: 1 } }, canary: { httpBase: 'https://assets.acme-cdn.net/s', dnsZone: null } };
  type Ev = { decky: { name: string }; contentClass?: string; canary?: { kind: string; callback: string }; content?: { data: string; encoding: string } };
  const lures = async (config: object) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(config));
    const r = await cli(['plan', '--seed', 'aws-keys', '--days', '45', '--config', file, '--format', 'ndjson']);
    assert.is(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const header = JSON.parse(lines[0]!) as { header: { inputs: { fleet: Array<{ name: string }> } } };
    const evs = lines.filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as Ev).filter((e) => e.contentClass === 'canary_aws_creds' && e.canary);
    return { evs, stderr: r.stderr, header };
  };
  const text = (e: Ev) => Buffer.from(e.content!.data, e.content!.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');

  const none = await lures(base);
  assert.ok(none.evs.length >= 3, `${none.evs.length} aws lures`);
  assert.ok(none.evs.every((e) => e.canary!.kind === 'aws_passive'));
  assert.match(none.stderr, /no canary\.awsKeys are set: canary_aws_creds stays passive \(its made-up keys cannot raise an alert\)/);

  const withKeys = await lures({ ...base, canary: { ...base.canary, awsKeys: keys } });
  assert.not.match(withKeys.stderr, /awsKeys/);
  const decks = [...new Set(withKeys.evs.map((e) => e.decky.name))];
  assert.ok(decks.length >= 2, 'lures on several deckies');
  const active = withKeys.evs.filter((e) => e.canary!.kind === 'aws');
  assert.ok(active.length >= 2 && active.length <= keys.length, `${active.length} active lures`);
  // Each key at most once; each active lure's default profile holds exactly its key pair.
  assert.is(new Set(active.map((e) => e.canary!.callback)).size, active.length);
  for (const e of active) {
    const k = keys.find((x) => x.accessKeyId === e.canary!.callback);
    assert.ok(k, `${e.canary!.callback} is one of the operator's keys`);
    const body = text(e);
    const def = body.slice(body.indexOf('[default]'));
    assert.match(def, new RegExp(`^\\[default\\]\\naws_access_key_id = ${k!.accessKeyId}\\naws_secret_access_key = ${k!.secretAccessKey.replace(/[/+]/g, '\\$&')}$`, 'm'));
  }
  // The deal: a decky's successive aws lures take keys i, i + n, i + 2n (n deckies in the fleet,
  // i its index); a lure past the list stays passive with its made-up keys.
  const names = withKeys.header.header.inputs.fleet.map((d) => d.name);
  const n = names.length;
  for (const d of decks) {
    const i = names.indexOf(d);
    assert.ok(i >= 0, d);
    withKeys.evs.filter((e) => e.decky.name === d).forEach((e, j) => {
      const k = i + n * j;
      if (k < keys.length) {
        assert.is(e.canary!.kind, 'aws', `${d} lure ${j}`);
        assert.is(e.canary!.callback, keys[k]!.accessKeyId, `${d} lure ${j} takes key ${k}`);
      } else {
        assert.is(e.canary!.kind, 'aws_passive', `${d} lure ${j}: past the list`);
        assert.not.ok(keys.some((x) => text(e).includes(x.accessKeyId)));
      }
    });
  }
});

test('no placeholder callbacks: without canary.httpBase and canary.dnsZone the lures that need one are left out, each missing setting named in one diagnostic; with one set only its lures appear', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-nocallbacks-'));
  type Ev = { contentClass?: string; canary?: { kind: string; callback: string } };
  const plan = async (canary: object | undefined) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ canaryProbability: 1, canaryCapPerDecky: 14, ...(canary ? { canary } : {}) }));
    const r = await cli(['plan', '--seed', 'no-callbacks', '--days', '30', '--config', file, '--format', 'ndjson']);
    assert.is(r.exitCode, 0, r.stderr);
    const evs = r.stdout.split('\n').filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as Ev).filter((e) => e.canary);
    return { kinds: new Set(evs.map((e) => e.canary!.kind)), evs, stderr: r.stderr };
  };
  const none = await plan(undefined);
  assert.ok(none.evs.length > 0, 'the passive lure is still planted');
  assert.equal([...none.kinds], ['aws_passive']);
  assert.match(none.stderr, /no canary\.httpBase is set: [a-z_, ]*canary_honeydoc[a-z_, ]* left out \(they call home over HTTP\)/);
  assert.match(none.stderr, /no canary\.dnsZone is set: [a-z_, ]*canary_ssh_key[a-z_, ]* left out \(they call home through DNS\)/);
  assert.not.match(none.stderr + JSON.stringify(none.evs), /example\./);
  const http = await plan({ httpBase: 'https://assets.acme-cdn.net/s' });
  assert.ok(http.kinds.has('http') && !http.kinds.has('dns'), [...http.kinds].join(' '));
  assert.ok(http.evs.filter((e) => e.canary!.kind === 'http').every((e) => e.canary!.callback.startsWith('https://assets.acme-cdn.net/s')));
  assert.not.match(http.stderr, /canary\.httpBase/);
  assert.match(http.stderr, /no canary\.dnsZone is set/);
  const dns = await plan({ dnsZone: 't.acme-cdn.net' });
  assert.ok(dns.kinds.has('dns') && !dns.kinds.has('http'), [...dns.kinds].join(' '));
  assert.ok(dns.evs.filter((e) => e.canary!.kind === 'dns').every((e) => e.canary!.callback.endsWith('.t.acme-cdn.net')));
  assert.match(dns.stderr, /no canary\.httpBase is set/);
});

test.run();
