// A cron job's log says what its script prints: every line of a job's log has the shape the
// script's own command makes, the disk report is steady from day to day, and a dated report holds
// the line of the run it is named after, as the job's log has it (to the second), and is one the
// job's own script writes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyBytes, eventsFor } from './helpers/plan.js';

const SHAPE: Record<string, { line: RegExp; script: string }> = {
  'report-disk': { line: /^\/ (\d+)% used, \/var \1% used$/, script: 'printf "/ %s used, /var %s used"' },
  'queue-gc': { line: /^removed \d+ stale entries$/, script: 'echo "removed $(find' },
  'apt-refresh': { line: /^package lists refreshed, \d+ upgradable$/, script: 'echo "package lists refreshed, $(apt list' },
  'ntp-check': { line: /^clock synchronized: yes, offset [+-]\d\.\d{3}ms$/, script: 'printf "clock synchronized: %s, offset %s"' },
};

test('job logs, scripts and dated reports agree, 3 seeds x 14 days', () => {
  let lines = 0;
  let reports = 0;
  for (const seed of ['cron-1', 'cron-2', 'cron-3']) {
    const messages = new Map<string, Set<string>>();
    const disk = new Map<string, number[]>();
    const dated: Array<{ decky: string; job: string; message: string; line: string; name: string; year: string }> = [];
    const written = new Set<string>();
    const scripts = new Map<string, string>();
    for (const e of eventsFor(seed, { days: 14 })) {
      if (e.kind !== 'file' || !e.content) continue;
      const text = bodyBytes(e).toString('utf8');
      const script = /^\/usr\/local\/sbin\/([a-z-]+)\.sh$/.exec(e.path!);
      if (script && SHAPE[script[1]!]) assert.ok(text.includes(SHAPE[script[1]!]!.script), `${seed} ${e.decky.name} ${e.path}: the script does not print its log's line`);
      if (script) scripts.set(`${e.decky.uuid} ${script[1]}`, text);
      const log = /^\/var\/log\/cron-jobs\/([a-z-]+?)(-\d{4}-\d{2}-\d{2}-\d{4})?\.log$/.exec(e.path!);
      if (!log || !SHAPE[log[1]!]) continue;
      const job = log[1]!;
      for (const l of text.split('\n')) {
        const m = new RegExp(`^\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ ${job}: (.*)$`).exec(l);
        if (!m) continue;
        assert.match(m[1]!, SHAPE[job]!.line, `${seed} ${e.decky.name} ${e.path}: ${l}`);
        if (log[2]) dated.push({ decky: e.decky.uuid, job, message: m[1]!, line: l, name: log[2].slice(1), year: e.mtime!.slice(0, 4) });
        else {
          written.add(`${e.decky.uuid} ${l}`);
          const key = `${e.decky.uuid} ${job}`;
          if (!messages.has(key)) messages.set(key, new Set());
          messages.get(key)!.add(m[1]!);
          if (job === 'report-disk') {
            if (!disk.has(e.decky.uuid)) disk.set(e.decky.uuid, []);
            disk.get(e.decky.uuid)!.push(Number(/(\d+)%/.exec(m[1]!)![1]));
          }
          lines++;
        }
      }
      if (log[2]) assert.is(text.split('\n').filter((l) => l !== '').length, 1, `${seed} ${e.path}: a dated report holds one run's line`);
    }
    for (const d of dated) {
      reports++;
      assert.ok(messages.get(`${d.decky} ${d.job}`)?.has(d.message), `${seed} ${d.job}: dated report "${d.message}" is in no run of the job's log`);
      // To the second: the report is that run's line, not the same words at another time.
      assert.ok(written.has(`${d.decky} ${d.line}`), `${seed} ${d.job}: dated report "${d.line}" is not a line of the job's log`);
      // Something on the machine makes it: the job's own script keeps a run apart under the
      // UTC minute the run started, which is at most a few minutes before its line's stamp.
      const body = scripts.get(`${d.decky} ${d.job}`) ?? '';
      assert.ok(body.includes('started=$(date -u +%F-%H%M)') && body.includes(`> "/var/log/cron-jobs/${d.job}-$started.log"`), `${seed} ${d.job}: no script writes its dated reports`);
      assert.ok(body.includes(`find /var/log/cron-jobs -name '${d.job}-*.log' -mtime +14 -delete`), `${seed} ${d.job}: no script prunes its dated reports`);
      const [y, mo, da, hm] = d.name.split('-');
      const named = Date.parse(`${y}-${mo}-${da}T${hm!.slice(0, 2)}:${hm!.slice(2)}:00Z`);
      const stamped = Date.parse(`${d.line.slice(0, 15)} ${d.year} UTC`);
      assert.ok(stamped >= named && stamped - named < 15 * 60_000, `${seed} ${d.job}: report ${d.name} holds a line stamped ${d.line.slice(0, 15)}`);
    }
    for (const [uuid, pcts] of disk) assert.ok(Math.max(...pcts) - Math.min(...pcts) <= 2, `${seed} ${uuid}: disk use ${pcts.join(', ')}`);
  }
  assert.ok(lines >= 100 && reports >= 3, `${lines} job lines, ${reports} dated reports`);
});

test('a job\'s script prunes its dated reports (find -mtime +14): none older than 15 days outlives a run that makes a report, 2 seeds x 45 days', () => {
  let pruned = 0;
  let checked = 0;
  for (const seed of ['prune-1', 'prune-2']) {
    const live = new Map<string, number>();
    // The run's report is written, then its find removes the old ones (the deletes follow it):
    // judged at the decky's next event that is not such a delete.
    const due = new Map<string, { job: string; ms: number; at: string }>();
    const judge = (uuid: string): void => {
      const d = due.get(uuid);
      if (!d) return;
      due.delete(uuid);
      checked++;
      for (const [k, t] of live) {
        if (!k.startsWith(`${uuid} /var/log/cron-jobs/${d.job}-`)) continue;
        assert.ok(d.ms - t < 15 * 86_400_000, `${seed}: ${k} (${new Date(t).toISOString()}) outlived a run of ${d.job} at ${d.at}`);
      }
    };
    for (const e of eventsFor(seed, { days: 45 })) {
      if (e.kind !== 'file') continue;
      const m = /^\/var\/log\/cron-jobs\/([a-z-]+?)-\d{4}-\d{2}-\d{2}-\d{4}\.log$/.exec(e.path!);
      const key = `${e.decky.uuid} ${e.path}`;
      if (m && e.action === 'file:delete') {
        assert.ok(live.has(key), `${seed}: delete of a report that is not there: ${e.path}`);
        assert.ok(Date.parse(e.at) - live.get(key)! >= 15 * 86_400_000, `${seed}: ${e.path} deleted before find -mtime +14 finds it`);
        live.delete(key);
        pruned++;
        continue;
      }
      judge(e.decky.uuid);
      if (!m) continue;
      const ms = Date.parse(e.mtime!);
      live.set(key, ms);
      due.set(e.decky.uuid, { job: m[1]!, ms, at: e.mtime! });
    }
  }
  assert.ok(pruned >= 5 && checked >= 20, `${pruned} reports pruned, ${checked} runs judged`);
});

test.run();
