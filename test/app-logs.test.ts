// An application log named for a day holds that day's lines only (an intruder compares
// `head -1` and `tail -1` of worker-2026-01-09.log with its name), over several seeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyBytes, eventsFor } from './helpers/plan.js';
import { bodyOf, materialise } from '../src/timeline/materialise.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

test('every line of a dated application log carries the date of its name, 4 seeds x 14 days', () => {
  let files = 0;
  for (const seed of ['app-1', 'app-2', 'app-3', 'app-4']) {
    for (const e of eventsFor(seed, { days: 14 })) {
      if (e.kind !== 'file' || !e.content) continue;
      const m = /^\/var\/log\/([a-z]+)\/\1(?:-[a-z]+)?-(\d{4})-(\d{2})-(\d{2})\.log$/.exec(e.path!);
      if (!m) continue;
      files++;
      const stamp = `${MONTHS[Number(m[3]) - 1]} ${String(Number(m[4])).padStart(2, ' ')} `;
      for (const l of bodyBytes(e).toString('utf8').split('\n')) {
        if (l === '') continue;
        assert.ok(l.startsWith(stamp), `${seed} ${e.decky.name} ${e.path}: ${l}`);
      }
    }
  }
  assert.ok(files >= 20, `only ${files} dated log writes`);
});

test('a decky runs a few of the applications, each writing only its own dated files and lines under a PID of its own; PHP sessions only on web servers', () => {
  const appsSeen = new Set<string>();
  let sessions = 0;
  let tmp = 0;
  for (const seed of ['app-1', 'app-2', 'app-3', 'app-4', 'app-5']) {
    const perDecky = new Map<string, Set<string>>();
    const appPids = new Map<string, string>();
    const jobPids = new Set<string>();
    for (const e of eventsFor(seed, { days: 10 })) {
      if (e.kind === 'file' && e.path === '/var/log/auth.log' && e.content) for (const m of bodyBytes(e).toString('utf8').matchAll(/ (?:CRON|sshd|sudo)\[(\d+)\]: /g)) jobPids.add(`${e.decky.name} ${m[1]}`);
      if (e.kind !== 'file' || e.action !== 'file:create' || e.job !== undefined) continue;
      const path = e.path!;
      if (path.startsWith('/tmp/')) {
        tmp++;
        // PHP keeps its sessions in /var/lib/php/sessions on Debian: never one in /tmp.
        if (path.startsWith('/tmp/sess_')) sessions++;
        continue;
      }
      const m = /^\/var\/log\/([a-z]+)\/(.+)$/.exec(path);
      if (!m || m[1] === 'cron-jobs' || e.contentClass !== 'log_daemon') continue;
      const app = m[1]!;
      appsSeen.add(app);
      let set = perDecky.get(e.decky.name);
      if (!set) perDecky.set(e.decky.name, (set = new Set()));
      set.add(app);
      // Named for its day (a log without a date would stop while its application goes on).
      assert.match(m[2]!, new RegExp(`^${app}(-(error|jobs|tasks|access|batches|delivery|exports))?-\\d{4}-\\d{2}-\\d{2}\\.log$`), `${seed} ${e.decky.name} ${path}`);
      const tags = new Set(bodyBytes(e).toString('utf8').split('\n').filter((l) => l !== '').map((l) => l.slice(16).split(' ')[1]!.replace(/\[\d+\]:$/, '')));
      assert.equal([...tags], [app], `${seed} ${e.decky.name} ${path}: lines of ${[...tags].join(', ')}`);
      for (const m of bodyBytes(e).toString('utf8').matchAll(/ ([a-z]+)\[(\d+)\]: /g)) {
        const key = `${e.decky.name} ${m[2]}`;
        const was = appPids.get(key);
        assert.ok(was === undefined || was === m[1], `${seed} ${e.decky.name}: ${was} and ${m[1]} both run as PID ${m[2]}`);
        appPids.set(key, m[1]!);
      }
    }
    for (const [name, apps] of perDecky) assert.ok(apps.size <= 3, `${seed} ${name} runs ${[...apps].join(', ')}`);
    // An application daemon's PID is not one a cron job or an SSH session took.
    for (const [key, app] of appPids) assert.not.ok(jobPids.has(key), `${seed} ${key}: ${app}'s PID was a short-lived process's too`);
  }
  assert.ok(appsSeen.size >= 5, `only ${[...appsSeen].join(', ')} over five seeds`);
  assert.ok(tmp >= 10, `${tmp} temporary files`);
  assert.is(sessions, 0, `${sessions} PHP session files in /tmp`);
});

test('applications have a past before the horizon and keep their files a bounded number of days (40-day plans, 3 seeds)', () => {
  const start = Date.parse('2026-02-02T00:00:00Z');
  const end = start + 40 * 86_400_000;
  const pastDirs = new Set<string>();
  let dirs = 0;
  let deletes = 0;
  for (const seed of ['keep-1', 'keep-2', 'keep-3']) {
    const events = eventsFor(seed, { start: '2026-02-02T00:00:00Z', days: 40 });
    for (const e of events) {
      if (e.job === 'history' && /^\/var\/log\/[a-z]+\/[a-z-]+-\d{4}-\d{2}-\d{2}\.log$/.test(e.path!) && !e.path!.startsWith('/var/log/cron-jobs/')) {
        // Planted with its day's name and last written that day, before the horizon.
        assert.is(e.mtime!.slice(0, 10), e.path!.slice(-14, -4), `${seed} ${e.path} planted with mtime ${e.mtime}`);
        assert.ok(Date.parse(e.mtime!) < start, `${seed} ${e.path} planted from the future`);
        pastDirs.add(`${seed} ${e.decky.name} ${e.path!.split('/')[3]}`);
      }
      if (e.action !== 'file:delete' || !/^\/var\/log\/[a-z]+\/[a-z-]+-\d{4}-\d{2}-\d{2}\.log$/.test(e.path!)) continue;
      deletes++;
      // The application deletes its own old files, never today's or another's.
      assert.is(e.job, e.path!.split('/')[3], `${seed} ${e.path} deleted by ${e.job}`);
      assert.ok(e.path!.slice(-14, -4) < e.at.slice(0, 10), `${seed} ${e.path} deleted on its own day`);
    }
    for (const tree of materialise(events)) {
      const byApp = new Map<string, string[]>();
      for (const f of tree.files) {
        const m = /^\/var\/log\/([a-z]+)\/[a-z-]+-(\d{4}-\d{2}-\d{2})\.log$/.exec(f.path);
        if (!m || m[1] === 'cron') continue;
        let dates = byApp.get(m[1]!);
        if (!dates) byApp.set(m[1]!, (dates = []));
        dates.push(m[2]!);
        // A day's file was last written that day (an intruder's `ls -l` against the name), at
        // the second of its last line (`stat` against `tail -1`).
        assert.is(f.mtime.slice(0, 10), m[2], `${seed} ${tree.decky.name} ${f.path} last written ${f.mtime}`);
        const lastLine = bodyOf(f.content).toString('utf8').trimEnd().split('\n').pop()!;
        assert.is(lastLine.slice(7, 15), f.mtime.slice(11, 19), `${seed} ${tree.decky.name} ${f.path}: mtime ${f.mtime}, last line ${lastLine}`);
      }
      for (const [app, dates] of byApp) {
        dirs++;
        dates.sort();
        const oldest = Date.parse(`${dates[0]}T00:00:00Z`);
        // At most 30 days, deleted when the application next starts a file (a few days' lag at most).
        assert.ok(end - oldest <= 35 * 86_400_000, `${seed} ${tree.decky.name} ${app} keeps ${dates[0]} at the end of the plan`);
      }
    }
  }
  assert.ok(dirs >= 10 && deletes >= 20, `${dirs} application directories, ${deletes} deletes`);
  // Every application had written files before the horizon, unless its machine booted since.
  assert.ok(pastDirs.size >= dirs * 0.6, `only ${pastDirs.size} of ${dirs} application directories have files from before the horizon`);
});

test.run();
