// The one-pass reader (issue 17) changes how timelines are read, not what the commands report:
// over a corpus of valid, hand-broken (the edits of check-invariants.test.ts), structurally
// damaged and reordered timelines in both formats, check, verify, stats and diff give the same
// report (or the same input error, so the same exit code) as the reference copy of the code as it
// was before (test/legacy: readline, async layers, verify's two passes, check's second pass).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../src/check/index.js';
import { sourceFromFile } from '../src/check/source.js';
import { diffTimelines } from '../src/diff/index.js';
import { InputError } from '../src/errors.js';
import { computeStats } from '../src/stats/index.js';
import type { Timeline, TimelineEvent } from '../src/timeline/types.js';
import { syslogStamp } from '../src/util/time.js';
import { verifyFile } from '../src/verify/index.js';
import { cli } from './helpers/cli.js';
import { gzipSync, zipSync, zlibSync } from 'fflate';
import { appendedClean, type BodyFacts, contentBytes, scanAppended, scanForWords } from '../src/check/scan.js';
import { scanForWords as legacyScan } from './legacy/check-scan.js';
import { bodyOf, inputs, planned, planText, rehash, serialize, setBody, withConfig, writeTemp } from './check-helpers.js';
import { runCheck as legacyCheck } from './legacy/check-index.js';
import { sourceFromFile as legacySource } from './legacy/check-source.js';
import { diffTimelines as legacyDiff } from './legacy/diff-index.js';
import { computeStats as legacyStats } from './legacy/stats-index.js';
import { verifyFile as legacyVerify } from './legacy/verify-index.js';

const BASE = planned('equiv', inputs({ days: 2 }));

function ndjson(t: Timeline): string {
  return [JSON.stringify({ header: t.header }), ...t.events.map((e) => JSON.stringify(e)), JSON.stringify({ summary: { ...t.summary, events: t.events.length } })].join('\n') + '\n';
}

function lastOfPath(t: Timeline, pred: (e: TimelineEvent) => boolean): TimelineEvent {
  const later = new Set<string>();
  for (let i = t.events.length - 1; i >= 0; i--) {
    const e = t.events[i]!;
    if (e.kind !== 'file') continue;
    const key = `${e.decky.uuid} ${e.path}`;
    if (!later.has(key) && pred(e)) return e;
    later.add(key);
  }
  throw new Error('no event matches');
}

/** Edits of parsed timelines (the check tests' hand-broken timelines and a few more). */
const EDITS: Record<string, (t: Timeline) => void> = {
  unbroken: () => {},
  'digits in a basename': (t) => {
    lastOfPath(t, (e) => e.contentClass === 'cache_tmp').path = '/tmp/sess_1767225600';
  },
  'decnet in base64 and a path, canary in a body': (t) => {
    const note = lastOfPath(t, (e) => e.contentClass === 'note');
    setBody(note, `${bodyOf(note)}- host: ${Buffer.from('backup.decnet.internal').toString('base64')}\n`);
    lastOfPath(t, (e) => e.contentClass === 'cache_tmp').path = '/tmp/.decnet-session';
    const d = lastOfPath(t, (e) => e.contentClass === 'draft' && e.path !== note.path);
    setBody(d, `${bodyOf(d)}\nThe Canary Wharf office moves in March.\n`);
  },
  'previousSha256 and an orphan edit': (t) => {
    const ev = t.events.find((e) => e.action === 'file:edit')!;
    ev.previousSha256 = '0'.repeat(64);
    const orphan = lastOfPath(t, (e) => e.action === 'file:edit' && e.id !== ev.id && e.path !== ev.path);
    orphan.path = orphan.path!.replace(/\/([^/]+)$/, '/never-created-$1');
  },
  'log rewritten and a line after the mtime': (t) => {
    const ev = lastOfPath(t, (e) => e.action === 'file:edit' && e.contentClass === 'log_daemon');
    setBody(ev, bodyOf(ev).replace(/^(\w{3} [ \d]\d )(\d\d)/, (_, a: string, h: string) => `${a}${h === '00' ? '01' : '00'}`));
    const ev2 = lastOfPath(t, (e) => e.action === 'file:edit' && (e.contentClass === 'log_cron' || e.contentClass === 'log_daemon') && e.id !== ev.id);
    setBody(ev2, `${bodyOf(ev2)}${syslogStamp(Date.parse(ev2.mtime!) + 3_600_000)} ${ev2.decky.name} systemd[1]: Finished apt-daily.service.\n`);
  },
  'mtimes after the event and backwards': (t) => {
    const ev = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
    ev.mtime = new Date(Date.parse(ev.at) + 3_600_000).toISOString().replace('.000Z', 'Z');
    lastOfPath(t, (e) => e.action === 'file:edit' && e.contentClass === 'note').mtime = '2025-06-01T00:00:00Z';
  },
  'persona swapped': (t) => {
    const ev = t.events.find((e) => e.contentClass === 'note' || e.contentClass === 'todo')!;
    ev.persona = t.header.inputs.personas.find((p) => p.name !== ev.persona)!.name;
  },
  'secret canary not 0600, cap 1': (t) => {
    const ev = lastOfPath(t, (e) => e.canary !== undefined);
    ev.contentClass = 'canary_ssh_key';
    ev.canary!.generator = 'ssh_key';
    ev.mode = '0644';
    t.header.inputs.config.canaryCapPerDecky = 1;
    rehash(t);
  },
  'big body, dot-dot and control character': (t) => {
    setBody(lastOfPath(t, (e) => e.contentClass === 'cache_tmp'), 'x'.repeat(70_000));
    const p = t.events.filter((e) => e.contentClass === 'cache_tmp');
    p[0]!.path = '/tmp/../etc/sess_abc';
    p[1]!.path = '/tmp/sess_\u0007bell';
  },
  'canary probability in the header': (t) => {
    t.header.inputs.config.canaryProbability = 0.3;
    rehash(t);
  },
  'one byte of an id': (t) => {
    const ev = t.events[Math.floor(t.events.length / 2)]!;
    ev.id = ev.id.slice(0, -1) + (ev.id.endsWith('0') ? '1' : '0');
  },
  'two events swapped (out of order)': (t) => {
    const i = Math.floor(t.events.length / 3);
    [t.events[i], t.events[i + 1]] = [t.events[i + 1]!, t.events[i]!];
  },
  'last two events swapped': (t) => {
    const i = t.events.length - 2;
    [t.events[i], t.events[i + 1]] = [t.events[i + 1]!, t.events[i]!];
  },
  'event removed (count fixed)': (t) => {
    t.events.splice(Math.floor(t.events.length / 2), 1);
  },
  'event duplicated (count fixed)': (t) => {
    const i = Math.floor(t.events.length / 2);
    t.events.splice(i, 0, structuredClone(t.events[i]!));
  },
  'bad at form': (t) => {
    t.events[5]!.at = t.events[5]!.at.replace('Z', '.000Z');
  },
  'unknown kind': (t) => {
    (t.events[7] as { kind: string }).kind = 'shell';
  },
  'file event without content': (t) => {
    delete lastOfPath(t, (e) => e.contentClass === 'note').content;
  },
  'engine drift': (t) => {
    t.header.generatorVersion = 1;
  },
  'engine version only': (t) => {
    t.header.engineVersion = '0.0.1';
  },
  'header inputs edited without a new hash': (t) => {
    t.header.inputs.config.canaryCapPerDecky = 2;
  },
  'wrong timeline version': (t) => {
    (t.header as { version: number }).version = 99;
  },
  'no events': (t) => {
    t.events = [];
  },
};

/** Edits of the text (framing, truncation, line ends). */
const TEXT_EDITS: Record<string, (s: string) => string> = {
  'truncated mid-file': (s) => s.slice(0, Math.floor(s.length / 2)),
  'truncated before the summary': (s) => s.slice(0, s.lastIndexOf('\n', s.length - 2) + 1),
  'summary count off': (s) => s.replace(/("summary":\{"events":)(\d+)/, (_, a: string, n: string) => `${a}${Number(n) + 1}`),
  'summary edited, count kept': (s) => s.replace(/("summary":\{"events":\d+,)/, '$1"x":1,'),
  'a line that is not JSON': (s) => {
    const l = s.split('\n');
    l[3] = l[3]!.slice(0, 40);
    return l.join('\n');
  },
  'content after the summary': (s) => `${s}{"id":"x"}\n`,
  'blank lines after the summary': (s) => `${s}\n\n`,
  'no final newline': (s) => s.slice(0, -1),
  'CRLF line ends': (s) => s.replace(/\n/g, '\r\n'),
  'a lone CR inside a line': (s) => s.replace('","at":', '",\r"at":'),
  'body byte changed': (s) => s.replace(/("data":"[^"]{10})([a-z])/, (_, a: string, c: string) => a + (c === 'a' ? 'b' : 'a')),
  'empty file': () => '',
  'whitespace only': () => '\n  \n',
  'not a timeline': () => '{"hello":1}\n',
};

interface Case {
  name: string;
  file: string;
}

const corpus: Case[] = [];
const baseJson = writeTemp(serialize(BASE));
const baseNd = writeTemp(ndjson(BASE), 'ndjson');
corpus.push({ name: 'base json', file: baseJson }, { name: 'base ndjson', file: baseNd });
for (const [name, edit] of Object.entries(EDITS)) {
  const t = structuredClone(BASE);
  edit(t);
  corpus.push({ name: `${name} (json)`, file: writeTemp(serialize(t)) });
  corpus.push({ name: `${name} (ndjson)`, file: writeTemp(ndjson(t), 'ndjson') });
  if (name === 'unbroken' || name === 'two events swapped (out of order)' || name === 'digits in a basename') {
    corpus.push({ name: `${name} (re-indented, read whole)`, file: writeTemp(JSON.stringify(t, null, 2)) });
  }
}
for (const [name, edit] of Object.entries(TEXT_EDITS)) {
  corpus.push({ name: `${name} (json)`, file: writeTemp(edit(serialize(BASE))) });
  corpus.push({ name: `${name} (ndjson)`, file: writeTemp(edit(ndjson(BASE)), 'ndjson') });
}
// Bytes that are not UTF-8 (the reader sees U+FFFD): in a body late in the file, and in the header.
for (const [name, text] of [['base', serialize(BASE)], ['base', ndjson(BASE)]] as const) {
  const ext = text.startsWith('{"header":{') ? 'ndjson' : 'json';
  const bytes = Buffer.from(text, 'utf8');
  const late = bytes.lastIndexOf(Buffer.from('"data":"'));
  const a = Buffer.from(bytes);
  a[late + 9] = 0xff;
  corpus.push({ name: `${name}, a byte that is not UTF-8 in a late body (${ext})`, file: writeTemp(a, ext) });
  const b = Buffer.from(bytes);
  b[bytes.indexOf(Buffer.from('"seed":"')) + 8] = 0xc3;
  corpus.push({ name: `${name}, a byte that is not UTF-8 in the header (${ext})`, file: writeTemp(b, ext) });
}

// The scan's rewrite (bytes instead of strings, runs remembered): every planted body of
// the corpus and crafted encodings give the same findings as the reference scan.
function craftedBodies(): Uint8Array[] {
  const enc = (x: string | Uint8Array): Uint8Array => (typeof x === 'string' ? new TextEncoder().encode(x) : x);
  const b64 = (x: string | Uint8Array): string => Buffer.from(enc(x)).toString('base64');
  const words = ['decnet', 'DecNet', 'CANARY', 'canary'];
  const out: Array<string | Uint8Array> = [];
  for (const w of words) {
    out.push(`plain ${w} text`, `x${w}y`, `path /opt/${w}/bin`);
    out.push(`blob ${b64(`host ${w}.internal`)} end`, `blob=${b64(`..${w}`)}`, `blob ${b64(`...${w}`)}`);
    out.push(`url ${Buffer.from(`see ${w}?x=1>>`).toString('base64url')} end`);
    const long = b64(`a long sentence that names ${w} somewhere in the middle of it all`);
    out.push(`wrapped\n${long.slice(0, 20)}\n${long.slice(20, 41)}\r\n${long.slice(41)}\n`, `lone cr ${long.slice(0, 30)}\r${long.slice(30)}`);
    out.push(`nested ${b64(b64(`inner ${w} inner`))}`, `gz ${b64(gzipSync(enc(`zipped ${w} body`)))}`);
    out.push(gzipSync(enc(`gzip ${w}`)), zipSync({ 'word/document.xml': enc(`<w:t>${w}</w:t>`), [`${w}.txt`]: enc('x') }));
    out.push(enc(`%PDF-1.4\n1 0 obj <</Filter /FlateDecode>> stream\n`), concat(enc('%PDF-1.4\nstream\n'), zlibSync(enc(`BT (${w}) Tj ET`)), enc('\nendstream\n')));
    out.push(`pct ${[...w].map((c) => '%' + c.charCodeAt(0).toString(16)).join('')}`, `ent ${[...w].map((c) => `&#${c.charCodeAt(0)};`).join('')}`);
    out.push(`esc ${[...w].map((c) => '\\x' + c.charCodeAt(0).toString(16)).join('')}`, `oct ${[...w].map((c) => '\\' + c.charCodeAt(0).toString(8)).join('')}`);
    out.push(`hex ${Buffer.from(w).toString('hex')}00ff`, `hex: ${Buffer.from(`x${w}`).toString('hex').replace(/(..)/g, '$1:')}`, `codes [${[...w].map((c) => c.charCodeAt(0)).join(', ')}]`);
    out.push(`split '${w.slice(0, 3)}' + "${w.slice(3)}"`, enc(Buffer.from(`utf16 ${w}`, 'utf16le')));
    out.push(`both canary and ${b64(`x ${w} y`)} and ${b64('decnet x')}`);
  }
  // Repeated runs (the memo) met with different words already found, and long bodies (no memo).
  const run = b64('backup.decnet.internal');
  out.push(`first ${run}`, `canary then ${run}`, `${run} then canary`, `/usr/local/bin/queue-gc --max-age 2h\n`.repeat(40));
  out.push(`${'/usr/local/bin/report-disk-usage.sh | logger\n'.repeat(40_000)}${run}\n`, `${'AAAA'.repeat(400_000)}${run}`);
  let x = 7;
  const noise = new Uint8Array(20_000).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
  out.push(noise, `mixed ${Buffer.from(noise.subarray(0, 3000)).toString('base64')} ${b64('x decnet')}`);
  return out.map(enc);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

test('scan: the same findings as the reference scan, planted and crafted bodies', () => {
  const bodies = craftedBodies();
  for (const c of [BASE, planned('heavy', withConfig({ canaryProbability: 0.4, canaryCapPerDecky: 10 }, { days: 2 }))]) {
    for (const e of c.events) {
      if (e.content) bodies.push(contentBytes(e.content));
      for (const m of e.companions ?? []) bodies.push(contentBytes(m.content));
    }
  }
  let found = 0;
  for (const words of [['decnet', 'canary'], ['canary'], ['decnet']]) {
    for (const b of bodies) {
      const now = JSON.stringify(scanForWords(b, words));
      same(`scan ${words.join(',')} of ${JSON.stringify(Buffer.from(b.subarray(0, 60)).toString('latin1'))}`, now, JSON.stringify(legacyScan(b, words)));
      if (now !== '[]') found++;
    }
  }
  assert.ok(found > 150, `findings in the crafted bodies: ${found}`);
});

test('scan of an appended body: the same findings as the scan of the whole body', () => {
  // Appended to log text, each crafted body is cut at every byte from a little before it: the
  // words, escapes, base64 runs, line-wrapped runs and containers straddle the cut every way.
  const log = Buffer.from(bodyOf(BASE.events.filter((e) => e.path === '/var/log/syslog' && e.content !== undefined).at(-1)!));
  const prefixes = [log.subarray(0, 600), Buffer.from('key AAAAB3NzaC1yc2EAAAADAQAB')];
  const bodies: Array<[Uint8Array, number]> = [];
  for (const p of prefixes) {
    for (const c of craftedBodies()) {
      if (c.length > 1024) continue;
      const b = concat(p, c);
      // (A cut gzip stream inflates to its trailer's claimed size, gigabytes: those are cut
      // before the stream only.)
      const end = Buffer.from(c.subarray(0, 3)).toString() === 'gz ' ? p.length + 3 : b.length;
      for (let k = Math.max(1, p.length - 40); k <= end; k++) bodies.push([b, k]);
    }
  }
  // An earlier body that was not mostly text (its runs were never decoded), now text.
  const binary = Buffer.from(`\u0001\u0001\u0001\u0001\u0001\u0001\u0001\u0001blob ${Buffer.from('host decnet.internal').toString('base64')} `);
  const texted = concat(binary, Buffer.from('and then plain text follows. '.repeat(10)));
  for (let k = binary.length - 4; k <= binary.length + 4; k++) bodies.push([texted, k]);
  // And what the engine does: each log edit's body after the body before it, the facts of one
  // appended scan handed to the next as check does (they must be the facts learnt from scratch).
  const last = new Map<string, [Uint8Array, BodyFacts | null]>();
  let chained = 0;
  for (const e of BASE.events) {
    if (e.content === undefined || !e.path?.startsWith('/var/log/')) continue;
    const b = contentBytes(e.content);
    const key = `${e.decky.uuid} ${e.path}`;
    const [before, facts] = last.get(key) ?? [undefined, null];
    let mine: BodyFacts | null = null;
    if (e.action === 'file:edit' && before !== undefined && before.length > 0 && Buffer.from(b.subarray(0, before.length)).equals(before)) {
      bodies.push([b, before.length]);
      const r = scanAppended(b, before.length, ['decnet', 'canary'], facts);
      assert.equal(r.facts, appendedClean(b, before.length, ['decnet', 'canary']));
      same(`chained appended scan of ${e.id}`, JSON.stringify(r.findings), JSON.stringify(scanForWords(b, ['decnet', 'canary'])));
      if (facts !== null) chained++;
      mine = r.facts;
    }
    last.set(key, [b, mine]);
  }
  assert.ok(chained > 100, `appended scans handed the facts of the one before: ${chained}`);
  let fast = 0;
  let found = 0;
  let engine = 0;
  for (const words of [['decnet', 'canary'], ['canary']]) {
    for (const [b, k] of bodies) {
      if (scanForWords(b.subarray(0, k), words).length > 0) continue;
      const whole = JSON.stringify(scanForWords(b, words));
      // The facts of the earlier body (learnt from its own first byte on) give the same answer.
      const earlier = k > 1 ? appendedClean(b.subarray(0, k), 1, words) : null;
      if (earlier !== null) assert.equal(appendedClean(b, k, words, earlier), appendedClean(b, k, words), `facts handed on, cut at ${k}`);
      if (appendedClean(b, k, words) !== null) {
        fast++;
        if (k < b.length && b.length > 4096) engine++;
        same(`appended scan (clean) ${words.join(',')} of ${JSON.stringify(Buffer.from(b.subarray(0, 60)).toString('latin1'))} cut at ${k}`, '[]', whole);
      }
      same(`appended scan ${words.join(',')} of ${JSON.stringify(Buffer.from(b.subarray(0, 60)).toString('latin1'))} cut at ${k}`, JSON.stringify(scanAppended(b, k, words).findings), whole);
      if (whole !== '[]') found++;
    }
  }
  assert.ok(found > 5_000, `appended bodies with findings: ${found}`);
  assert.ok(fast > 5_000 && engine > 100, `appended bodies known clean without a whole scan: ${fast} (${engine} past 4 KiB)`);
});

// What the engine writes itself, with quiet ticks left out and heavy canaries.
const heavy = withConfig({ canaryProbability: 0.4, canaryCapPerDecky: 10 }, { days: 2, quiet: false });
corpus.push({ name: 'planned heavy canaries, no quiet (json)', file: writeTemp(planText('heavy', heavy)) });
corpus.push({ name: 'planned heavy canaries, no quiet (ndjson)', file: writeTemp(planText('heavy', heavy, 'ndjson'), 'ndjson') });

async function outcome(f: () => Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await f());
  } catch (e) {
    return `${e instanceof InputError ? 'input error (exit 2)' : 'failure'}: ${(e as Error).message}`;
  }
}

function same(what: string, a: string, b: string): void {
  if (a !== b) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.unreachable(`${what}: differs at ${i}\n  now:    ${a.slice(Math.max(0, i - 80), i + 120)}\n  before: ${b.slice(Math.max(0, i - 80), i + 120)}`);
  }
}

test('the corpus holds valid, damaged and reordered timelines of both formats', async () => {
  const kinds = await Promise.all(corpus.map(async (c) => (await outcome(async () => (await runCheck(await sourceFromFile(c.file))).ok)).slice(0, 5)));
  assert.ok(kinds.includes('true'), 'a clean timeline');
  assert.ok(kinds.includes('false'), 'a timeline with violations');
  assert.ok(kinds.includes('input'), 'a timeline that is an input error');
  assert.ok(corpus.length >= 80, String(corpus.length));
});

test('check: same report or the same input error as before, every file', async () => {
  for (const c of corpus) {
    same(`check ${c.name}`, await outcome(async () => runCheck(await sourceFromFile(c.file))), await outcome(async () => legacyCheck(await legacySource(c.file))));
  }
});

test('verify: same report or the same input error as before, every file', async () => {
  for (const c of corpus) same(`verify ${c.name}`, await outcome(() => verifyFile(c.file)), await outcome(() => legacyVerify(c.file)));
});

test('stats: same report or the same input error as before, every file', async () => {
  for (const c of corpus) {
    same(`stats ${c.name}`, await outcome(async () => computeStats(await sourceFromFile(c.file))), await outcome(async () => legacyStats(await legacySource(c.file))));
  }
});

test('diff: against the base, from the base and against itself, as before', async () => {
  for (const c of corpus) {
    for (const [x, y] of [[c.file, baseJson], [baseNd, c.file], [c.file, c.file]] as const) {
      same(`diff ${c.name} ${x === c.file ? 'A' : 'B'}`, await outcome(async () => diffTimelines(await sourceFromFile(x), await sourceFromFile(y), { limit: 5 })), await outcome(async () => legacyDiff(await legacySource(x), await legacySource(y), { limit: 5 })));
    }
  }
});

// The commands themselves: exit code and --json report of the built CLI on a sample of the corpus
// (clean, hand-broken, reordered, damaged, drifted; both formats) against the reference code's
// result for the same file: 0 and its report when it passes, 1 and its report when it finds
// something, 2 when it was an input error.
test('CLI: exit codes and --json reports as before, sample of the corpus', async () => {
  const pick = /^(base (json|ndjson)|unbroken \(re-indented|decnet in base64|two events swapped \(out|last two events swapped|event removed|body byte changed|truncated mid-file|engine drift|a line that is not JSON|no final newline|CRLF line ends|base, a byte that is not UTF-8 in a late)/;
  const sample = corpus.filter((c) => pick.test(c.name));
  assert.ok(sample.length >= 24, String(sample.length));
  const expect = (r: string, ok: (o: Record<string, unknown>) => boolean): { code: number; json: unknown } => {
    if (r.startsWith('input error')) return { code: 2, json: null };
    const o = JSON.parse(r) as Record<string, unknown>;
    return { code: ok(o) ? 0 : 1, json: o };
  };
  const run = async (what: string, args: string[], ref: { code: number; json: unknown }): Promise<void> => {
    const r = await cli([...args, '--json', '--no-progress']);
    assert.is(r.exitCode, ref.code, `${what}: exit code (${r.stderr.slice(0, 200)})`);
    if (ref.code !== 2) {
      const got = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.is(got.schema, 1);
      delete got.schema;
      same(`${what}: --json report`, JSON.stringify(got), JSON.stringify(ref.json));
    }
  };
  for (const c of sample) {
    await run(`check ${c.name}`, ['check', c.file], expect(await outcome(async () => legacyCheck(await legacySource(c.file))), (o) => o.ok === true));
    await run(`verify ${c.name}`, ['verify', c.file], expect(await outcome(() => legacyVerify(c.file)), (o) => o.ok === true));
    await run(`stats ${c.name}`, ['stats', c.file], expect(await outcome(async () => legacyStats(await legacySource(c.file))), () => true));
    await run(`diff ${c.name}`, ['diff', c.file, baseNd, '--limit', '5'], expect(await outcome(async () => legacyDiff(await legacySource(c.file), await legacySource(baseNd), { limit: 5 })), (o) => o.identical === true));
  }
});

test('progress: bytes climb to the file size, events to the count', async () => {
  const seen: Array<{ bytes: number; totalBytes: number | null; events: number }> = [];
  const src = await sourceFromFile(baseJson, { onProgress: (p) => seen.push({ ...p }) });
  let n = 0;
  for (const _ of src.events()) n++;
  const last = seen[seen.length - 1]!;
  assert.is(last.events, n);
  assert.is(last.bytes, last.totalBytes);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.bytes >= seen[i - 1]!.bytes && seen[i]!.events >= seen[i - 1]!.events);
});

test.run();
