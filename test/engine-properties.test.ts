// Properties of the engine over many seeds (SPEC 3, 4, 9): frequencies within statistical
// bounds, realism rules on every event.
import { ACCESS_LINE, ERROR_LINE } from '../src/machine/webserver.js';
import { slugCandidates } from '../src/canary/callback.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync, unzipSync } from 'fflate';
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { Activity } from '../src/check/activity.js';
import { PersonaCalendar, Schedule, TrafficShare, isActiveAt } from '../src/sim/schedule.js';
import { presenceSalt } from '../src/world/calendar.js';
import { parseLogStamp, parseSyslogStamp } from '../src/util/time.js';
import { UPGRADE_LOGS, UPGRADES_LOG, unstampedLinesAllowed } from '../src/machine/upgrades.js';
import { sha256Hex } from '../src/util/hash.js';
import type { Persona, PlanInputs } from '../src/inputs/types.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { ROOT } from './helpers/cli.js';
import { LURE_CALLBACKS, SEEDS, bodyBytes, eventsFor, inputsFor, wilson } from './helpers/plan.js';

const USER = new Set(['note', 'todo', 'draft', 'script']);
const LOGS = new Set(['log_cron', 'log_daemon']);

interface Run {
  seed: string;
  events: TimelineEvent[];
  personas: Map<string, Persona>;
  deckyPersonas: Map<string, string[]>;
  inputs: PlanInputs;
}

const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };

const runs: Run[] = [];
function load(): Run[] {
  if (runs.length > 0) return runs;
  for (const seed of SEEDS) {
    const config = { file: 'lures.json', data: { canary: LURE_CALLBACKS } };
    for (const raw of [{ config }, { fleet: multiTz, start: '2026-03-26T00:00:00Z', config }]) {
      const inputs = inputsFor(raw);
      runs.push({
        seed,
        events: eventsFor(seed, raw),
        personas: new Map(inputs.personas.map((p) => [p.name, p])),
        deckyPersonas: new Map(inputs.fleet.map((d) => [d.uuid, d.personas])),
        inputs,
      });
    }
  }
  return runs;
}

/** Every text we plant, with zip members inflated and PDF streams decoded. */
function plantedTexts(ev: TimelineEvent): string[] {
  const out = [ev.path!];
  let bytes = bodyBytes(ev);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = Buffer.from(gunzipSync(bytes)); // rotated logs
  out.push(bytes.toString('latin1'));
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) { // a ZIP signature, not any text that starts "PK"
    for (const [name, data] of Object.entries(unzipSync(bytes))) out.push(name, Buffer.from(data).toString('latin1'));
  }
  const pdf = bytes.toString('latin1');
  for (const m of pdf.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    try {
      out.push(inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'));
    } catch {
      /* not deflated */
    }
  }
  for (const m of bytes.toString('latin1').matchAll(/[A-Za-z0-9+/]{24,}={0,2}/g)) out.push(Buffer.from(m[0], 'base64').toString('latin1'));
  return out;
}

test('every tick emits exactly one event, in SPEC order, with unique ids', () => {
  for (const r of load()) {
    const ids = new Set<string>();
    const ticks = new Map<string, number>();
    let prev: TimelineEvent | null = null;
    for (const e of r.events) {
      assert.not.ok(ids.has(e.id), `duplicate id ${e.id}`);
      ids.add(e.id);
      const last = ticks.get(e.decky.uuid) ?? -1;
      assert.is(e.tick, last + 1, 'ticks of a decky are consecutive');
      ticks.set(e.decky.uuid, e.tick);
      if (prev) {
        const order = prev.at < e.at || (prev.at === e.at && (prev.decky.uuid < e.decky.uuid || (prev.decky.uuid === e.decky.uuid && prev.tick < e.tick)));
        assert.ok(order, `order broken at ${e.id}`);
      }
      prev = e;
    }
  }
});

test('traffic follows the traffic-share model of the deckies\' personas; leave-alone about 10% of in-hours file ticks', () => {
  let traffic = 0;
  let expected = 0;
  let variance = 0;
  let inHoursFile = 0;
  let leaveAlone = 0;
  for (const r of load()) {
    const activity = new Activity(r.inputs, r.seed);
    const shares = new Map(r.inputs.fleet.map((d) => [d.uuid, new TrafficShare(d.personas.map((n) => new Schedule(new PersonaCalendar(r.personas.get(n)!, { seed: r.seed }), presenceSalt(r.seed, d.uuid, n))), presenceSalt(r.seed, d.uuid, ''))]));
    for (const e of r.events) {
      if (!r.deckyPersonas.get(e.decky.uuid) || e.job !== undefined) continue; // ticks only
      const s = shares.get(e.decky.uuid)!.at(Date.parse(e.at));
      expected += s;
      variance += s * (1 - s);
      if (e.kind === 'traffic') traffic++;
      else if (e.kind === 'quiet' && e.reason === 'leave-alone') {
        inHoursFile++;
        leaveAlone++;
      } else if (e.kind === 'file') {
        if (activity.activeOn(e.decky.uuid, Date.parse(e.at), true).length > 0) inHoursFile++;
      }
    }
  }
  assert.ok(Math.abs(traffic - expected) < 4 * Math.sqrt(variance), `traffic ${traffic}, expected ${expected.toFixed(0)} +- ${Math.sqrt(variance).toFixed(0)}`);
  const [ql, qh] = wilson(leaveAlone, inHoursFile);
  assert.ok(ql <= 0.1 && qh >= 0.1, `leave-alone share ${leaveAlone / inHoursFile} interval ${ql}..${qh}`);
});

test('class shares follow the weights; canaries are about 3% of in-hours creates', () => {
  const counts = new Map<string, number>();
  let userCreates = 0;
  let systemInHours = 0;
  let inHoursCreates = 0;
  let canaries = 0;
  for (const r of load()) {
    // The planner's in-hours reading (holidays, days away, presence), as the checker reproduces it.
    const activity = new Activity(r.inputs, r.seed);
    for (const e of r.events) {
      if (e.kind === 'traffic' || e.job !== undefined) continue;
      const present = activity.activeOn(e.decky.uuid, Date.parse(e.at), true).length > 0;
      if (e.action !== 'file:create') continue;
      const cls = e.contentClass!;
      const active = present;
      if (cls.startsWith('canary_')) {
        canaries++;
        inHoursCreates++;
        continue;
      }
      counts.set(cls, (counts.get(cls) ?? 0) + 1);
      if (USER.has(cls)) userCreates++;
      if (!USER.has(cls) && active) systemInHours++;
      if (active) inHoursCreates++;
    }
  }
  for (const [cls, w] of [['note', 30], ['todo', 20], ['draft', 15], ['script', 10]] as const) {
    const [lo, hi] = wilson(counts.get(cls) ?? 0, userCreates);
    assert.ok(lo <= w / 75 && w / 75 <= hi, `${cls}: ${(counts.get(cls) ?? 0) / userCreates} vs ${w / 75}`);
  }
  // In hours, ordinary creates split 0.7 user / 0.3 system.
  const [ul, uh] = wilson(userCreates, userCreates + systemInHours);
  assert.ok(ul <= 0.7 && 0.7 <= uh, `user share ${userCreates / (userCreates + systemInHours)}`);
  // Canaries: 3% of in-hours creates, a little less because of the cap and taken placements.
  const [cl, ch] = wilson(canaries, inHoursCreates);
  assert.ok(ch >= 0.025 && cl <= 0.03, `canary share ${canaries / inHoursCreates} (${canaries}/${inHoursCreates})`);
});

test('no basename with 8+ digits; nothing planted says decnet or canary', () => {
  for (const r of load()) {
    for (const e of r.events) {
      if (e.kind !== 'file') continue;
      const base = (e.to ?? e.path!).split('/').pop()!;
      assert.not.ok(/\d{8}/.test(base), `basename ${base}`);
      if (e.content === undefined) continue; // rename, delete
      for (const text of plantedTexts(e)) {
        assert.not.ok(/decnet/i.test(text), `decnet in ${e.path} (${e.contentClass})`);
        assert.not.ok(/canary/i.test(text), `canary in ${e.path} (${e.contentClass})`);
      }
      assert.ok(e.content!.bytes <= 64 * 1024, `body of ${e.path} is ${e.content!.bytes} bytes`);
      // Only a freshly rotated log starts empty, as logrotate's `create` leaves it.
      if (!(e.job !== undefined && LOGS.has(e.contentClass!))) assert.ok(e.content!.bytes > 0, `no empty files (${e.path})`);
      const raw = bodyBytes(e);
      const plain = raw[0] === 0x1f && raw[1] === 0x8b ? Buffer.from(gunzipSync(raw)) : raw;
      assert.not.ok(/[\u2013\u2014]/.test(plain.toString('utf8')), `dash in ${e.path}`);
    }
  }
});

test('user events fall inside the owner\'s hours and working days', () => {
  for (const r of load()) {
    for (const e of r.events) {
      if (e.kind !== 'file' || !USER.has(e.contentClass!)) continue;
      // The homes' pre-history is planted at the start; it was written at its mtime.
      const t = e.job === 'history' ? e.mtime! : e.at;
      assert.ok(isActiveAt(r.personas.get(e.persona!)!, Date.parse(t)), `${e.id} ${e.persona} at ${t}`);
    }
  }
});

test('edits follow creates with matching hashes; mtimes never go back; edit rules per class', () => {
  for (const r of load()) {
    const files = new Map<string, { sha: string; body: string; mtime: string; cls: string }>();
    for (const e of r.events) {
      if (e.kind !== 'file') continue;
      const key = `${e.decky.uuid} ${e.path}`;
      if (e.action === 'file:rename' || e.action === 'file:delete') {
        const moved = files.get(key);
        assert.ok(moved, `${e.action} of a missing file ${key}`);
        files.delete(key);
        if (e.action === 'file:rename') {
          assert.not.ok(files.has(`${e.decky.uuid} ${e.to}`), `rename onto ${e.to}`);
          files.set(`${e.decky.uuid} ${e.to}`, moved!);
        }
        continue;
      }
      const body = bodyBytes(e).toString('utf8');
      assert.is(sha256Hex(bodyBytes(e)), e.content!.sha256);
      assert.ok(e.mtime! <= e.at, `mtime not after the event: ${e.decky.name} ${e.path} ${e.action} ${e.job ?? ''} mtime ${e.mtime} at ${e.at}`);
      const prev = files.get(key);
      if (e.action === 'file:create') {
        assert.not.ok(prev, `re-created ${key}`);
      } else {
        assert.ok(prev, `edit before create ${key}`);
        assert.is(e.previousSha256, prev!.sha);
        assert.is(e.contentClass, prev!.cls);
        assert.ok(e.mtime! >= prev!.mtime, 'mtime moves forward');
        if (e.contentClass === 'todo') {
          const before = prev!.body.split('\n');
          const after = body.split('\n');
          assert.ok(after.length >= before.length, 'todo keeps its lines');
          assert.is(body.endsWith('\n'), prev!.body.endsWith('\n'), 'trailing newline kept');
          assert.ok((body.match(/- \[ \] /g) ?? []).length + (body.match(/- \[x\] /g) ?? []).length > (prev!.body.match(/- \[x\] /g) ?? []).length);
        } else if (e.contentClass === 'draft') {
          // A draft's edit goes before its sign-off: every old line stays, in order, and the
          // signature block still ends the body.
          const before = prev!.body.split('\n');
          const after = body.split('\n');
          let j = 0;
          for (const l of after) if (j < before.length && l === before[j]) j++;
          assert.is(j, before.length, 'draft edit keeps every line in order');
          assert.ok(after.length > before.length, 'draft edit adds text');
          assert.equal(after.slice(-4), before.slice(-4), 'the signature still ends the draft');
        } else {
          assert.ok(body.startsWith(prev!.body), `${e.contentClass} edit only appends`);
          assert.ok(body.length > prev!.body.length);
        }
      }
      files.set(key, { sha: e.content!.sha256, body, mtime: e.mtime!, cls: e.contentClass! });
    }
  }
});

test('log lines are syslog-shaped (unattended-upgrades\' its own), ascending, on the decky hostname, never after the mtime', () => {
  for (const r of load()) {
    for (const e of r.events) {
      if (e.kind !== 'file' || !LOGS.has(e.contentClass!) || e.content === undefined) continue;
      const mtime = Date.parse(e.mtime!);
      let last = -Infinity;
      // unattended-upgrades', apt's and dpkg's logs keep their own formats.
      const upgrades = UPGRADE_LOGS.some((d) => e.path === d.path || e.path!.startsWith(`${d.path}.`));
      // nginx's logs keep nginx's formats (access and error), stamped in UTC.
      const nginx = e.path!.startsWith('/var/log/nginx/');
      for (const line of bodyBytes(e).toString('utf8').split('\n')) {
        if (line === '') continue;
        if (nginx) {
          assert.match(line, e.path!.includes('access') ? ACCESS_LINE : ERROR_LINE);
          const t = parseLogStamp(line, mtime)!;
          assert.ok(t >= last && t <= mtime, `${e.path}: ${line}`);
          last = t;
          continue;
        }
        if (upgrades) {
          // Python logging's lines; dpkg's output between its `Log started:` and `Log ended:` stamps.
          const t = parseLogStamp(line, mtime);
          if (e.path!.startsWith(UPGRADES_LOG)) assert.match(line, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) \S/);
          if (t === null) {
            assert.ok(unstampedLinesAllowed(e.path!), `no stamp in ${e.path}: ${line}`);
            continue;
          }
          assert.ok(t >= last && t <= mtime, `${e.path}: ${line}`);
          last = t;
          continue;
        }
        const t = parseSyslogStamp(line, mtime);
        assert.ok(t !== null, `not syslog: ${line}`);
        assert.ok(t! >= last, `out of order in ${e.path}: ${line}`);
        assert.ok(t! <= mtime, `after mtime in ${e.path}: ${line}`);
        last = t!;
        const host = line.slice(16).split(' ')[0];
        assert.not.equal(host, 'hostname');
        // cron.log: the jobs cron runs, and the daemon's own notices at start and stop.
        if (e.path === '/var/log/cron.log') assert.match(line, /^[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d \S+ (CRON\[\d+\]: \(\S+\) CMD \(.+\)|cron\[\d+\]: \(CRON\) INFO \(.+\))$/);
      }
    }
  }
});

test('scripts start with a shebang matching the extension; todos use checkboxes, about a third checked', () => {
  let checked = 0;
  let boxes = 0;
  for (const r of load()) {
    for (const e of r.events) {
      if (e.action !== 'file:create') continue;
      const body = bodyBytes(e).toString('utf8');
      if (e.contentClass === 'script') {
        if (e.path!.endsWith('.py')) assert.ok(body.startsWith('#!/usr/bin/env python3\n'));
        else assert.match(body, /^#!\/(bin\/(ba)?sh|usr\/bin\/env bash)\n/);
        assert.is(e.mode, '0755');
      }
      if (e.contentClass === 'todo') {
        checked += (body.match(/^- \[x\] /gm) ?? []).length;
        boxes += (body.match(/^- \[[ x]\] /gm) ?? []).length;
      }
    }
  }
  const [lo, hi] = wilson(checked, boxes);
  assert.ok(lo <= 0.33 && hi >= 0.33, `checked share ${checked / boxes}`);
});

test('canaries: at most the cap per decky, unique paths and slugs, secrets 0600, callbacks carry the slug', () => {
  for (const r of load()) {
    const perDecky = new Map<string, number>();
    const slugs = new Set<string>();
    const paths = new Set<string>();
    for (const e of r.events) {
      if (!e.canary) continue;
      perDecky.set(e.decky.uuid, (perDecky.get(e.decky.uuid) ?? 0) + 1);
      assert.match(e.canary.slug, /^[a-z][a-z0-9]{9,19}$/);
      assert.not.ok(slugs.has(e.canary.slug));
      slugs.add(e.canary.slug);
      assert.not.ok(paths.has(`${e.decky.uuid} ${e.path}`));
      paths.add(`${e.decky.uuid} ${e.path}`);
      if (e.canary.kind.startsWith('aws')) assert.match(e.canary.callback, /^A[KS]IA[A-Z0-9]{16}$/);
      else assert.ok(slugCandidates(e.canary.callback).includes(e.canary.slug), e.canary.callback);
      if (['canary_aws_creds', 'canary_env_file', 'canary_ssh_key', 'canary_mysql_dump'].includes(e.contentClass!)) assert.is(e.mode, '0600');
      assert.ok(e.mtime! < e.at, 'canary mtime is backdated');
    }
    for (const n of perDecky.values()) assert.ok(n <= 3);
  }
});

test('heavy canary settings never plant a path twice (backdated names are remembered)', () => {
  const config = { file: 'heavy.json', data: { canaryProbability: 1, canaryCapPerDecky: 50, canary: LURE_CALLBACKS } };
  for (const seed of ['s0', 's1', 's2', 's3']) {
    const seen = new Set<string>();
    for (const e of eventsFor(seed, { fleet: multiTz, config, days: 10 })) {
      // A path freed by logrotate (rename, delete) may be created again; nothing else may.
      if (e.action === 'file:rename' || e.action === 'file:delete') seen.delete(`${e.decky.uuid} ${e.path}`);
      if (e.action === 'file:rename') seen.add(`${e.decky.uuid} ${e.to}`);
      if (e.action !== 'file:create') continue;
      const key = `${e.decky.uuid} ${e.path}`;
      assert.not.ok(seen.has(key), `${seed}: ${key} created twice`);
      seen.add(key);
    }
  }
});

test('header inputs re-validate to themselves', async () => {
  const { inputsFromHeader } = await import('../src/inputs/resolve.js');
  for (const raw of [{}, { fleet: multiTz, start: '2026-03-26T00:00:00Z' }]) {
    const inputs = inputsFor(raw);
    assert.equal(inputsFromHeader('t.json', JSON.parse(JSON.stringify(inputs))), inputs);
  }
});

test('a plan is a prefix of any longer plan: the events before a shorter horizon\'s end are the shorter plan', () => {
  // run --until T, then a longer run, must line up: nothing in the model may depend on where the
  // horizon ends (a last write-out at the end broke this once).
  for (const seed of SEEDS.slice(0, 8)) {
    for (const fleet of [undefined, multiTz]) {
      const start = '2026-03-26T00:00:00Z';
      const short = eventsFor(seed, { fleet, start, days: 3 });
      const long = eventsFor(seed, { fleet, start, days: 6 });
      const end = Date.parse(start) + 3 * 86_400_000;
      const head = long.filter((e) => Date.parse(e.at) < end);
      assert.ok(long.length > short.length + 100, 'the longer plan goes on');
      assert.is(head.length, short.length, `${seed}: same number of events before the shorter end`);
      for (let i = 0; i < short.length; i++) if (JSON.stringify(short[i]) !== JSON.stringify(head[i])) assert.unreachable(`${seed}: event ${i} differs: ${JSON.stringify(short[i]).slice(0, 200)} / ${JSON.stringify(head[i]).slice(0, 200)}`);
    }
  }
});

test.run();
