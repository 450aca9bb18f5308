// Scripts in the homes are what their authors would have written: Python in Python (no shell
// steps wrapped in a heredoc), shell that parses, and a first comment about the script itself
// rather than a task picked from elsewhere. Checked with the real parsers over many seeds.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyOf, materialise } from '../src/timeline/materialise.js';
import { eventsFor } from './helpers/plan.js';

const TMP = mkdtempSync(join(tmpdir(), 'scripts-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));

interface Script {
  path: string;
  body: string;
}

const scripts: Script[] = [];
for (let i = 0; i < 8; i++) {
  for (const tree of materialise(eventsFor(`scripts-${i}`, { days: 14 }))) {
    for (const f of tree.files) if (f.contentClass === 'script' || (f.path.endsWith('/run.sh') && f.contentClass === 'source')) scripts.push({ path: `${tree.decky.name}${f.path}`, body: Buffer.from(bodyOf(f.content)).toString('utf8') });
  }
}
// The machine's cron job scripts (crontab.ts), as /etc/cron.d runs them with /bin/sh.
const jobs: Script[] = [];
for (let i = 0; i < 4; i++) {
  for (const tree of materialise(eventsFor(`jobs-${i}`, { days: 2 }))) {
    for (const f of tree.files) if (f.path.startsWith('/usr/local/sbin/')) jobs.push({ path: `${tree.decky.name}${f.path}`, body: Buffer.from(bodyOf(f.content)).toString('utf8') });
  }
}
const py = scripts.filter((s) => s.path.endsWith('.py'));
const sh = scripts.filter((s) => !s.path.endsWith('.py'));

test('enough of both kinds to judge', () => {
  assert.ok(py.length >= 20 && sh.length >= 40, `${py.length} Python, ${sh.length} shell`);
});

test('every Python script compiles (python3 -m py_compile) and none runs shell steps through bash -c', async () => {
  const files = py.map((s, i) => {
    const f = join(TMP, `s${i}.py`);
    writeFileSync(f, s.body);
    return f;
  });
  const r = await execa('python3', ['-m', 'py_compile', ...files], { reject: false });
  assert.is(r.exitCode, 0, r.stderr);
  for (const s of py) assert.not.match(s.body, /"bash", "-euo"|SCRIPT = r"""/, s.path);
});

test('every shell script parses with its own interpreter (bash -n, or dash -n for #!/bin/sh)', async () => {
  for (const s of sh) {
    const shell = s.body.startsWith('#!/bin/sh\n') ? 'dash' : 'bash';
    const r = await execa(shell, ['-n'], { input: s.body, reject: false });
    assert.is(r.exitCode, 0, `${s.path}: ${r.stderr}`);
  }
});

test('the opening comment is about the script: never a to-do picked from the notes ("check disk: simplify the admin password rotation")', () => {
  const TASK = /^(check|clean up|document|review|fix|update|write up|look into|test|sort out|tidy up|double-check|schedule|automate|measure|simplify|retire|split up|revisit|benchmark|rework|go over|dig into|pair with|chase|ask \S+ about|raise|open|file|get|reproduce|write tests for) /i;
  let headers = 0;
  for (const s of scripts.filter((x) => !x.path.endsWith('/run.sh'))) {
    const lines = s.body.split('\n');
    const first = s.path.endsWith('.py') ? /^"""(.*?)(\.""")?$/.exec(lines[1] ?? '')?.[1] : /^# (.*)$/.exec(lines[1] ?? '')?.[1];
    if (first === undefined) continue;
    headers++;
    const text = first.replace(/^[\w ]+: /, '');
    assert.not.match(text, TASK, `${s.path}: ${first}`);
  }
  assert.ok(headers >= scripts.length * 0.4, `${headers} of ${scripts.length} scripts open with a comment`);
});

test('every cron job script parses with dash, and a run writes its line, keeps it apart on a busy machine and prunes old copies', async () => {
  assert.ok(jobs.length >= 8, `${jobs.length} job scripts`);
  for (const s of jobs) {
    assert.ok(s.body.startsWith('#!/bin/sh\n'), s.path);
    const r = await execa('dash', ['-n'], { input: s.body, reject: false });
    assert.is(r.exitCode, 0, `${s.path}: ${r.stderr}`);
  }
  // One job run for real, its paths moved under a scratch folder and its load read from a file.
  const job = jobs.find((s) => s.path.endsWith('/queue-gc.sh'))!;
  const dir = join(TMP, 'cron-jobs');
  const load = join(TMP, 'loadavg');
  const body = job.body.replaceAll('/var/log/cron-jobs', dir).replaceAll('/proc/loadavg', load);
  const { mkdirSync, readdirSync, utimesSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const old = join(dir, 'queue-gc-2020-01-01-0000.log');
  writeFileSync(old, 'x\n');
  utimesSync(old, new Date('2020-01-02T00:00:00Z'), new Date('2020-01-02T00:00:00Z'));
  for (const [avg, copies] of [['0.40 0.30 0.20 1/100 1', 0], ['2.50 1.00 0.50 1/100 1', 1]] as const) {
    writeFileSync(load, avg + '\n');
    const r = await execa('dash', ['-c', body], { reject: false });
    assert.is(r.exitCode, 0, r.stderr);
    const dated = readdirSync(dir).filter((f) => /^queue-gc-\d{4}-\d{2}-\d{2}-\d{4}\.log$/.test(f));
    assert.is(dated.length, copies, `load ${avg}: ${dated.join(' ')}`);
  }
  assert.match(readdirSync(dir).join(' '), /queue-gc\.log/);
});

test.run();
