// One hand-broken timeline per invariant of SPEC 9: each is caught, names the event, and (where
// the edit can be made surgically) no other invariant than the broken one and reproduction (10)
// fires.
import { gunzipSync, gzipSync, strToU8, zipSync, zlibSync } from 'fflate';

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck, type CheckReport } from '../src/check/index.js';
import { sourceFromFile, sourceFromPlan } from '../src/check/source.js';
import type { Timeline, TimelineEvent } from '../src/timeline/types.js';
import { syslogStamp } from '../src/util/time.js';
import { ascii85Encode } from '../src/util/ascii85.js';
import { bodyOf, inputs, planned, planText, rehash, serialize, setBody, withConfig, writeTemp } from './check-helpers.js';
import { cli } from './helpers/cli.js';
import { LURE_CALLBACKS } from './helpers/plan.js';

const BASE = planned('broken', inputs({ days: 7 }));

function copy(): Timeline {
  return structuredClone(BASE);
}

async function checkTimeline(t: Timeline): Promise<CheckReport> {
  return runCheck(await sourceFromFile(writeTemp(serialize(t))));
}

function find(t: Timeline, pred: (e: TimelineEvent, i: number) => boolean): TimelineEvent {
  const ev = t.events.find(pred);
  if (!ev) throw new Error('no event matches');
  return ev;
}

/** Assert the invariant caught the event, and nothing else fired except `also` and 10. */
function caught(r: CheckReport, invariant: number, eventId: string | null, also: number[] = []): void {
  const hits = r.violations.filter((v) => v.invariant === invariant);
  assert.ok(hits.length > 0, `invariant ${invariant} not reported; got ${JSON.stringify(r.byInvariant)}`);
  if (eventId) assert.ok(hits.some((v) => v.eventId === eventId), `event ${eventId} not named: ${JSON.stringify(hits.slice(0, 3))}`);
  const others = Object.keys(r.byInvariant).map(Number).filter((k) => k !== invariant && k !== 10 && !also.includes(k));
  assert.equal(others, [], `unexpected: ${JSON.stringify(r.violations.filter((v) => others.includes(v.invariant)).slice(0, 3))}`);
  assert.is(r.ok, false);
}

/** The last event of each (decky, path): editing it cannot disturb later events of the file. */
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

test('the unbroken base timeline is clean', async () => {
  const r = await checkTimeline(copy());
  assert.is(r.violationCount, 0, JSON.stringify(r.violations.slice(0, 3)));
});

test('1: a basename with an 8-digit run', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
  ev.path = '/tmp/sess_1767225600';
  const r = await checkTimeline(t);
  caught(r, 1, ev.id);
  assert.match(r.violations.find((v) => v.invariant === 1)!.reason, /10 digits/);
});

test('2: "decnet" hidden in a deflated DOCX member of a canary_honeydoc_docx event', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.canary !== undefined);
  const docx = zipSync(
    {
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      'word/document.xml': strToU8(`<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>${'Quarterly access review. '.repeat(40)}Prepared on host DecNet-lab-02.</w:t></w:r></w:p></w:body></w:document>`),
    },
    { level: 6, mtime: new Date(Date.UTC(2026, 0, 1)) },
  );
  assert.not.ok(Buffer.from(docx).toString('latin1').toLowerCase().includes('decnet'), 'the literal must only exist deflated');
  ev.contentClass = 'canary_honeydoc_docx';
  ev.canary!.generator = 'honeydoc_docx';
  ev.mode = '0644';
  setBody(ev, docx);
  const r = await checkTimeline(t);
  caught(r, 2, ev.id);
  assert.match(r.violations.find((v) => v.invariant === 2)!.reason, /"decnet".*ZIP member word\/document\.xml/);
});

test('2: "decnet" in a PDF Flate stream, in base64 inside a text body, and in a path; "canary" in a planted body', async () => {
  const t = copy();
  const pdfEv = lastOfPath(t, (e) => e.canary !== undefined);
  const stream = zlibSync(strToU8('BT /F1 12 Tf 72 700 Td (Report for decnet operators) Tj ET'), { level: 6 });
  const pdf = Buffer.concat([Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), Buffer.from(stream), Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]);
  setBody(pdfEv, new Uint8Array(pdf));
  const noteEv = lastOfPath(t, (e) => e.contentClass === 'note');
  setBody(noteEv, `${bodyOf(noteEv)}- host: ${Buffer.from('backup.decnet.internal').toString('base64')}\n`);
  const pathEv = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
  pathEv.path = '/tmp/.decnet-session';
  const canaryEv = lastOfPath(t, (e) => e.contentClass === 'draft' && e.path !== noteEv.path);
  setBody(canaryEv, `${bodyOf(canaryEv)}\nThe Canary Wharf office moves in March.\n`);
  const r = await checkTimeline(t);
  const reasons = (id: string): string => r.violations.filter((v) => v.invariant === 2 && v.eventId === id).map((v) => v.reason).join(' | ');
  assert.match(reasons(pdfEv.id), /"decnet".*PDF stream/);
  assert.match(reasons(noteEv.id), /"decnet".*base64/);
  assert.match(reasons(pathEv.id), /path contains "decnet"/);
  assert.match(reasons(canaryEv.id), /"canary"/);
  caught(r, 2, pdfEv.id);
});

test('2: "decnet" in a PDF stream armoured with ASCII85 over Flate (the way ReportLab writes them)', async () => {
  const t = copy();
  const pdfEv = lastOfPath(t, (e) => e.canary !== undefined);
  const data = ascii85Encode(zlibSync(strToU8('BT 1 0 0 1 72 700 Tm (Report for decnet operators) Tj T* ET'), { level: 6 }));
  const pdf = `%PDF-1.4\n1 0 obj\n<<\n/Filter [ /ASCII85Decode /FlateDecode ] /Length ${data.length}\n>>\nstream\n${data}endstream\nendobj\n%%EOF\n`;
  assert.not.match(pdf, /decnet/i);
  setBody(pdfEv, new Uint8Array(Buffer.from(pdf, 'latin1')));
  const r = await checkTimeline(t);
  assert.match(r.violations.filter((v) => v.invariant === 2 && v.eventId === pdfEv.id).map((v) => v.reason).join(' | '), /"decnet".*PDF stream/);
  caught(r, 2, pdfEv.id);
});

test('2: a rotated log archive holding more than the log it rotated is read through', async () => {
  // An archive that inflates to the clean `.1` body is known clean; one byte more is not.
  const t = copy();
  const gz = find(t, (e) => e.job === 'logrotate' && e.action === 'file:create' && /\/var\/log\/syslog\.2\.gz$/.test(e.path ?? ''));
  const inflated = gunzipSync(new Uint8Array(Buffer.from(gz.content!.data, 'base64')));
  setBody(gz, gzipSync(concatBytes(inflated, strToU8('Jan  1 00:00:00 host decnet: x\n'))));
  const r = await checkTimeline(t);
  assert.match(r.violations.filter((v) => v.invariant === 2 && v.eventId === gz.id).map((v) => v.reason).join(' | '), /"decnet".*gzip/);
});

test('2: decompression bombs (a gzip archive, a DOCX member, a PDF stream) are reported, not inflated', async () => {
  // 32 MiB of zeros deflate to about 32 KiB: within the 64 KiB body limit, twice the inflate ceiling.
  const zeros = new Uint8Array(32 << 20);
  const t = copy();
  const gz = find(t, (e) => e.job === 'logrotate' && e.action === 'file:create' && /\/var\/log\/syslog\.2\.gz$/.test(e.path ?? ''));
  setBody(gz, gzipSync(zeros, { level: 9 }));
  const docxEv = lastOfPath(t, (e) => e.canary !== undefined);
  setBody(docxEv, zipSync({ 'word/document.xml': zeros }, { level: 9, mtime: new Date(Date.UTC(2026, 0, 1)) }));
  const pdfEv = lastOfPath(t, (e) => e.canary !== undefined && e.path !== docxEv.path);
  const stream = zlibSync(zeros, { level: 9 });
  setBody(pdfEv, new Uint8Array(Buffer.concat([Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), Buffer.from(stream), Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')])));
  for (const e of [gz, docxEv, pdfEv]) assert.ok(e.content!.bytes < 64 * 1024, `${e.path}: ${e.content!.bytes} bytes`);
  const before = process.memoryUsage().arrayBuffers;
  const r = await checkTimeline(t);
  const reasons = (id: string): string => r.violations.filter((v) => v.invariant === 2 && v.eventId === id).map((v) => v.reason).join(' | ');
  assert.match(reasons(gz.id), /inflates past 16777216 bytes \(in body \(gzip\)\): not inspected/);
  assert.match(reasons(docxEv.id), /inflates past 16777216 bytes \(in body, ZIP member word\/document\.xml\)/);
  assert.match(reasons(pdfEv.id), /inflates past 16777216 bytes \(in PDF stream\)/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'the bombs were not inflated whole');
});

test('2: metadata named canary is not planted content', async () => {
  const t = copy();
  assert.ok(t.events.some((e) => e.canary && e.contentClass!.startsWith('canary_')));
  const r = await checkTimeline(t);
  assert.is(r.byInvariant['2'], undefined);
});

test('3: an edit whose previousSha256 does not match, and an edit of a path never created', async () => {
  const t = copy();
  const ev = find(t, (e) => e.action === 'file:edit');
  ev.previousSha256 = '0'.repeat(64);
  const orphan = lastOfPath(t, (e) => e.action === 'file:edit' && e.id !== ev.id && e.path !== ev.path && !e.path!.startsWith('/var/log/cron-jobs/'));
  orphan.path = orphan.path!.replace(/\/([^/]+)$/, '/never-created-$1');
  const r = await checkTimeline(t);
  caught(r, 3, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 3 && v.eventId === orphan.id && /never created|no earlier event/.test(v.reason)));
});

test('4: a log edit that rewrites old lines, and a log line after the file mtime', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.action === 'file:edit' && e.contentClass === 'log_daemon');
  const body = bodyOf(ev);
  setBody(ev, body.replace(/^(\w{3} [ \d]\d )(\d\d)/, (_, a: string, h: string) => `${a}${h === '00' ? '01' : '00'}`));
  // daemon.log: systemd writes there, so only the time rule is broken.
  const ev2 = lastOfPath(t, (e) => e.action === 'file:edit' && e.path === '/var/log/daemon.log' && e.id !== ev.id);
  const host = ev2.decky.name;
  setBody(ev2, `${bodyOf(ev2)}${syslogStamp(Date.parse(ev2.mtime!) + 3_600_000)} ${host} systemd[1]: Finished apt-daily.service.\n`);
  const r = await checkTimeline(t);
  caught(r, 4, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 4 && v.eventId === ev2.id && /after the file's mtime/.test(v.reason)));
});

test('4: log lines out of time order in a create', async () => {
  const t = copy();
  // A log made whole at once (not a gzip member, not auth.log, whose sessions would break too).
  const ev = lastOfPath(t, (e) => e.action === 'file:create' && /^log_/.test(e.contentClass ?? '') && !/(\.gz|auth\.log.*)$/.test(e.path!) && bodyOf(e).split('\n').length > 3);
  const lines = bodyOf(ev).trimEnd().split('\n');
  [lines[0], lines[lines.length - 1]] = [lines[lines.length - 1]!, lines[0]!];
  setBody(ev, lines.join('\n') + '\n');
  caught(await checkTimeline(t), 4, ev.id);
});

test('5: an mtime after its event, and an mtime that goes backwards on a path', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
  ev.mtime = new Date(Date.parse(ev.at) + 3_600_000).toISOString().replace('.000Z', 'Z');
  const back = lastOfPath(t, (e) => e.action === 'file:edit' && e.contentClass === 'note');
  back.mtime = '2025-06-01T00:00:00Z';
  const r = await checkTimeline(t);
  caught(r, 5, ev.id);
  assert.ok(r.violations.some((v) => v.invariant === 5 && v.eventId === back.id && /previous mtime/.test(v.reason)));
});

test('5: an mtime a second after its event, and an atime before the mtime', async () => {
  const t = copy();
  const late = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
  late.mtime = late.at.replace('Z', '.999999999Z'); // still inside the event's second: fine
  late.atime = late.mtime;
  const sec = new Date(Date.parse(late.at) + 1000).toISOString().replace('.000Z', '.000000001Z');
  const ev = lastOfPath(t, (e) => e.contentClass === 'todo');
  ev.mtime = sec;
  ev.atime = sec;
  const read = lastOfPath(t, (e) => e.contentClass === 'note');
  read.atime = read.mtime!.slice(0, 20) + '000000000Z';
  if (read.atime === read.mtime) read.mtime = read.mtime.slice(0, 20) + '000000001Z';
  const r = await checkTimeline(t);
  assert.ok(r.violations.some((v) => v.invariant === 5 && v.eventId === ev.id && /after the event time/.test(v.reason)));
  assert.ok(r.violations.some((v) => v.invariant === 5 && v.eventId === read.id && /atime .* is before the mtime/.test(v.reason)));
  assert.not.ok(r.violations.some((v) => v.eventId === late.id && v.invariant === 5));
});

test('5: backdated canary mtimes are not violations', async () => {
  const t = copy();
  const c = find(t, (e) => e.canary !== undefined);
  assert.ok(Date.parse(c.mtime!) < Date.parse(c.at));
  assert.is((await checkTimeline(t)).byInvariant['5'], undefined);
});

test('6: a user-class event outside the owner\'s working hours', async () => {
  const t = copy();
  const personas = new Map(t.header.inputs.personas.map((p) => [p.name, p]));
  const { isActiveAt } = await import('../src/sim/schedule.js');
  let target: TimelineEvent | undefined;
  let other = '';
  for (const e of t.events) {
    if ((e.contentClass !== 'note' && e.contentClass !== 'todo') || e.job !== undefined) continue;
    const decky = t.header.inputs.fleet.find((d) => d.uuid === e.decky.uuid)!;
    const off = decky.personas.find((n) => n !== e.persona && !isActiveAt(personas.get(n)!, Date.parse(e.at)));
    if (off) {
      target = e;
      other = off;
      break;
    }
  }
  assert.ok(target, 'a user event with an off-hours colleague');
  target!.persona = other;
  const r = await checkTimeline(t);
  caught(r, 6, target!.id);
  assert.match(r.violations.find((v) => v.invariant === 6)!.reason, /outside .* working time/);
});

test('7: a secret-bearing canary that is not 0600, and a cap that is exceeded', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.canary !== undefined);
  ev.contentClass = 'canary_ssh_key';
  ev.canary!.generator = 'ssh_key';
  ev.mode = '0644';
  const r = await checkTimeline(t);
  caught(r, 7, ev.id);
  assert.match(r.violations.find((v) => v.invariant === 7)!.reason, /secret-bearing.*0644/);

  const t2 = copy();
  const perDecky = new Map<string, number>();
  for (const e of t2.events) if (e.canary) perDecky.set(e.decky.uuid, (perDecky.get(e.decky.uuid) ?? 0) + 1);
  assert.ok([...perDecky.values()].some((n) => n >= 2), 'a decky with two canaries');
  t2.header.inputs.config.canaryCapPerDecky = 1;
  rehash(t2);
  const r2 = await checkTimeline(t2);
  assert.ok(r2.violations.some((v) => v.invariant === 7 && /cap 1/.test(v.reason)), JSON.stringify(r2.byInvariant));
});

test('8: a body over 64 KiB and a path with ".." and a control character', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
  setBody(ev, 'x'.repeat(70_000));
  const p1 = lastOfPath(t, (e) => e.contentClass === 'cache_tmp' && e.id !== ev.id);
  p1.path = '/tmp/../etc/sess_abc';
  const p2 = lastOfPath(t, (e) => e.contentClass === 'cache_tmp' && e.id !== ev.id && e.id !== p1.id);
  p2.path = '/tmp/sess_\u0007bell';
  const r = await checkTimeline(t);
  caught(r, 8, ev.id);
  assert.ok(r.violations.some((v) => v.eventId === p1.id && /"\.\."/.test(v.reason)));
  assert.ok(r.violations.some((v) => v.eventId === p2.id && /control character/.test(v.reason)));
});

test('9: far too many canaries for the header\'s canaryProbability', async () => {
  const heavy = withConfig({ canaryProbability: 0.6, canaryCapPerDecky: 15, canary: LURE_CALLBACKS }, { days: 7 });
  const t = planned('stats', heavy);
  t.header.inputs.config.canaryProbability = 0.03;
  rehash(t);
  const r = await checkTimeline(t);
  caught(r, 9, null);
  const st = r.statistics.find((s) => s.name.includes('canary share') && s.name.includes('too many'))!;
  assert.is(st.status, 'violation');
  assert.ok(st.pValue! < 1e-6);
});

test('9: class shares that ignore the header\'s weights', async () => {
  const skewed = withConfig({ weights: { user: { note: 1, todo: 0, draft: 0, script: 0 } } }, { days: 7 });
  const t = planned('weights', skewed);
  t.header.inputs.config.weights.user = { note: 30, todo: 20, draft: 15, script: 10 };
  rehash(t);
  const r = await checkTimeline(t);
  caught(r, 9, null);
  const failing = r.statistics.filter((s) => s.status === 'violation').map((s) => s.name);
  assert.ok(failing.some((n) => n.startsWith('note share')), failing.join(', '));
  assert.ok(failing.some((n) => n.startsWith('todo share')), failing.join(', '));
});

test('9: a timeline with no canaries at all over a long horizon is "too few"', async () => {
  const t = planned('few', inputs({ days: 60 }));
  for (const e of t.events) {
    if (!e.canary) continue;
    // Turn each canary into an ordinary cache file at a fresh path.
    delete e.canary;
    delete e.persona;
    delete e.companions;
    e.contentClass = 'cache_tmp';
    e.path = `/tmp/.cache-${e.id.slice(0, 6)}`;
    e.owner = 'root';
    e.mode = '0600';
    e.mtime = e.at;
    e.atime = e.at;
    setBody(e, 'opaque\n');
  }
  const r = await checkTimeline(t);
  const st = r.statistics.find((s) => s.name.includes('too few'))!;
  assert.is(st.status, 'violation', st.detail);
  caught(r, 9, null);
});

test('10: a one-byte change of an event id only breaks reproduction', async () => {
  const t = copy();
  const ev = t.events[Math.floor(t.events.length / 2)]!;
  ev.id = ev.id.slice(0, -1) + (ev.id.endsWith('0') ? '1' : '0');
  const r = await checkTimeline(t);
  caught(r, 10, ev.id);
  assert.equal(Object.keys(r.byInvariant), ['10']);
  assert.match(r.violations[0]!.reason, /does not reproduce/);
});

test('10: not applicable to an in-memory plan', async () => {
  const r = await runCheck(sourceFromPlan('mem', inputs({ days: 1 })));
  assert.is(r.reproduce, null);
});

test('CLI: a broken timeline exits 1 and lists {invariant, eventId, decky, path, reason}', async () => {
  const t = copy();
  const ev = lastOfPath(t, (e) => e.contentClass === 'cache_tmp');
  ev.path = '/tmp/sess_123456789';
  const file = writeTemp(serialize(t));
  const r = await cli(['check', file, '--json']);
  assert.is(r.exitCode, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  const v = j.violations.find((x: { invariant: number }) => x.invariant === 1);
  assert.equal(Object.keys(v), ['invariant', 'eventId', 'decky', 'path', 'reason']);
  assert.is(v.eventId, ev.id);
  assert.is(v.decky, ev.decky.name);
  assert.is(v.path, '/tmp/sess_123456789');
  const text = await cli(['check', file]);
  assert.is(text.exitCode, 1);
  assert.match(text.stdout, new RegExp(`invariant 1: event ${ev.id} on ${ev.decky.name} /tmp/sess_123456789: basename`));
  assert.match(text.stdout, /FAILED: \d+ violations?/);
});

test('NDJSON files are checked the same way', async () => {
  const text = planText('nd', inputs({ days: 2 }), 'ndjson');
  const lines = text.trimEnd().split('\n');
  const i = lines.findIndex((l) => l.includes('"contentClass":"cache_tmp"'));
  const ev = JSON.parse(lines[i]!) as TimelineEvent;
  ev.path = '/tmp/x-12345678';
  lines[i] = JSON.stringify(ev);
  const r = await runCheck(await sourceFromFile(writeTemp(lines.join('\n') + '\n', 'ndjson')));
  caught(r, 1, ev.id);
});

test.run();
