// The engine's encoder must give exactly JSON.stringify's bytes for every event the engine emits,
// including names, uuids, paths and callbacks that need escaping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeEngineEvent, jsonContent } from '../src/timeline/encode.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { GrowingText } from '../src/util/growing.js';
import { sha256Hex } from '../src/util/hash.js';
import { eventsFor, LURE_CALLBACKS } from './helpers/plan.js';

test('encodeEngineEvent equals JSON.stringify over many seeds, heavy canaries included', () => {
  let n = 0;
  const kinds = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const config = i % 3 === 0 ? { file: 'c.json', data: { canaryProbability: 0.5, canaryCapPerDecky: 20, canary: LURE_CALLBACKS } } : undefined;
    for (const e of eventsFor(`enc-${i}`, { days: 3, config })) {
      assert.is(encodeEngineEvent(e), JSON.stringify(e));
      kinds.add(e.canary ? 'canary' : e.previousSha256 ? 'edit' : e.kind);
      n++;
    }
  }
  assert.ok(n > 5000);
  assert.equal([...kinds].sort(), ['canary', 'edit', 'file', 'quiet', 'traffic']);
});

test('fields that need escaping (uuids, names, callbacks) are escaped exactly as JSON.stringify does', () => {
  const personas = [
    { name: 'Zoë "Z" O\'Neil\\ops', login: 'zoe', email: 'zoe@example.org', role: 'ops "lead"', timezone: 'Europe/Berlin', active_hours: '00:00-00:00', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
  ];
  const fleet = {
    deckies: [
      { name: 'web1', uuid: 'a"b\\c\u00e9-1', hostname: 'web1', services: ['ssh'], address: '10.0.0.2', personas: ['Zoë "Z" O\'Neil\\ops'] },
      { name: 'db-2', uuid: 'q\'r\u0001z-2', hostname: 'db2', services: ['ssh'], address: '10.0.0.3', personas: ['Zoë "Z" O\'Neil\\ops'] },
    ],
  };
  const config = { file: 'c.json', data: { canaryProbability: 0.5, canaryCapPerDecky: 50, canary: { httpBase: 'https://static.example.net/x"y\\z' } } };
  let n = 0;
  const seen = new Set<string>();
  for (const seed of ['esc-1', 'esc-2', 'esc-3']) {
    for (const e of eventsFor(seed, { fleet: { file: 'f.json', data: fleet }, personas: { file: 'p.json', data: personas }, config, days: 4 })) {
      const line = encodeEngineEvent(e);
      assert.is(line, JSON.stringify(e));
      // The escapes this test is about really occur: in decky refs, topics, personas, callbacks.
      for (const probe of ['"uuid":"a\\"b\\\\c\u00e9-1"', 'orchestrator.traffic.q\'r\\u0001z-2', '"persona":"Zoë \\"Z\\" O\'Neil\\\\ops"', 'static.example.net/x\\"y\\\\z']) if (line.includes(probe)) seen.add(probe);
      n++;
    }
  }
  assert.ok(n > 1000);
  assert.is(seen.size, 4);
});


test('a growing text keeps its byte length, sha256 and JSON equal to those of the whole text', () => {
  // Pieces that escape (quotes, backslashes, controls), multi-byte characters, a surrogate pair
  // and its halves alone, so that some appends split a pair and some leave a lone half.
  const pool = ['a', 'line\n', '"', '\\', '\u0001', '\t', '\u2028', 'é', '€', '😀', '\ud83d', '\ude00', '\u007f'];
  let r = 7;
  const next = (n: number) => ((r = (Math.imul(r, 1103515245) + 12345) >>> 0) % n);
  let splits = 0;
  for (let run = 0; run < 200; run++) {
    const g = new GrowingText();
    let whole = '';
    for (let k = 0; k < 30; k++) {
      let s = '';
      for (let n = next(6); n >= 0; n--) s += pool[next(pool.length)]!;
      if (/[\ud800-\udbff]$/.test(whole) && /^[\udc00-\udfff]/.test(s)) splits++;
      g.append(s);
      whole += s;
      assert.is(g.text, whole);
      assert.is(Buffer.from(g.utf8()).toString('hex'), Buffer.from(whole).toString('hex'));
      assert.is(g.bytes, Buffer.byteLength(whole));
      assert.is(g.sha256(), sha256Hex(whole));
      assert.is(g.json(), JSON.stringify(whole));
    }
  }
  assert.ok(splits > 0, 'some appends split a surrogate pair');
});

test('a growing log text whose only escape is a newline gives JSON.stringify\'s JSON, before and after its first quote', () => {
  const g = new GrowingText();
  let whole = '';
  const lines = ['Jan  9 00:45:01 host CRON[1019]: (root) CMD (run-parts /etc/cron.hourly)\n', 'é € \u2028 \u007f tail\n', '\n', 'no newline at the end'];
  for (let k = 0; k < 40; k++) {
    const s = k === 30 ? 'said "stop"\n' : lines[k % lines.length]!;
    g.append(s);
    whole += s;
    assert.is(g.json(), JSON.stringify(whole), `after append ${k}`);
  }
});

test('a live log\'s content known by its JSON reads, copies and encodes as a plain one; assigning its data replaces the JSON', () => {
  const text = 'Mar  3 06:25:01 web1 CRON[812]: (root) CMD ("quoted" \\ path)\nnext é\n';
  const c = jsonContent(JSON.stringify(text), Buffer.byteLength(text), sha256Hex(text));
  assert.is(c.data, text);
  assert.equal(Object.keys(c), ['encoding', 'data', 'bytes', 'sha256']);
  assert.equal({ ...c }, { encoding: 'utf8', data: text, bytes: Buffer.byteLength(text), sha256: sha256Hex(text) });
  assert.is(JSON.stringify(c), JSON.stringify({ ...c }));
  const ev = { id: '0123456789abcdef', at: '2026-03-03T06:25:02Z', tick: 1, decky: { uuid: 'u', name: 'web1' }, kind: 'file', action: 'file:edit', topic: 't', job: 'rsyslogd', contentClass: 'log_daemon', path: '/var/log/syslog', mode: '0640', owner: 'root', mtime: '2026-03-03T06:25:01.123456789Z', atime: '2026-03-03T06:25:01.123456789Z', content: c, previousSha256: 'p' } as TimelineEvent;
  assert.is(encodeEngineEvent(ev), JSON.stringify(ev));
  // A hand-broken timeline edits the body: the encoder must write the new one, not the kept JSON.
  c.data = 'tampered\n';
  assert.is(c.data, 'tampered\n');
  assert.is(encodeEngineEvent(ev), JSON.stringify(ev));
  assert.ok(encodeEngineEvent(ev).includes('"data":"tampered\\n"'));
});

test.run();
