// The nightly database dump job (issue 12): the dump lure's producer. Over seeds, a fleet with a
// mysql decky and two others, every decky's crontab and logs read as an intruder reads them.
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasDumpJob } from '../src/machine/machine.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { parseSyslogStamp } from '../src/util/time.js';
import { LURE_CALLBACKS, bodyBytes, eventsFor, wilson } from './helpers/plan.js';

const DAYS = 6;
const START = '2026-03-02T00:00:00Z';
const RAW = { start: START, days: DAYS, config: { file: 'c.json', data: { canaryProbability: 0.4, canaryCapPerDecky: 8, weights: { canary: { canary_mysql_dump: 1 } }, canary: LURE_CALLBACKS } } };
const SEEDS = ['dj-0', 'dj-1', 'dj-2', 'dj-3', 'dj-4', 'dj-5'];
const END = Date.parse(START) + DAYS * 86_400_000;

/** Every line a decky's log family ever held (live writes and the pre-history's rotations), by decky. */
function lines(events: TimelineEvent[], log: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.kind !== 'file' || e.content === undefined || !e.path!.startsWith(log)) continue;
    if (e.path !== log && e.job !== 'history') continue;
    const raw = bodyBytes(e);
    const text = (e.path!.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    let set = out.get(e.decky.uuid);
    if (!set) out.set(e.decky.uuid, (set = new Set()));
    for (const l of text.split('\n')) if (l !== '') set.add(l);
  }
  return out;
}

test('a dump lure is a leftover of its decky\'s nightly dump job: that database, that night, the run\'s end', () => {
  let lures = 0;
  let withJob = 0;
  for (const seed of SEEDS) {
    const events = eventsFor(seed, RAW);
    const auth = lines(events, '/var/log/auth.log');
    const cron = lines(events, '/var/log/cron.log');
    const fleet = new Map<string, { name: string; services: string[] }>();
    for (const e of events) if (!fleet.has(e.decky.uuid)) fleet.set(e.decky.uuid, { name: e.decky.name, services: [] });
    const scripts = new Map(events.filter((e) => e.path === '/usr/local/sbin/mysql-backup.sh').map((e) => [e.decky.uuid, bodyBytes(e).toString('utf8')]));
    const tabs = new Map(events.filter((e) => e.path === '/etc/cron.d/mysql-backup').map((e) => [e.decky.uuid, bodyBytes(e).toString('utf8')]));
    for (const [uuid, d] of fleet) {
      assert.is(tabs.has(uuid), scripts.has(uuid), `${d.name}: the crontab entry and its script come together`);
      if (d.name === 'db-01') assert.ok(tabs.has(uuid), 'a mysql decky runs the dump job');
      if (!tabs.has(uuid)) continue;
      withJob++;
      // cron runs it every night at its minute (the crontab model is the only source of its lines).
      const [min, hour] = /^(\d+) (\d+)\t\* \* \*\troot\t\/usr\/local\/sbin\/mysql-backup\.sh$/m.exec(tabs.get(uuid)!)!.slice(1).map(Number);
      const runs = [...cron.get(uuid)!].filter((l) => l.endsWith('CMD (/usr/local/sbin/mysql-backup.sh)')).map((l) => parseSyslogStamp(l, END)!);
      for (const t of runs) assert.is(new Date(t).getUTCHours() * 60 + new Date(t).getUTCMinutes(), hour! * 60 + min!, `${d.name}: a run at its minute`);
      assert.ok(runs.length >= DAYS, `${d.name}: ${runs.length} nightly runs logged in ${DAYS} days and the pre-history`);
    }
    for (const l of events.filter((e) => e.contentClass === 'canary_mysql_dump')) {
      lures++;
      const name = fleet.get(l.decky.uuid)!.name;
      assert.ok(scripts.has(l.decky.uuid), `${name}: a dump lure on a decky without the dump job`);
      const m = /^\/var\/backups\/([a-z]+)-(\d{4}-\d{2}-\d{2})\.sql$/.exec(l.path!)!;
      assert.ok(m, l.path);
      assert.match(scripts.get(l.decky.uuid)!, new RegExp(`^for db in (.* )?${m[1]}( .*)?; do$`, 'm'), `${name}: the job dumps ${m[1]}`);
      assert.is(l.mtime!.slice(0, 10), m[2], 'named for the date it was written');
      // The run that wrote it: cron's CMD line, and its PAM session closing at the lure's second.
      const end = Math.floor(Date.parse(l.mtime!) / 1000) * 1000;
      const closed = [...auth.get(l.decky.uuid)!].find((x) => parseSyslogStamp(x, END) === end && /CRON\[\d+\]: pam_unix\(cron:session\): session closed/.test(x));
      assert.ok(closed, `${name}: no cron session ends at ${l.mtime}`);
      const pid = /CRON\[(\d+)\]/.exec(closed!)![1];
      assert.ok([...cron.get(l.decky.uuid)!].some((x) => x.includes(`CRON[${pid}]: (root) CMD (/usr/local/sbin/mysql-backup.sh)`)), `${name}: the session ending at ${l.mtime} is the dump job's`);
      assert.ok(Date.parse(l.at) - end >= 30 * 60_000, 'the leftover is found after the run');
    }
  }
  assert.ok(lures >= 6, `${lures} dump lures`);
  assert.ok(withJob >= SEEDS.length, `${withJob} deckies with the job`);
});

test('the dump job: always with a mysql service, on a share of the others, decided by seed and decky alone', () => {
  let n = 0;
  let k = 0;
  for (let i = 0; i < 400; i++) {
    const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    assert.ok(hasDumpJob('s', uuid, ['ssh', 'mysql']));
    const a = hasDumpJob('s', uuid, ['ssh']);
    assert.is(hasDumpJob('s', uuid, ['ssh', 'http']), a, 'the draw does not depend on other services');
    n++;
    if (a) k++;
  }
  const [lo, hi] = wilson(k, n);
  assert.ok(lo < 0.4 && hi > 0.4, `${k} of ${n} non-mysql deckies run the job`);
});

test.run();
