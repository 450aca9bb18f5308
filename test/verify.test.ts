// `verify`: fresh output reproduces; a one-byte change of an event body, an edited summary or a
// different generator version does not; truncated and malformed files are input errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verifyFile } from '../src/verify/index.js';
import { GENERATOR_VERSION } from '../src/version.js';
import { inputs, planText, writeTemp } from './check-helpers.js';
import { cli } from './helpers/cli.js';

const TEXT = planText('verify', inputs({ days: 2 }));

test('fresh output verifies in both formats, exit 0', async () => {
  const json = writeTemp(TEXT);
  const r = await verifyFile(json);
  assert.is(r.ok, true);
  assert.is(r.fileSha256, r.plannedSha256);
  assert.is(r.firstDifference, null);
  assert.is(r.drift, null);
  const nd = writeTemp(planText('verify', inputs({ days: 2 }), 'ndjson'), 'ndjson');
  assert.is((await verifyFile(nd)).ok, true);
  const c = await cli(['verify', json]);
  assert.is(c.exitCode, 0, c.stderr);
  assert.match(c.stdout, /^ok: .* reproduces from its header/);
});

test('a one-byte change of an event body fails with the line and event, exit 1', async () => {
  const lines = TEXT.split('\n');
  const i = lines.findIndex((l) => l.includes('"contentClass":"note"'));
  const at = lines[i]!.indexOf('"data":"') + 12;
  const ch = lines[i]![at]!;
  lines[i] = lines[i]!.slice(0, at) + (ch === 'e' ? 'a' : 'e') + lines[i]!.slice(at + 1);
  const file = writeTemp(lines.join('\n'));
  const r = await verifyFile(file);
  assert.is(r.ok, false);
  assert.is.not(r.fileSha256, r.plannedSha256);
  assert.is(r.firstDifference!.line, i + 1);
  assert.is(r.firstDifference!.column, at + 1);
  assert.is(r.firstDifference!.eventId, JSON.parse(lines[i]!.replace(/,$/, '')).id);
  const c = await cli(['verify', file, '--json']);
  assert.is(c.exitCode, 1, c.stderr);
  const j = JSON.parse(c.stdout);
  assert.is(j.ok, false);
  assert.is(j.firstDifference.line, i + 1);
  const text = await cli(['verify', file]);
  assert.is(text.exitCode, 1);
  assert.match(text.stdout, /MISMATCH/);
  assert.match(text.stdout, new RegExp(`first difference: line ${i + 1}`));
});

test('engine drift: a different generatorVersion is named, exit 1', async () => {
  const other = GENERATOR_VERSION + 1;
  const file = writeTemp(TEXT.replace(`"generatorVersion":${GENERATOR_VERSION},`, `"generatorVersion":${other},`));
  const r = await verifyFile(file);
  assert.is(r.ok, false);
  assert.match(r.drift!, new RegExp(`generator version ${other}.*generator version ${GENERATOR_VERSION}`));
  const c = await cli(['verify', file]);
  assert.is(c.exitCode, 1);
  assert.match(c.stdout, /engine drift/);
});

test('an edited summary is a mismatch, not a crash', async () => {
  const file = writeTemp(TEXT.replace(/"byDecky":\{"([^"]+)":(\d+)/, (_, k: string, n: string) => `"byDecky":{"${k}":${Number(n) + 1}`));
  const r = await verifyFile(file);
  assert.is(r.ok, false);
  assert.is(r.firstDifference!.line, TEXT.split('\n').length - 1);
});

test('truncated, empty, wrong-version, edited-input and non-timeline files exit 2', async () => {
  const cases: Array<[string, string]> = [
    ['truncated', TEXT.slice(0, Math.floor(TEXT.length * 0.7))],
    ['cut at a line end', TEXT.split('\n').slice(0, 40).join('\n') + '\n'],
    ['empty', ''],
    ['wrong version', TEXT.replace('"version":1,', '"version":2,')],
    ['edited inputs', TEXT.replace('"canaryProbability":0.03', '"canaryProbability":0.5')],
    ['not a timeline', '{"hello":"world"}\n'],
  ];
  for (const [name, text] of cases) {
    const file = writeTemp(text);
    const r = await cli(['verify', file]);
    assert.is(r.exitCode, 2, `${name}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /^error: /);
  }
  assert.is((await cli(['verify'])).exitCode, 2);
});

test.run();
