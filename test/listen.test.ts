// The listener: attribution by the token table, documented answers to unknown and malformed
// input (fuzzed: thousands of HTTP requests and DNS packets, over UDP and TCP), rate limits, webhooks with retry,
// the state's canary_triggers, `tokens`, SIGTERM, and the systemd unit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import dnsPacket from 'dns-packet';
import { answer } from '../src/listen/dns.js';
import { startListener } from '../src/listen/index.js';
import { stateTriggerCounts } from '../src/listen/state.js';
import type { Trigger } from '../src/listen/trigger.js';
import { DockerDriver, type Runner } from '../src/live/docker.js';
import { requestOf } from '../src/live/protocol.js';
import { runLive } from '../src/live/run.js';
import { RateLimiter } from '../src/listen/ratelimit.js';
import { TokenTable } from '../src/listen/tokens.js';
import { slugCandidates } from '../src/canary/callback.js';
import { reservedCallbacks, reservedHost } from '../src/canary/reserved.js';
import { stream, between, token } from '../src/rng/stream.js';
import { BIN, cli } from './helpers/cli.js';
import { bytesOf, freePort, lab, lureOf, ZONE, type Lab } from './listen-helpers.js';

let L: Lab;

test.before(async () => {
  L = await lab({ seed: 'listen-unit', days: 7 });
});
test.after(async () => {
  await L.stop();
  rmSync(L.dir, { recursive: true, force: true });
});

const lures = () => L.events.filter((e) => e.canary);

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; body: Buffer; headers: Headers }> {
  const r = await fetch(`http://127.0.0.1:${L.httpPort}${path}`, { headers, redirect: 'manual' });
  return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()), headers: r.headers };
}

function udpQuery(msg: Buffer, port: number, wait = 500): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      resolve(null);
    }, wait);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(msg, port, '127.0.0.1');
  });
}

const rcodeOf = (p: unknown): string => (p as { rcode: string }).rcode;
const query = (name: string, type = 'A', id = 7) => dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: type as 'A', name }] });

test('every HTTP lure of the plan is attributed from its own callback URL, whatever its shape', async () => {
  const http = lures().filter((e) => e.canary!.kind === 'http');
  assert.ok(http.length >= 8, `only ${http.length} http lures`);
  for (const e of http) {
    const u = new URL(e.canary!.callback);
    const before = L.triggers.length;
    const r = await get(u.pathname + u.search);
    assert.ok(r.status === 200 || r.status === 401, `${e.canary!.callback}: ${r.status}`);
    const t = L.triggers[before]!;
    assert.ok(t, `no trigger for ${e.canary!.callback}`);
    assert.is(t.tokenId, e.canary!.tokenId);
    assert.is(t.decky, e.decky.name);
    assert.is(t.path, e.path);
    assert.is(t.protocol, 'http');
    assert.is(t.source.address, '127.0.0.1');
    assert.is(t.http!.method, 'GET');
    if (/\.(png|gif|jpe?g|webp)(\?|$)/.test(u.pathname)) assert.match(r.type ?? '', /^image\//);
    for (const [k, v] of r.headers) assert.not.match(`${k}: ${v}`, /decnet|canary|node|express/i);
    assert.not.match(r.body.toString('latin1'), /decnet|canary/i);
  }
});

test('unknown paths get a plain 404 and no trigger; a slug inside a longer word is not a match', async () => {
  const before = L.triggers.length;
  const slug = lures()[0]!.canary!.slug;
  for (const p of ['/', '/index.html', '/favicon.ico', '/static/logo.png', `/${slug}x/a.png`, `/a${slug}/a.png`, '/aaaaaaaaaaaaaaaa/x']) {
    const r = await get(p);
    assert.is(r.status, 404, p);
    assert.match(r.body.toString(), /404 Not Found/);
  }
  assert.is(L.triggers.length, before);
});

test('DNS: known names answer A to the sinkhole and trigger (UDP and TCP); unknown NXDOMAIN; outside the zone REFUSED', async () => {
  const dns = lures().filter((e) => e.canary!.kind === 'dns');
  assert.ok(dns.length >= 2, `only ${dns.length} dns lures`);
  for (const e of dns) {
    const before = L.triggers.length;
    const r = dnsPacket.decode((await udpQuery(query(e.canary!.callback.toUpperCase()), L.dnsPort))!);
    assert.is(rcodeOf(r), 'NOERROR');
    assert.ok(r.flag_aa);
    assert.is((r.answers![0] as { data: string }).data, '127.0.0.1');
    const t = L.triggers[before]!;
    assert.is(t.tokenId, e.canary!.tokenId);
    assert.is(t.path, e.path);
    assert.is(t.protocol, 'dns-udp');
    assert.is(t.dns!.type, 'A');
    // dig over TCP, the real client.
    const d = await execa('dig', ['+tcp', '+short', '-p', String(L.dnsPort), '@127.0.0.1', e.canary!.callback, 'A'], { reject: false });
    assert.is(String(d.stdout).trim(), '127.0.0.1', String(d.stderr));
    assert.is(L.triggers[L.triggers.length - 1]!.protocol, 'dns-tcp');
  }
  const before = L.triggers.length;
  const nx = dnsPacket.decode((await udpQuery(query(`zz${token(stream('x'), 14)}.${ZONE}`), L.dnsPort))!);
  assert.is(rcodeOf(nx), 'NXDOMAIN');
  assert.is(nx.authorities![0]!.type, 'SOA');
  const out = dnsPacket.decode((await udpQuery(query('www.other.org'), L.dnsPort))!);
  assert.is(rcodeOf(out), 'REFUSED');
  const soa = dnsPacket.decode((await udpQuery(query(ZONE, 'SOA'), L.dnsPort))!);
  assert.is(soa.answers![0]!.type, 'SOA');
  assert.is(L.triggers.length, before);
});

test('token table: find() picks the same token as the slug candidates of the request, on random text around planted slugs', () => {
  const table = new TokenTable();
  const slugs = lures().map((e) => e.canary!.slug);
  for (const e of lures()) table.add({ tokenId: e.canary!.tokenId, slug: e.canary!.slug, decky: e.decky.name, path: e.path!, persona: null, generator: e.canary!.generator, kind: e.canary!.kind, callback: e.canary!.callback, plantedAt: e.at, state: 'planned', source: 't' });
  const r = stream('find-prop');
  const parts = ['/', '.', '-', '_', '?', '=', '&', ' ', '%2F', 'x', 'Q', '9', 'static', 'img', '\u00e9', '\u212a'];
  let hits = 0;
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let k = between(r, 0, 8); k > 0; k--) {
      const x = r();
      if (x < 0.2) s += slugs[between(r, 0, slugs.length - 1)]!;
      else if (x < 0.3) s += slugs[between(r, 0, slugs.length - 1)]!.toUpperCase();
      else if (x < 0.4) s += token(r, between(r, 1, 22), 'abcdefghijklmnopqrstuvwxyz0123456789');
      else s += parts[between(r, 0, parts.length - 1)]!;
    }
    const want = slugCandidates(s.replace(/[^\x00-\x7f]/g, ' ')).find((c) => table.get(c) !== undefined);
    const got = table.find(s);
    assert.is(got?.slug, want, JSON.stringify(s));
    if (got) hits++;
  }
  assert.ok(hits > 1000 && hits < 4900, `hits ${hits}`);
});

test('fuzz DNS: 5,000 random and mutated packets never throw, never trigger, and answer only FORMERR/NXDOMAIN/REFUSED/NOTIMP/NOERROR', () => {
  const table = new TokenTable();
  for (const e of lures()) table.add({ tokenId: e.canary!.tokenId, slug: e.canary!.slug, decky: e.decky.name, path: e.path!, persona: null, generator: e.canary!.generator, kind: e.canary!.kind, callback: e.canary!.callback, plantedAt: e.at, state: 'planned', source: 't' });
  let fired = 0;
  const o = { zone: ZONE, sinkhole: '127.0.0.1', tokens: () => table, limiter: new RateLimiter(0, 1), onTrigger: () => void fired++ };
  const r = stream('dns-fuzz');
  const valid = query(`www.${ZONE}`);
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    let msg: Buffer;
    if (i % 2 === 0) {
      msg = Buffer.alloc(between(r, 0, 600));
      for (let j = 0; j < msg.length; j++) msg[j] = between(r, 0, 255);
    } else {
      msg = Buffer.from(valid);
      for (let k = between(r, 1, 6); k > 0; k--) msg[between(r, 0, msg.length - 1)] = between(r, 0, 255);
      if (r() < 0.3) msg = msg.subarray(0, between(r, 0, msg.length));
    }
    const out = answer(msg, o, { address: '127.0.0.1', port: 1 }, 'dns-udp');
    if (out === null) continue;
    const d = dnsPacket.decode(out);
    assert.is(d.type, 'response');
    seen.add(rcodeOf(d));
  }
  assert.is(fired, 0, 'a random packet fired a token');
  for (const c of seen) assert.ok(['FORMERR', 'NXDOMAIN', 'REFUSED', 'NOTIMP', 'NOERROR'].includes(c), c);
  assert.ok(seen.has('FORMERR'));
});

test('fuzz over the wire: 2,000 malformed HTTP requests and 1,000 DNS packets; the listener keeps answering', async () => {
  const r = stream('http-fuzz');
  const before = L.triggers.length;
  const templates = ['GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello', 'GET /%zz%%/\u0000 HTTP/1.1\r\n\r\n'];
  // Every answer that comes back is a status line of a documented answer: 400 for what does
  // not parse, 404 for a path no lure has (a random request names no known slug).
  const statuses = new Map<string, number>();
  const one = (payload: Buffer) =>
    new Promise<void>((resolve) => {
      const s = connect(L.httpPort, '127.0.0.1');
      let first = true;
      s.on('error', () => resolve());
      s.setTimeout(2000, () => s.destroy());
      s.on('close', () => resolve());
      s.on('data', (d: Buffer) => {
        if (first) {
          first = false;
          const line = /^HTTP\/1\.1 (\d{3}) /.exec(d.toString('latin1'))?.[1] ?? `not a status line: ${JSON.stringify(d.toString('latin1').slice(0, 40))}`;
          statuses.set(line, (statuses.get(line) ?? 0) + 1);
        }
        s.end();
      });
      s.end(payload);
    });
  for (let batch = 0; batch < 40; batch++) {
    const jobs: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      let b: Buffer;
      const kind = between(r, 0, 3);
      if (kind === 0) {
        b = Buffer.alloc(between(r, 1, 3000));
        for (let j = 0; j < b.length; j++) b[j] = between(r, 0, 255);
      } else {
        b = Buffer.from(templates[between(r, 0, templates.length - 1)]!, 'latin1');
        for (let k = between(r, 1, 8); k > 0; k--) b[between(r, 0, b.length - 1)] = between(r, 0, 255);
        if (kind === 3) b = Buffer.concat([b, Buffer.from(`X-Long: ${'a'.repeat(between(r, 1, 40_000))}\r\n\r\n`)]);
      }
      jobs.push(one(b));
    }
    await Promise.all(jobs);
  }
  for (let i = 0; i < 1000; i++) {
    const b = Buffer.alloc(between(r, 0, 512));
    for (let j = 0; j < b.length; j++) b[j] = between(r, 0, 255);
    const sock = createSocket('udp4');
    sock.send(b, L.dnsPort, '127.0.0.1', () => sock.close());
  }
  await new Promise((res) => setTimeout(res, 300));
  assert.is(L.triggers.length, before, 'fuzz fired a token');
  for (const k of statuses.keys()) assert.ok(k === '400' || k === '404', `answer ${k} (${JSON.stringify([...statuses])})`);
  assert.ok((statuses.get('400') ?? 0) > 500 && (statuses.get('404') ?? 0) > 0, JSON.stringify([...statuses]));
  const e = lures().find((x) => x.canary!.kind === 'http')!;
  const u = new URL(e.canary!.callback);
  assert.ok([200, 401].includes((await get(u.pathname + u.search)).status), 'still answering HTTP');
  assert.ok(await udpQuery(query(`x.${ZONE}`), L.dnsPort), 'still answering DNS');
});

test('fuzz DNS over TCP: 600 connections of random frames, short and over-long length prefixes, split writes; every reply is a well-formed response; still answering', async () => {
  const r = stream('dns-tcp-fuzz');
  const before = L.triggers.length;
  const valid = query(`www.${ZONE}`);
  let replies = 0;
  const bad: string[] = [];
  const one = (chunks: Buffer[]) =>
    new Promise<void>((resolve) => {
      const s = connect(L.dnsPort, '127.0.0.1');
      let buf = Buffer.alloc(0);
      s.on('error', () => resolve());
      s.setTimeout(1500, () => s.destroy());
      s.on('close', () => resolve());
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
          buf = buf.subarray(2 + msg.length);
          try {
            const p = dnsPacket.decode(msg);
            if (p.type !== 'response' || !['FORMERR', 'NXDOMAIN', 'REFUSED', 'NOTIMP', 'NOERROR'].includes(rcodeOf(p))) bad.push(`${p.type} ${rcodeOf(p)}`);
          } catch (e) {
            bad.push(`unreadable reply: ${String(e)}`);
          }
          replies++;
        }
      });
      s.on('connect', async () => {
        for (const c of chunks) {
          if (s.destroyed) break;
          s.write(c);
          if (r() < 0.3) await new Promise((res) => setTimeout(res, 5));
        }
        s.end();
      });
    });
  for (let batch = 0; batch < 12; batch++) {
    const jobs: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      const frames: Buffer[] = [];
      for (let f = between(r, 1, 4); f > 0; f--) {
        const kind = between(r, 0, 3);
        let body: Buffer;
        if (kind === 0) {
          body = Buffer.alloc(between(r, 0, 700));
          for (let j = 0; j < body.length; j++) body[j] = between(r, 0, 255);
        } else {
          body = Buffer.from(valid);
          for (let k = between(r, 1, 6); k > 0; k--) body[between(r, 0, body.length - 1)] = between(r, 0, 255);
        }
        const head = Buffer.alloc(2);
        // A true length, one that claims more than follows, or one that claims less.
        head.writeUInt16BE(kind === 3 ? between(r, 0, 65535) : body.length);
        frames.push(head, body);
      }
      const all = Buffer.concat(frames);
      const chunks: Buffer[] = [];
      for (let at = 0; at < all.length; ) {
        const n = between(r, 1, 300);
        chunks.push(all.subarray(at, at + n));
        at += n;
      }
      jobs.push(one(chunks));
    }
    await Promise.all(jobs);
  }
  assert.is(L.triggers.length, before, 'fuzz fired a token');
  assert.equal(bad, [], 'every reply a well-formed response with a documented code');
  assert.ok(replies > 100, `replies ${replies}`);
  const d = await execa('dig', ['+tcp', '+short', '+tries=1', '+time=2', '-p', String(L.dnsPort), '@127.0.0.1', `ns1.${ZONE}`, 'A'], { reject: false });
  assert.is(d.exitCode, 0, d.stderr);
  assert.ok(await udpQuery(query(`x.${ZONE}`), L.dnsPort), 'still answering UDP');
});

test('rate limit per source: a burst past the limit gets 503 and no trigger', async () => {
  const port = await freePort();
  const { startListener } = await import('../src/listen/index.js');
  const seen: string[] = [];
  const h = await startListener({ http: `127.0.0.1:${port}`, timelines: [L.timeline], webhooks: [], rate: 1, burst: 5, allowTestCallbacks: true, json: false, signals: false, out: (l) => void seen.push(l), err: () => undefined });
  try {
    const e = lures().find((x) => x.canary!.kind === 'http')!;
    const u = new URL(e.canary!.callback);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`)).status);
    assert.is(codes.filter((c) => c === 503).length, 12 - 5 - codes.slice(5).filter((c) => c !== 503).length);
    assert.ok(codes.filter((c) => c === 503).length >= 6, codes.join(','));
    assert.is(seen.length, codes.filter((c) => c !== 503).length);
  } finally {
    await h.stop();
  }
});

test('webhooks: every trigger is POSTed as JSON; a failing endpoint is retried with backoff', async () => {
  let calls = 0;
  const got: unknown[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls++;
      if (calls <= 2) {
        res.writeHead(500).end();
        return;
      }
      got.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const hookPort = (hook.address() as { port: number }).port;
  const port = await freePort();
  const { startListener } = await import('../src/listen/index.js');
  const h = await startListener({ http: `127.0.0.1:${port}`, timelines: [L.timeline], webhooks: [`http://127.0.0.1:${hookPort}/in`], rate: 0, burst: 1, allowTestCallbacks: true, json: false, signals: false, out: () => undefined, err: () => undefined });
  try {
    const e = lures().find((x) => x.canary!.kind === 'http')!;
    const u = new URL(e.canary!.callback);
    const t0 = Date.now();
    await fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`);
    while (got.length === 0 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    assert.is(got.length, 1);
    assert.is((got[0] as { tokenId: string }).tokenId, e.canary!.tokenId);
    assert.is(calls, 3);
    assert.ok(Date.now() - t0 >= 2500, 'retries waited (1 s, then 2 s)');
  } finally {
    await h.stop();
    hook.close();
  }
});

test('listen --state records canary_triggers; tokens lists them; SIGTERM stops cleanly (exit 0)', async () => {
  const state = join(L.dir, 'listen.state.db');
  const port = await freePort();
  const child = execa('node', [BIN, 'listen', '--http', `127.0.0.1:${port}`, '--timeline', L.timeline, '--state', state, '--allow-test-callbacks'], { reject: false });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const t0 = Date.now();
  while (!err.includes('listening') && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
  const e = lures().find((x) => x.canary!.kind === 'http')!;
  const u = new URL(e.canary!.callback);
  await fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`);
  await fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`);
  while (out.split('\n').filter(Boolean).length < 2 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM');
  const r = await child;
  assert.is(r.exitCode, 0, err);
  assert.match(err, /stopped: 2 triggers/);
  const line = JSON.parse(out.split('\n')[0]!);
  assert.is(line.tokenId, e.canary!.tokenId);
  assert.ok(existsSync(state));
  const tk = await cli(['tokens', '--timeline', L.timeline, '--state', state, '--json']);
  assert.is(tk.exitCode, 0, tk.stderr);
  const rows = JSON.parse(tk.stdout) as Array<{ tokenId: string; triggers: number; path: string; decky: string }>;
  assert.is(rows.length, lures().length);
  const row = rows.find((x) => x.tokenId === e.canary!.tokenId)!;
  assert.is(row.triggers, 2);
  assert.is(row.path, e.path);
  assert.is(rows.filter((x) => x.triggers > 0).length, 1);
  const text = await cli(['tokens', '--timeline', L.timeline]);
  assert.match(text.stdout, new RegExp(`${e.canary!.tokenId}\\s+${e.decky.name}`));
});

/** A container where every write, rename and delete lands (the script's status lines, nothing else). */
const fakeDocker: Runner = async (_argv, input) => {
  const req = requestOf(input ?? '');
  let stdout = 'ERROR unknown operation\n';
  if (req.op === 'write') stdout = 'WROTE\n';
  else if (req.op === 'move') stdout = 'MOVED\n';
  else if (req.op === 'probe') stdout = 'OK nc SSH-2.0-OpenSSH_9.2p1\n';
  else if (req.op === 'logins') stdout = req.fields.names!.split(' ').map((n, i) => `LOGIN ${n} ${1000 + i} ${1000 + i} /home/${n}\n`).join('') + 'DONE\n';
  return { exitCode: 0, stdout, stderr: '', timedOut: false };
};

test('listen --state alone: the tokens run planted are attributed, a later plant once the state changes (reload); triggers land in the state; several --timeline files load together; --json notices', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'listen-state-'));
  try {
    const state = join(dir, 'run.db');
    const http = lures().filter((e) => e.canary!.kind === 'http');
    const mid = http[Math.floor(http.length / 2)]!;
    const first = http.filter((e) => Date.parse(e.at) <= Date.parse(mid.at));
    const later = http.filter((e) => Date.parse(e.at) > Date.parse(mid.at));
    assert.ok(first.length >= 1 && later.length >= 1, `${first.length} / ${later.length} lures`);
    const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
    const runTo = (until?: string) =>
      runLive({ timeline: L.timeline, raw: until ? { until } : {}, state, pace: 'asap', driver: new DockerDriver({ runner: fakeDocker }), progress: false, signals: false, allowTestCallbacks: true, err: quiet });
    await runTo(mid.at);
    const port = await freePort();
    const seen: Trigger[] = [];
    const notices: string[] = [];
    const h = await startListener({ http: `127.0.0.1:${port}`, timelines: [], state, webhooks: [], rate: 0, burst: 100, allowTestCallbacks: true, json: true, signals: false, reloadSeconds: 0.2, out: (l) => void seen.push(JSON.parse(l) as Trigger), err: (l) => void notices.push(l) });
    try {
      const listening = JSON.parse(notices[0]!) as { listening: { tokens: number } };
      assert.is(listening.listening.tokens, lures().filter((e) => Date.parse(e.at) <= Date.parse(mid.at)).length, 'the tokens planted up to the first run');
      const hit = async (e: (typeof http)[number]) => {
        const u = new URL(e.canary!.callback);
        return (await fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`, { redirect: 'manual' })).status;
      };
      await hit(first[0]!);
      assert.is(seen.length, 1);
      assert.is(seen[0]!.tokenId, first[0]!.canary!.tokenId);
      assert.is(seen[0]!.decky, first[0]!.decky.name);
      assert.is(seen[0]!.path, first[0]!.path);
      const next = later[0]!;
      assert.is(await hit(next), 404, 'not planted yet: unknown');
      assert.is(seen.length, 1);
      await runTo();
      let n = 0;
      for (let i = 0; i < 100 && seen.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        n = await hit(next);
      }
      assert.ok(n !== 404 && seen.length >= 2, 'the later plant is attributed once the state changed');
      assert.is(seen[1]!.tokenId, next.canary!.tokenId);
      assert.is(seen[1]!.path, next.path);
    } finally {
      const st = await h.stop();
      assert.is(st.state!.dropped, 0);
    }
    const counts = await stateTriggerCounts(state);
    assert.is(counts.get(first[0]!.canary!.tokenId)?.count, 1);
    assert.ok((counts.get(later[0]!.canary!.tokenId)?.count ?? 0) >= 1);
    assert.ok(notices.some((l) => 'stopped' in (JSON.parse(l) as object)), notices.join('\n'));

    // Two timelines at once: the lures of both are attributed.
    const other = await lab({ seed: 'listen-other', days: 3 });
    try {
      await other.stop();
      const seen2: Trigger[] = [];
      const port2 = await freePort();
      const h2 = await startListener({ http: `127.0.0.1:${port2}`, timelines: [L.timeline, other.timeline], webhooks: [], rate: 0, burst: 100, allowTestCallbacks: true, json: false, signals: false, out: (l) => void seen2.push(JSON.parse(l) as Trigger), err: () => undefined });
      try {
        const a = http[0]!;
        const b = other.events.find((e) => e.canary?.kind === 'http')!;
        assert.ok(b, 'a lure in the second timeline');
        for (const e of [a, b]) {
          const u = new URL(e.canary!.callback);
          await fetch(`http://127.0.0.1:${port2}${u.pathname}${u.search}`, { redirect: 'manual' });
        }
        assert.equal(seen2.map((t) => t.tokenId), [a.canary!.tokenId, b.canary!.tokenId]);
      } finally {
        await h2.stop();
      }
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reserved callback hosts: every class the refusal covers, and real names and addresses pass', () => {
  const refused = [
    'static.example.net', 'example.com', 'cdn.example.co.uk', 'lures.test', 'a.invalid', 'app.localhost', 'nas.local', 'x.example', 'intranet',
    '127.0.0.1', '10.1.2.3', '172.16.0.9', '172.31.255.255', '192.168.1.10', '100.64.0.1', '169.254.1.1', '0.0.0.0', '192.0.2.44', '198.51.100.7', '203.0.113.10',
    '198.18.0.1', '224.0.0.1', '255.255.255.255', '::1', '[::1]', 'fd00::1', 'fe80::1', '2001:db8::5', '::ffff:10.0.0.1', 'STATIC.EXAMPLE.NET.',
  ];
  for (const h of refused) assert.ok(reservedHost(h), `${h} should be refused`);
  for (const h of ['files.acme-cdn.net', 't.northwind-edge.com', '8.8.8.8', '172.32.0.1', '192.0.32.10', '198.51.101.1', '203.0.114.1', '2606:4700::1111', 'examples.org'])
    assert.is(reservedHost(h), null, `${h} is a real name or address`);
  assert.equal(reservedCallbacks({ httpBase: 'https://203.0.113.5/s', dnsZone: 't.acme-cdn.net' }), ['canary.httpBase: 203.0.113.5 is a loopback, private or reserved address']);
  assert.equal(reservedCallbacks({ httpBase: null, dnsZone: null }), []);
});

test('reserved callbacks: listen and run refuse them without --allow-test-callbacks; check reports them', async () => {
  const l = await cli(['listen', '--http', '127.0.0.1:0', '--timeline', L.timeline]);
  assert.is(l.exitCode, 2);
  assert.match(l.stderr, /127\.0\.0\.1 is a loopback, private or reserved address/);
  const c = await cli(['check', L.timeline]);
  assert.is(c.exitCode, 1);
  assert.match(c.stdout, /invariant 11: \(timeline\): canary.httpBase: 127\.0\.0\.1/);
  assert.match(c.stdout, /canary.dnsZone: lures.test is under the special-use domain \.test/);
  const ok = await cli(['check', L.timeline, '--allow-test-callbacks']);
  assert.is(ok.exitCode, 0, ok.stdout);
  const run = await cli(['run', '--timeline', L.timeline, '--dry-run', '--state', join(L.dir, 'dry.db')]);
  assert.is(run.exitCode, 2);
  assert.match(run.stderr, /lures calling it can never alert/);
});

test('service unit --listen: a unit that binds the low ports without root and stops on SIGTERM', async () => {
  const r = await cli(['service', 'unit', '--listen', '--sinkhole', '203.0.113.10', '--state', '/var/lib/sim/state.db']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^ExecStart=.* listen --state \/var\/lib\/sim\/state.db --http 0\.0\.0\.0:80 --dns 0\.0\.0\.0:53 --sinkhole 203\.0\.113\.10$/m);
  assert.match(r.stdout, /^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
  assert.match(r.stdout, /^KillSignal=SIGTERM$/m);
  assert.not.match(r.stdout, /SupplementaryGroups=docker/);
});

test('bad flags: one line, exit 2', async () => {
  for (const [args, re] of [
    [['listen', '--timeline', L.timeline], /give --http/],
    [['listen', '--http', '127.0.0.1:8080'], /give the tokens/],
    [['listen', '--http', 'nonsense', '--timeline', L.timeline], /--http: expected HOST:PORT/],
    [['listen', '--http', '127.0.0.1:1', '--timeline', L.timeline, '--webhook', 'ftp://x', '--allow-test-callbacks'], /--webhook: expected an http/],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(args);
    assert.is(r.exitCode, 2, args.join(' '));
    assert.match(r.stderr, re);
    assert.is(r.stderr.trim().split('\n').length, 1);
  }
});

test.run();
