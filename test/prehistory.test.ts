// The homes' pre-history (issue 12, item 1): at the start every home already holds weeks and
// months of ordinary files, documents of the lure formats among them; lures are neither the
// oldest files nor the only documents of their format, and every backdated mtime is an instant
// of the owner's working time. Property-style over seeds, the multi-zone fleet, 30 days.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Checker } from '../src/check/checker.js';
import type { Persona } from '../src/inputs/types.js';
import { PersonaCalendar, windowAt } from '../src/sim/schedule.js';
import { bodyOf, materialise, type DeckyTree } from '../src/timeline/materialise.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { ROOT } from './helpers/cli.js';
import { eventsFor, inputsFor, LURE_CALLBACKS } from './helpers/plan.js';

const TMP = mkdtempSync(join(tmpdir(), 'prehistory-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));

const DAY = 86_400_000;
const multiTz = { file: 'multi-tz-fleet.json', data: JSON.parse(readFileSync(`${ROOT}fixtures/multi-tz-fleet.json`, 'utf8')) };
const config = { file: 'lures.json', data: { canary: LURE_CALLBACKS, canaryProbability: 0.08 } };
const START = '2026-03-26T00:00:00Z';
const RAW = { fleet: multiTz, config, start: START, days: 30 };
// Eight seeds: lure documents are a few per plan, and the age medians below need a sample of 30 or more.
const SEEDS = ['ph-0', 'ph-1', 'ph-2', 'ph-3', 'ph-4', 'ph-5', 'ph-6', 'ph-7'];

interface Plan {
  seed: string;
  events: TimelineEvent[];
  trees: DeckyTree[];
}
const PLANS: Plan[] = [];
function plans(): Plan[] {
  if (PLANS.length === 0) {
    for (const seed of SEEDS) {
      const events = eventsFor(seed, RAW);
      PLANS.push({ seed, events, trees: materialise(events) });
    }
  }
  return PLANS;
}

const personas = new Map<string, Persona>(inputsFor(RAW).personas.map((p) => [p.name, p]));
const calendars = new Map<string, PersonaCalendar>();
function inWorkingTime(name: string, t: number): boolean {
  let c = calendars.get(name);
  if (!c) calendars.set(name, (c = new PersonaCalendar(personas.get(name)!, { seed: null })));
  return windowAt(c, t) !== null;
}

const FORMATS = ['docx', 'pdf', 'html', 'svg'] as const;
const fmtOf = (p: string) => FORMATS.find((f) => p.endsWith(`.${f}`)) ?? null;

test('every decky with personas starts with a pre-history in each home: ordinary files, documents of every lure format, a project folder', () => {
  for (const p of plans()) {
    const start = Date.parse(START);
    for (const d of multiTz.data.deckies as Array<{ name: string; personas?: string[] }>) {
      const hist = p.events.filter((e) => e.decky.name === d.name && e.job === 'history' && e.persona !== undefined);
      const names = d.personas ?? [];
      if (names.length === 0 || hist.length === 0) continue;
      assert.ok(hist.every((e) => e.at === hist[0]!.at && Date.parse(e.at) === start), 'history events sit at the start');
      for (const name of names) {
        const mine = hist.filter((e) => e.persona === name);
        assert.ok(mine.some((e) => e.contentClass === 'source' && e.path!.endsWith('/README.md')), `${d.name} ${name}: a project folder`);
        assert.ok(mine.filter((e) => ['note', 'todo', 'draft', 'script'].includes(e.contentClass!)).length >= 4, `${d.name} ${name}: notes, to-dos, drafts, scripts`);
      }
      for (const f of FORMATS) assert.ok(hist.filter((e) => e.contentClass === 'document' && e.path!.endsWith(`.${f}`)).length >= 3, `${d.name}: 3+ ordinary .${f}`);
      const ages = hist.map((e) => (start - Date.parse(e.mtime!)) / DAY);
      assert.ok(Math.min(...ages) > 0 && Math.max(...ages) > 60, `${d.name}: ages spread over months (${Math.min(...ages).toFixed(1)} to ${Math.max(...ages).toFixed(1)} days)`);
    }
  }
});

test('project folders\' .gitignore and README files differ from home to home (one fixed file is a fingerprint across deployments)', () => {
  const bodies: string[] = [];
  for (const p of plans()) {
    for (const e of p.events) if (e.job === 'history' && e.path!.endsWith('/.gitignore')) bodies.push(e.content!.data);
  }
  assert.ok(bodies.length >= 30, `${bodies.length} .gitignore files`);
  // Their READMEs are in their owners' words: no one opening line everywhere, nothing unexpanded.
  const intros = new Map<string, number>();
  let readmes = 0;
  for (const p of plans()) {
    for (const e of p.events) {
      if (e.job !== 'history' || e.contentClass !== 'source' || !e.path!.endsWith('/README.md')) continue;
      readmes++;
      const body = e.content!.data;
      assert.not.match(body, /[{}$]/, body);
      const lines = body.split('\n');
      const title = lines[0]!.slice(2);
      const form = lines[2]!.replace(new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), 'T').replace(/[A-Z][a-z]+|\w+-\d+/g, 'X');
      intros.set(form, (intros.get(form) ?? 0) + 1);
      const notes = lines.filter((l) => /^[-*] /.test(l));
      assert.is(new Set(notes).size, notes.length, body);
    }
  }
  assert.ok(readmes >= 30 && intros.size >= 6, `${intros.size} opening forms over ${readmes} READMEs`);
  assert.ok(Math.max(...intros.values()) <= readmes * 0.4, JSON.stringify([...intros]));
  const distinct = new Set(bodies).size;
  assert.ok(distinct >= bodies.length * 0.8, `${distinct} distinct of ${bodies.length}`);
  for (const b of bodies) {
    const patterns = b.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.ok(patterns.length >= 1 && b.endsWith('\n') && !b.includes('\n\n\n'), JSON.stringify(b));
    assert.is(new Set(patterns).size, patterns.length, `a pattern twice: ${JSON.stringify(b)}`);
  }
});

test('find ~ -type f | sort by mtime: the oldest five files of the homes are never all lures; lures are <= 30% of each document format', () => {
  let withLures = 0;
  let lureDocs = 0;
  for (const p of plans()) {
    for (const tree of p.trees) {
      const home = tree.files.filter((f) => f.path.startsWith('/home/') && f.persona !== undefined).sort((a, b) => a.mtimeMs - b.mtimeMs);
      const lures = home.filter((f) => f.canary !== undefined);
      if (lures.length === 0) continue;
      withLures++;
      const oldest = home.slice(0, 5);
      assert.ok(oldest.some((f) => f.canary === undefined), `${p.seed} ${tree.decky.name}: oldest files ${oldest.map((f) => f.path).join(', ')}`);
      assert.is(home[0]!.canary, undefined, `${p.seed} ${tree.decky.name}: the oldest home file is not a lure`);
      for (const fmt of FORMATS) {
        const all = home.filter((f) => fmtOf(f.path) === fmt);
        const l = all.filter((f) => f.canary !== undefined).length;
        lureDocs += l;
        if (l > 0) assert.ok(l / all.length <= 0.3, `${p.seed} ${tree.decky.name}: ${l} of ${all.length} .${fmt} are lures`);
      }
    }
  }
  assert.ok(withLures >= 8, `${withLures} deckies with lures`);
  assert.ok(lureDocs >= 8, `${lureDocs} lure documents`);
});

test('>= 90% of backdated home mtimes (pre-history and lures) fall in the owner\'s working hours on working days; lure ages spread like the history\'s', () => {
  let n = 0;
  let inside = 0;
  const lureAges: number[] = [];
  const histAges: number[] = [];
  for (const p of plans()) {
    for (const e of p.events) {
      if (e.kind !== 'file' || e.action !== 'file:create' || e.persona === undefined) continue;
      const backdated = e.job === 'history' || e.canary !== undefined;
      if (!backdated) continue;
      n++;
      const m = Date.parse(e.mtime!);
      if (inWorkingTime(e.persona, m)) inside++;
      const age = (Date.parse(e.at) - m) / DAY;
      if (e.canary && fmtOf(e.path!)) lureAges.push(age);
      if (e.job === 'history' && e.contentClass === 'document') histAges.push(age);
    }
  }
  assert.ok(n > 300, `${n} backdated mtimes`);
  assert.ok(inside / n >= 0.9, `${inside} of ${n} inside working time`);
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  assert.ok(lureAges.length >= 30, `${lureAges.length} lure documents`);
  // The same log-uniform spread: medians within a factor of 3, and lures reach past a month.
  const ml = median(lureAges);
  const mh = median(histAges);
  assert.ok(ml / mh < 3 && mh / ml < 3, `median ages: lures ${ml.toFixed(1)} d, history ${mh.toFixed(1)} d`);
  assert.ok(lureAges.some((a) => a > 30), 'some lure documents are over a month old');
});

test('every history .docx opens (unzip -t, python-docx), every .pdf passes qpdf --check; no history file names the callback host or a token', async () => {
  const hosts = [new URL(LURE_CALLBACKS.httpBase).hostname, LURE_CALLBACKS.dnsZone];
  const p = plans()[0]!;
  const docx: string[] = [];
  const pdfs: string[] = [];
  let i = 0;
  for (const seed of plans()) {
    const tokens = seed.events.filter((e) => e.canary).flatMap((e) => [e.canary!.slug, e.canary!.tokenId]);
    for (const e of seed.events) {
      if (e.job !== 'history' || e.persona === undefined) continue;
      const body = Buffer.from(e.content!.data, e.content!.encoding === 'base64' ? 'base64' : 'utf8');
      const text = body.toString('latin1');
      for (const h of hosts) assert.not.ok(text.includes(h), `${e.path} names ${h}`);
      for (const t of tokens) assert.not.ok(text.includes(t), `${e.path} holds a lure token`);
      if (e.path!.endsWith('.html') || e.path!.endsWith('.svg')) {
        assert.not.match(text, /<script|<img|src=|href="http|xlink:href/i, `${e.path} is plain`);
      }
      if (seed !== p) continue;
      if (e.path!.endsWith('.docx') || e.path!.endsWith('.pdf')) {
        const f = join(TMP, `h${i++}${e.path!.slice(e.path!.lastIndexOf('.'))}`);
        writeFileSync(f, body);
        (e.path!.endsWith('.docx') ? docx : pdfs).push(f);
        if (e.path!.endsWith('.pdf')) assert.not.match(text, /\/OpenAction|\/URI|\/Annots/, `${e.path}: no action or link`);
        if (e.path!.endsWith('.docx')) assert.not.match(text, /TargetMode/, `${e.path}: no external relationship`);
      }
    }
  }
  assert.ok(docx.length >= 5 && pdfs.length >= 5, `${docx.length} docx, ${pdfs.length} pdf`);
  for (const f of docx) {
    const r = await execa('unzip', ['-tq', f], { reject: false });
    assert.is(r.exitCode, 0, r.stdout + r.stderr);
  }
  const py = await execa('/usr/bin/python3', ['-c', 'import docx,sys\nfor f in sys.argv[1:]:\n  d = docx.Document(f)\n  assert len(d.paragraphs) > 3, f\nprint("ok")', ...docx], { reject: false });
  assert.is(py.exitCode, 0, py.stderr);
  for (const f of pdfs) {
    const r = await execa('qpdf', ['--check', f], { reject: false });
    assert.is(r.exitCode, 0, r.stdout + r.stderr);
  }
});

function check(events: TimelineEvent[]): Checker {
  const c = new Checker(inputsFor(RAW), { seed: 'ph-0' });
  for (const e of events) c.add(e);
  c.finish();
  return c;
}

test('check invariant 22: a planned timeline passes; a lure made older than all history fails; backdated mtimes moved to the night fail', () => {
  const events = plans()[0]!.events;
  assert.is(check(events).byInvariant.get(22) ?? 0, 0);
  // A home lure made older than everything in its decky's homes.
  const lure = events.find((e) => e.canary && e.persona !== undefined && e.path!.startsWith('/home/'))!;
  assert.ok(lure);
  const older = events.map((e) => (e === lure ? { ...e, mtime: '2023-01-02T10:00:00.000000000Z', atime: '2023-01-02T10:00:00.000000000Z' } : e));
  const c1 = check(older);
  assert.ok((c1.byInvariant.get(22) ?? 0) >= 1, 'the old lure is reported');
  assert.ok(c1.violations.some((v) => v.invariant === 22 && /oldest file/.test(v.reason)));
  // Every pre-history mtime of one decky moved to 03:00 UTC + the persona's offset: a night.
  const d = lure.decky.uuid;
  const night = events.map((e) => {
    if (e.decky.uuid !== d || e.job !== 'history' || e.persona === undefined || e.contentClass !== 'document') return e;
    const m = Date.parse(e.mtime!);
    const p = personas.get(e.persona)!;
    let t = Math.floor(m / DAY) * DAY;
    for (let k = 0; k < 48 && inWorkingTime(p.name, t); k++) t += 3_600_000;
    const iso = new Date(t).toISOString().replace(/\.\d+Z$/, '.000000000Z');
    return { ...e, mtime: iso, atime: iso };
  });
  const c2 = check(night);
  assert.ok(c2.violations.some((v) => v.invariant === 22 && /outside their owner's working hours/.test(v.reason)), JSON.stringify(c2.violations.filter((v) => v.invariant === 22)));
});

test.run();
