// Issue 13 item 6: the content invariants (12 to 16), each caught on a hand-broken timeline,
// and silent on planned ones.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck, type CheckReport } from '../src/check/index.js';
import { sourceFromFile } from '../src/check/source.js';
import type { Timeline, TimelineEvent } from '../src/timeline/types.js';
import { COMPANY_SPAN, ContentChecker } from '../src/check/content.js';
import { buildOrganisation } from '../src/world/organisation.js';
import { SAMPLE_COMPANIES } from '../src/world/placeholders.js';
import { bodyOf, inputs, planned, serialize, setBody, writeTemp } from './check-helpers.js';
import { LURE_CALLBACKS } from './helpers/plan.js';

const INPUTS = inputs({ days: 7, config: { file: 'c.json', data: { canary: LURE_CALLBACKS } } });
const BASE = planned('content', INPUTS);

async function check(t: Timeline): Promise<CheckReport> {
  return runCheck(await sourceFromFile(writeTemp(serialize(t))));
}

/** The last event of a (decky, path) matching pred: editing it cannot disturb later events. */
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

function caught(r: CheckReport, invariant: number, id: string): void {
  const hits = r.violations.filter((v) => v.invariant === invariant);
  assert.ok(hits.some((v) => v.eventId === id), `invariant ${invariant} did not name ${id}: ${JSON.stringify(r.byInvariant)}`);
  const others = Object.keys(r.byInvariant).map(Number).filter((k) => k !== invariant && k !== 10);
  assert.equal(others, [], JSON.stringify(r.violations.filter((v) => v.invariant !== invariant && v.invariant !== 10).slice(0, 3)));
}

test('a planned timeline with custom callbacks passes the content invariants', async () => {
  const r = await check(structuredClone(BASE));
  assert.equal(Object.keys(r.byInvariant).filter((k) => Number(k) >= 12), [], JSON.stringify(r.violations.slice(0, 3)));
});

test('12: a line repeated within a note', async () => {
  const t = structuredClone(BASE);
  const ev = lastOfPath(t, (e) => e.contentClass === 'note');
  const body = bodyOf(ev);
  const line = body.split('\n').find((l) => l.trim().split(/\s+/).length >= 3)!;
  setBody(ev, body + line + '\n');
  caught(await check(t), 12, ev.id);
});

test('13: a draft addressed to its author', async () => {
  const t = structuredClone(BASE);
  const org = buildOrganisation('content', INPUTS);
  const ev = lastOfPath(t, (e) => e.contentClass === 'draft');
  const own = org.colleagues.find((c) => c.name === ev.persona)!.email;
  setBody(ev, bodyOf(ev).replace(/^To: .*$/m, `To: ${own}`));
  caught(await check(t), 13, ev.id);
});

test('14: a reserved documentation domain in a planted body (the configured callbacks are fine)', async () => {
  for (const host of ['ops.example.com', 'mail.example.org', 'build.corp.test', 'relay.invalid']) {
    const t = structuredClone(BASE);
    const ev = lastOfPath(t, (e) => e.contentClass === 'note');
    setBody(ev, bodyOf(ev) + `- ask about the relay at ${host}\n`);
    caught(await check(t), 14, ev.id);
  }
});

test('15: a sample-company name', async () => {
  for (const name of ['Acme Corp', 'Globex', 'Initech', 'Northwind Traders', 'Contoso']) {
    const t = structuredClone(BASE);
    const ev = lastOfPath(t, (e) => e.contentClass === 'note');
    setBody(ev, bodyOf(ev) + `- renewal quote from ${name} arrived\n`);
    caught(await check(t), 15, ev.id);
  }
});

test('16: a due date before the document\'s own date', async () => {
  const t = structuredClone(BASE);
  const ev = lastOfPath(t, (e) => e.contentClass === 'todo' && e.persona === 'Marta Kowalski');
  // Marta writes dates the Polish way (DD.MM.YYYY).
  const y = Number(ev.mtime!.slice(0, 4)) - 1;
  setBody(ev, bodyOf(ev) + `- [ ] send the report due 03.02.${y}\n`);
  caught(await check(t), 16, ev.id);
});

test('24: template seams in prose (a space before punctuation, at a line\'s end, doubled; a slot left unfilled)', async () => {
  for (const [cls, add] of [['note', '- maybe check our VPN config .\n'], ['todo', '- [ ] tidy up our LB health check \n'], ['draft', 'Could you retire the patch level on helpdesk02 ?\n'], ['note', '- the backup  job failed twice\n'], ['todo', '- [ ] raise $ticket about the 502s\n'], ['draft', 'Could you look once {the ticket|INC-1} goes through?\n'], ['note', '- ask {colleague} about it\n']] as const) {
    const t = structuredClone(BASE);
    const ev = lastOfPath(t, (e) => e.contentClass === cls);
    setBody(ev, bodyOf(ev) + add);
    caught(await check(t), 24, ev.id);
  }
});

test('16: an edit keeps the document\'s own date: a due date between its creation and the edit is fine', async () => {
  // A to-do list edited days after it was written still holds its first day's due dates.
  const DAY = 86_400_000;
  const created = new Map<string, number>();
  // Three weeks, so that some list is edited days after it was written.
  const base = planned('content', inputs({ days: 21, config: { file: 'c.json', data: { canary: LURE_CALLBACKS } } }));
  for (const e of base.events) if (e.action === 'file:create' && e.contentClass === 'todo') created.set(`${e.decky.uuid} ${e.path}`, Date.parse(e.mtime!));
  const t = base;
  const ev = lastOfPath(t, (e) => e.action === 'file:edit' && e.contentClass === 'todo' && Date.parse(e.mtime!) - created.get(`${e.decky.uuid} ${e.path}`)! >= 2 * DAY);
  const born = created.get(`${ev.decky.uuid} ${ev.path}`)!;
  // ISO dates read the same in every persona's date style.
  const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  const body = bodyOf(ev);
  setBody(ev, body + `- [x] send the report due ${ymd(born)}\n`);
  const r = await check(t);
  assert.equal(r.byInvariant[16], undefined, JSON.stringify(r.violations.filter((x) => x.invariant === 16)));
  // Before the day it was created: caught on the edit.
  setBody(ev, body + `- [ ] send the report due ${ymd(born - 3 * DAY)}\n`);
  caught(await check(t), 16, ev.id);
});


test('14 and 15 on appended text: the same reports as reading the whole text', () => {
  // Cut at every character around a reserved host or a sample company after log text; where the
  // text before the cut reports neither, reading from the cut reports what the whole text does.
  const checker = new ContentChecker(INPUTS, 'content');
  const ev = lastOfPath(BASE, (e) => e.path === '/var/log/syslog' && e.content !== undefined);
  const log = bodyOf(ev).slice(0, 400);
  const tails = ['host build.example.com up', 'x.test', 'see https://a.b.example.org/path and foo.localhost.', 'Acme', 'the Wide World\nImporters deal', 'Pied_Piper!', 'notacme', 'mail.example-corp.net', '..internal.invalid:22', `${'a'.repeat(80)}.test`];
  let cuts = 0;
  let reported = 0;
  for (const tail of tails) {
    for (const sep of ['', ' ', '\n', '-', '.']) {
      const text = log + sep + tail + ' more log text\n';
      for (let k = log.length - 70; k <= text.length; k++) {
        const before: string[] = [];
        if (!checker.check(ev, text.slice(0, k), (n, r) => before.push(`${n} ${r}`))) continue;
        const whole: string[] = [];
        const part: string[] = [];
        const plainWhole = checker.check(ev, text, (n, r) => whole.push(`${n} ${r}`));
        const plainPart = checker.check(ev, text, (n, r) => part.push(`${n} ${r}`), ev.mtime, k);
        assert.equal(part, whole, `cut at ${k} of ${JSON.stringify(text.slice(log.length - 10))}`);
        assert.is(plainPart, plainWhole);
        cuts++;
        if (whole.length > 0) reported++;
      }
    }
  }
  assert.ok(cuts > 3000 && reported > 1000, `${cuts} cuts, ${reported} reporting`);
  assert.ok(Math.max(...SAMPLE_COMPANIES.map((c) => c.length)) + 2 < COMPANY_SPAN, 'COMPANY_SPAN covers every sample company');
});

test.run();
