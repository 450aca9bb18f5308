// `check` on timelines the engine plans: clean for many seeds, the golden fixtures, both file
// formats, and through the CLI (exit codes, --json shape, bad input).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markSkipped } from './helpers/skip.js';
import { runCheck, type CheckReport } from '../src/check/index.js';
import { sourceFromFile, sourceFromPlan } from '../src/check/source.js';
import { inputs, parse, planText, serialize, withConfig, writeTemp } from './check-helpers.js';
import { cli, ROOT } from './helpers/cli.js';

function describe(r: CheckReport): string {
  return r.violations.slice(0, 5).map((v) => `inv ${v.invariant} ${v.eventId} ${v.decky} ${v.path}: ${v.reason}`).join('\n');
}

test('30 seeds x 7 days of the default fleet pass every invariant', async () => {
  const inp = inputs({ days: 7 });
  for (let s = 0; s < 30; s++) {
    const r = await runCheck(sourceFromPlan(`check-${s}`, inp));
    assert.ok(r.events > 500, `seed check-${s}: ${r.events} events`);
    assert.is(r.violationCount, 0, `seed check-${s}:\n${describe(r)}`);
    assert.is(r.reproduce, null);
    assert.ok(r.statistics.length >= 9);
  }
});

test('the multi-time-zone fixture fleet passes for several seeds', async () => {
  const fleet = JSON.parse(readFileSync(join(ROOT, 'fixtures/multi-tz-fleet.json'), 'utf8'));
  const inp = inputs({ days: 14, fleet: { file: 'multi-tz-fleet.json', data: fleet } });
  for (let s = 0; s < 6; s++) {
    const r = await runCheck(sourceFromPlan(`tz-${s}`, inp));
    assert.is(r.violationCount, 0, `seed tz-${s}:\n${describe(r)}`);
  }
});

test('a long horizon passes: statistical bounds hold when names run out', async () => {
  const r = await runCheck(sourceFromPlan('long', inputs({ days: 120 })));
  assert.is(r.violationCount, 0, describe(r));
  const script = r.statistics.find((t) => t.name.startsWith('script share'))!;
  assert.is(script.status, 'ok');
});

test('golden fixtures pass every invariant, reproduction included', async () => {
  const dir = join(ROOT, 'fixtures');
  const goldens = readdirSync(dir).filter((f) => /^golden-.*\.(json|ndjson)$/.test(f));
  if (goldens.length === 0) {
    markSkipped('check', 'golden fixtures pass every invariant', 'no fixtures/golden-* files');
    return;
  }
  for (const f of goldens) {
    const r = await runCheck(await sourceFromFile(join(dir, f)));
    assert.is(r.violationCount, 0, `${f}:\n${describe(r)}`);
    assert.ok(r.reproduce?.ok, `${f} reproduces`);
  }
});

test('files in both formats pass, invariant 10 included', async () => {
  for (const format of ['json', 'ndjson'] as const) {
    const file = writeTemp(planText('fmt', inputs({ days: 3 }), format), format);
    const r = await runCheck(await sourceFromFile(file));
    assert.is(r.violationCount, 0, describe(r));
    assert.ok(r.reproduce?.ok);
  }
});

test('a tiny horizon reports "sample too small" rather than a violation', async () => {
  const r = await runCheck(sourceFromPlan('tiny', inputs({ start: '2026-01-05T09:00:00Z', until: '2026-01-05T11:00:00Z' })));
  assert.is(r.violationCount, 0, describe(r));
  assert.ok(r.statistics.some((t) => t.status === 'too-small'));
});

test('settings that change the draws still pass: heavy canaries without a DNS zone, quiet events dropped', async () => {
  const inp = withConfig({ canaryProbability: 0.2, canaryCapPerDecky: 6, canary: { httpBase: 'https://cdn.example.org/s', dnsZone: null } }, { days: 7 });
  const r1 = await runCheck(sourceFromPlan('cfg-1', inp), { allowTestCallbacks: true });
  assert.is(r1.violationCount, 0, describe(r1));
  // Without the test flag, the documentation domain is reported (invariant 11), once.
  const r0 = await runCheck(sourceFromPlan('cfg-1', inp));
  assert.equal(r0.byInvariant, { '11': 1 }, describe(r0));
  assert.match(r0.violations[0]!.reason, /cdn\.example\.org is a documentation domain/);
  const r2 = await runCheck(sourceFromPlan('cfg-2', inputs({ days: 7, quiet: false })));
  assert.is(r2.violationCount, 0, describe(r2));
});

test('CLI: check FILE exits 0 with --json, and plan flags work without a file', async () => {
  const file = writeTemp(planText('cli', inputs({ days: 2 })));
  const r = await cli(['check', file, '--json']);
  assert.is(r.exitCode, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.is(j.ok, true);
  assert.equal(j.violations, []);
  assert.is(j.reproduce.ok, true);
  const p = await cli(['check', '--seed', '9', '--days', '2']);
  assert.is(p.exitCode, 0, p.stderr);
  assert.match(p.stdout, /ok: no violations/);
  assert.match(p.stdout, /10\. the timeline reproduces from its header: not applicable/);
});

test('CLI: truncated, wrong-version, edited-header and out-of-order files exit 2 with one line', async () => {
  const text = planText('bad', inputs({ days: 2 }));
  const truncated = writeTemp(text.slice(0, Math.floor(text.length / 2)));
  const wrongVersion = writeTemp(text.replace('"version":1,', '"version":99,'));
  const editedHeader = writeTemp(text.replace('"interval":900', '"interval":901'));
  const lines = text.split('\n');
  [lines[3], lines[4]] = [lines[4]!, lines[3]!];
  const outOfOrder = writeTemp(lines.join('\n'));
  const missing = join(ROOT, 'no-such-timeline.json');
  for (const f of [truncated, wrongVersion, editedHeader, outOfOrder, missing]) {
    const r = await cli(['check', f]);
    assert.is(r.exitCode, 2, `${f}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^error: /);
    assert.is(r.stdout, '');
  }
});

test('CLI: a file together with plan flags, or a bad --alpha, is a usage error', async () => {
  const file = writeTemp(planText('usage', inputs({ days: 1 })));
  assert.is((await cli(['check', file, '--days', '3'])).exitCode, 2);
  assert.is((await cli(['check', file, '--alpha', '2'])).exitCode, 2);
  assert.is((await cli(['check', file, '--no-such-flag'])).exitCode, 2);
});

test('CLI: --max-listed bounds the list but not the count', async () => {
  const t = parse(planText('many', inputs({ days: 2 })));
  for (const ev of t.events) if (ev.kind === 'file') ev.path = ev.path!.replace(/^\//, '');
  const file = writeTemp(serialize(t));
  const r = await cli(['check', file, '--json', '--max-listed', '3']);
  assert.is(r.exitCode, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.is(j.violations.length, 3);
  assert.ok(j.violationCount > 3);
  assert.is(j.truncated, true);
});

test.run();
