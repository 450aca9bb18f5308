// SSH probes between deckies seen from the destination (issue 12 item 5): each traffic event from
// A to B leaves on B's auth.log what B's sshd logs for a client that reads the banner and hangs
// up, with A's address and a PID of its own; B's auth.log has no such line without a probe.
// Property-style over seeds and the multi-zone fleet, read as an intruder would (`zcat -f
// /var/log/auth.log*`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type DeckyTree, bodyOf, materialise } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { parseSyslogStamp } from '../src/util/time.js';
import { ROOT, cli } from './helpers/cli.js';
import { eventsFor, inputsFor } from './helpers/plan.js';

const FLEET_PATH = `${ROOT}fixtures/multi-tz-fleet.json`;
const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(FLEET_PATH, 'utf8')) };
const START = '2026-03-02T00:00:00Z';
const DAYS = 14;
const RAW = { fleet: multiTz, start: START, days: DAYS };
const SEEDS = ['pr-0', 'pr-1', 'pr-2'];
const END = Date.parse(START) + DAYS * 86_400_000;

/** Every line of a log family, oldest rotation first, then the live file. */
function family(tree: DeckyTree, path: string): Array<{ ms: number; line: string }> {
  const esc = path.replace(/[./]/g, (c) => `\\${c}`);
  const files = tree.files.filter((f) => new RegExp(`^${esc}(\\.\\d+(\\.gz)?)?$`).test(f.path));
  const order = (p: string) => (p === path ? 0 : Number(/\.(\d+)(\.gz)?$/.exec(p)![1]));
  files.sort((a, b) => order(b.path) - order(a.path));
  return files.flatMap((f) => {
    const raw = bodyOf(f.content);
    const text = (f.path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    return text.split('\n').filter((l) => l !== '').map((line) => ({ ms: parseSyslogStamp(line, END)!, line }));
  });
}

const KEX = /^.{15} \S+ sshd\[(\d+)\]: error: kex_exchange_identification: Connection closed by remote host$/;
const ACCEPTED = /^.{15} \S+ sshd\[\d+\]: Accepted publickey for (\S+) from (\S+) port (\d+) ssh2: /;
const CLOSED = /^.{15} \S+ sshd\[(\d+)\]: Connection closed by (\S+) port (\d+)$/;

test('every probe of a decky\'s sshd is in its auth.log, from the prober\'s address, with a PID of its own; no such line without a probe', () => {
  const inputs = inputsFor(RAW);
  const byName = new Map(inputs.fleet.map((d) => [d.name, d]));
  const addresses = new Set(inputs.fleet.flatMap((d) => (d.address ? [d.address] : [])));
  let hopsSeen = 0;
  let checked = 0;
  let after = 0;
  for (const seed of SEEDS) {
    const events = eventsFor(seed, RAW);
    const trees = new Map(materialise(events).map((t) => [t.decky.name, t]));
    // B's last write of auth.log with lines: what comes later stays unwritten at the horizon's end.
    const lastWrite = new Map<string, number>();
    const probes = new Map<string, TimelineEvent[]>();
    for (const ev of events) {
      if (ev.kind === 'file' && ev.path === '/var/log/auth.log' && ev.content !== undefined && ev.content.bytes > 0) lastWrite.set(ev.decky.name, Math.max(lastWrite.get(ev.decky.name) ?? 0, Math.floor(Date.parse(ev.mtime!) / 1000) * 1000));
      if (ev.kind === 'traffic' && byName.get(ev.decky.name)!.address !== null) {
        const dst = ev.traffic!.dst.name;
        probes.set(dst, [...(probes.get(dst) ?? []), ev]);
      }
    }
    for (const [name, tree] of trees) {
      const auth = family(tree, '/var/log/auth.log');
      if (auth.length === 0) continue;
      const first = auth[0]!.ms; // logrotate keeps seven days: older probes are gone with their files
      // Boots: sshd is not listening in the first minutes (a probe then is refused, not logged).
      const boots = family(tree, '/var/log/syslog').filter((x) => / kernel: \[\s*0\.\d+\] Linux version /.test(x.line)).map((x) => x.ms);
      const bootOf = (ms: number) => boots.filter((b) => b <= ms).length;
      // Connection lines, each right after its banner-exchange error of the same PID.
      const conns: Array<{ ms: number; pid: string; address: string; used: boolean }> = [];
      auth.forEach((x, i) => {
        const k = KEX.exec(x.line);
        if (!k) return;
        const c = CLOSED.exec(auth[i + 1]?.line ?? '');
        assert.ok(c && c[1] === k[1], `${name}: the banner exchange error of sshd[${k[1]}] is followed by its closed connection: ${auth[i + 1]?.line}`);
        assert.ok(Number(c![3]) >= 32_768 && Number(c![3]) <= 60_999, `ephemeral port ${c![3]}`);
        assert.is(auth[i + 1]!.ms, x.ms);
        conns.push({ ms: x.ms, pid: k[1]!, address: c![2]!, used: false });
      });
      for (const x of auth) if (/Connection closed by \S+ port/.test(x.line) && !CLOSED.test(x.line)) assert.unreachable(`unexpected shape: ${x.line}`);
      // Logins from a decky of the fleet: someone there typed `ssh <this host>`.
      const hops = auth.flatMap((x) => {
        const m = ACCEPTED.exec(x.line);
        return m && addresses.has(m[2]!) ? [{ ms: x.ms, login: m[1]!, address: m[2]!, used: false }] : [];
      });
      hopsSeen += hops.length;
      // A PID of its own: it appears in no other line of any main log in that boot, and the
      // probes' PIDs increase within a boot.
      const pidLines = new Map<string, number>();
      for (const path of ['/var/log/auth.log', '/var/log/syslog', '/var/log/cron.log', '/var/log/daemon.log']) {
        for (const x of family(tree, path)) {
          const m = /^.{15} \S+ \S+?\[(\d+)\]:/.exec(x.line);
          if (m) pidLines.set(`${bootOf(x.ms)}:${m[1]}`, (pidLines.get(`${bootOf(x.ms)}:${m[1]}`) ?? 0) + 1);
        }
      }
      let prev = { boot: -1, pid: -1 };
      for (const c of conns) {
        assert.is(pidLines.get(`${bootOf(c.ms)}:${c.pid}`), 2, `${name}: sshd[${c.pid}] appears only in its own two lines`);
        if (prev.boot === bootOf(c.ms)) assert.ok(Number(c.pid) > prev.pid, `${name}: probe PIDs increase (${prev.pid} then ${c.pid})`);
        prev = { boot: bootOf(c.ms), pid: Number(c.pid) };
      }
      // Every probe of B is there, within a second or two of its instant.
      const written = lastWrite.get(name) ?? -Infinity;
      for (const ev of probes.get(name) ?? []) {
        const s = Date.parse(ev.at);
        const src = byName.get(ev.decky.name)!.address!;
        const hit = conns.find((c) => !c.used && c.address === src && c.ms >= s && c.ms <= s + 2000) ?? hops.find((c) => !c.used && c.address === src && c.ms >= s && c.ms <= s + 2000);
        if (hit) {
          hit.used = true;
          checked++;
          continue;
        }
        if (s < first) continue;
        if (s >= written - 1000) {
          after++; // not written out before the horizon ends (lines reach the file in batches)
          continue;
        }
        if (boots.some((b) => s >= b && s < b + 2 * 60_000)) continue; // sshd not up yet: refused
        assert.unreachable(`${name}: no line for the probe from ${ev.decky.name} (${src}) at ${ev.at}`);
      }
      // And none without a probe: every connection line was matched to one.
      for (const c of conns) assert.ok(c.used, `${name}: sshd[${c.pid}] logs a connection from ${c.address} at ${new Date(c.ms).toISOString()} that no probe made`);
      for (const c of hops) assert.ok(c.used, `${name}: ${c.login} logs in from ${c.address} at ${new Date(c.ms).toISOString()} with no connection from there`);
    }
  }
  assert.ok(checked > 200, `${checked} probes found in auth.log`);
  assert.ok(after < checked / 10, `${after} probes after the last write`);
  // No persona of this fleet has an account on two deckies: nobody can hop.
  assert.is(hopsSeen, 0);
});

// The default fleet: every persona works on every decky, so each has an account on the peers.
const HOP_RAW = { start: '2026-04-06T00:00:00Z', days: 10 };

test('a typed ssh to a peer is a login there: from the source\'s address, by a persona of both, with their key, closed again; the history that typed it names that peer', () => {
  const inputs = inputsFor(HOP_RAW);
  const end = Date.parse(HOP_RAW.start) + HOP_RAW.days * 86_400_000;
  const byAddress = new Map(inputs.fleet.flatMap((d) => (d.address ? [[d.address, d] as const] : [])));
  const loginsOf = (d: { personas: readonly string[] }) => new Set(d.personas.map((n) => inputs.personas.find((p) => p.name === n)!.login));
  let hops = 0;
  let typed = 0;
  for (const seed of ['hop-0', 'hop-1', 'hop-2']) {
    const events = eventsFor(seed, HOP_RAW);
    const trees = materialise(events);
    const hostOf = new Map(inputs.fleet.map((d) => [d.hostname.split('.')[0]!, d]));
    // The office logins' keys per login, read from the decky's own auth.log: a hop shows the same.
    for (const tree of trees) {
      const auth = family(tree, '/var/log/auth.log');
      const keys = new Map<string, Set<string>>();
      for (const x of auth) {
        const m = ACCEPTED.exec(x.line);
        if (m && !byAddress.has(m[2]!)) keys.set(m[1]!, (keys.get(m[1]!) ?? new Set()).add(/ssh2: (.*)$/.exec(x.line)![1]!));
      }
      for (const [i, x] of auth.entries()) {
        const m = ACCEPTED.exec(x.line);
        if (!m || !byAddress.has(m[2]!)) continue;
        hops++;
        const [, login, address, port] = m;
        const src = byAddress.get(address!)!;
        assert.ok(loginsOf(src).has(login!) && loginsOf(inputs.fleet.find((d) => d.uuid === tree.decky.uuid)!).has(login!), `${tree.decky.name}: ${login} has an account on ${src.name} and here`);
        if (keys.has(login!)) assert.ok(keys.get(login!)!.has(/ssh2: (.*)$/.exec(x.line)![1]!), `${tree.decky.name}: ${login}'s hop offers the key of their own logins here`);
        // Closed by the session's child, or by a shutdown, or still open at the horizon's end.
        const close = auth.slice(i + 1).find((y) => y.line.includes(`Disconnected from user ${login} ${address} port ${port}`) || / sshd\[\d+\]: Received signal 15; terminating\.$/.test(y.line));
        if (!close) assert.ok(x.ms > end - 60 * 60_000, `${tree.decky.name}: ${x.line} is never closed`);
      }
    }
    // Each source's histories: every `ssh <host>` of a fleet decky is typed by someone with an account there.
    for (const tree of trees) {
      for (const f of tree.files.filter((f) => f.path.endsWith('/.bash_history'))) {
        const login = f.owner;
        for (const cmd of bodyOf(f.content).toString('utf8').split('\n')) {
          const m = /^ssh (\S+)$/.exec(cmd);
          const peer = m ? hostOf.get(m[1]!) : undefined;
          if (!peer) continue;
          typed++;
          assert.ok(loginsOf(peer).has(login), `${tree.decky.name}: ${login} types ssh ${m![1]} without an account there`);
        }
      }
    }
  }
  assert.ok(hops > 20, `${hops} hops`);
  assert.ok(typed > hops / 2, `${typed} typed ssh commands for ${hops} hops`);
});

test('probe lines are the same for --workers 1 and 2 (multi-zone fleet)', async () => {
  const outs = await Promise.all([1, 2].map((w) => cli(['plan', '--seed', 'pw', '--fleet', FLEET_PATH, '--start', START, '--days', '6', '--format', 'ndjson', '--workers', String(w)])));
  for (const o of outs) assert.is(o.exitCode, 0, o.stderr);
  assert.ok(outs[0]!.stdout.includes('kex_exchange_identification: Connection closed by remote host'), 'the plan has probe lines');
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  assert.is(sha(outs[1]!.stdout), sha(outs[0]!.stdout));
});

test.run();
