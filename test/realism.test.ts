// Issue 13 Must show: over many seeds, fleets and persona roles, user files that no grep can
// fingerprint: no line repeated within a file, few lines shared between deckies, one
// deployment's frequent 6-word runs matching few files of another, no placeholder domains or
// sample companies anywhere planted, drafts to someone else, content shaped by the role.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RawInputs } from '../src/inputs/resolve.js';
import { frequentGrams, lineStats, matchedShare, repeatedLines, userBodies } from '../src/stats/realism.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { buildOrganisation } from '../src/world/organisation.js';
import { RESERVED_HOST_RE, SAMPLE_COMPANY_RE } from '../src/world/placeholders.js';
import { bodyBytes, eventsFor, inputsFor, LURE_CALLBACKS } from './helpers/plan.js';

const CONFIG = { file: 'c.json', data: { canary: LURE_CALLBACKS } };
const MULTI_TZ = JSON.parse(readFileSync(new URL('../../fixtures/multi-tz-fleet.json', import.meta.url), 'utf8'));
const ROLES_FLEET = {
  deckies: [
    { name: 'db-02', services: ['ssh', 'mysql'], address: '10.9.0.2', personas: ['Łukasz Wiśniewski', 'Ana López'] },
    { name: 'app-02', services: ['ssh', 'http'], address: '10.9.0.3', personas: ['Renée Dubois', 'Kavya Iyer'] },
    { name: 'ops-02', services: ['ssh'], address: '10.9.0.4', personas: ['Björn Åström', 'Kavya Iyer'] },
  ],
  personas: [
    { name: 'Łukasz Wiśniewski', role: 'dba', timezone: 'Europe/Warsaw' },
    { name: 'Ana López', role: 'engineering manager', locale: 'es-ES', timezone: 'Europe/Madrid' },
    { name: 'Renée Dubois', role: 'developer', timezone: 'Europe/Paris' },
    { name: 'Kavya Iyer', role: 'sre', timezone: 'Asia/Kolkata', active_hours: '09:00-18:00' },
    { name: 'Björn Åström', role: 'security analyst', timezone: 'Europe/Stockholm' },
  ],
};
const FLEETS: Array<[string, RawInputs['fleet']]> = [
  ['default', undefined],
  ['multi-tz', { file: 'multi-tz.json', data: MULTI_TZ }],
  ['roles', { file: 'roles.json', data: ROLES_FLEET }],
];
const SEEDS = ['r1', 'r2', 'r3', 'r4'];
const DAYS = 14;

const plans = new Map<string, TimelineEvent[]>();
function plan(seed: string, fleet: RawInputs['fleet']): TimelineEvent[] {
  const k = `${seed}|${fleet?.file ?? 'default'}`;
  let p = plans.get(k);
  if (!p) plans.set(k, (p = eventsFor(seed, { days: DAYS, config: CONFIG, ...(fleet ? { fleet } : {}) })));
  return p;
}

const USER = new Set(['note', 'todo', 'draft', 'script']);

test('no line of 3+ words repeats within any user file, in any version', () => {
  for (const seed of SEEDS) for (const [name, fleet] of FLEETS) {
    for (const e of plan(seed, fleet)) {
      if (e.kind !== 'file' || !USER.has(e.contentClass!)) continue;
      const rep = repeatedLines(e.content!.data);
      assert.equal(rep, [], `${name} ${seed} ${e.path}`);
    }
  }
});

test('lines of notes, to-dos and drafts shared between deckies stay below 10% of a decky\'s distinct lines (asserted under 7%)', () => {
  for (const seed of SEEDS) for (const [name, fleet] of FLEETS) {
    const s = lineStats(userBodies(plan(seed, fleet), true));
    assert.ok(s.lines > 200, `${name} ${seed}: only ${s.lines} lines`);
    assert.ok(s.sharedMax < 0.07, `${name} ${seed}: ${JSON.stringify(s.sharedByDecky)}`);
    assert.ok(s.distinctRatio > 0.8, `${name} ${seed}: distinct ratio ${s.distinctRatio}`);
  }
});

test('one deployment\'s frequent 6-word runs match under 15% of another\'s user files (asserted under 10%)', () => {
  for (const [name, fleet] of FLEETS) {
    for (let i = 0; i < SEEDS.length; i++) {
      const a = userBodies(plan(SEEDS[i]!, fleet));
      const b = userBodies(plan(SEEDS[(i + 1) % SEEDS.length]!, fleet));
      const share = matchedShare(frequentGrams(a), b);
      assert.ok(share < 0.1, `${name} ${SEEDS[i]} against the next seed: ${share}`);
    }
  }
  // Another fleet with the same seed is another deployment too.
  const a = userBodies(plan('r1', FLEETS[0]![1]));
  const b = userBodies(plan('r1', FLEETS[2]![1]));
  assert.ok(matchedShare(frequentGrams(a), b) < 0.1);
});

test('the same decky name in two fleets gets different files', () => {
  const one = { deckies: [{ name: 'web-01', services: ['ssh'], address: '10.1.0.1' }, { name: 'x', services: ['ssh'], address: '10.1.0.2' }], personas: [{ name: 'Sam Reid', role: 'sre' }] };
  const two = { ...one, personas: [{ name: 'Sam Reid', role: 'sre' }, { name: 'Mia Holt', role: 'dba' }] };
  const bodies = (f: unknown) => eventsFor('same', { days: 3, fleet: { file: 'f', data: f } }).filter((e) => e.decky.name === 'web-01' && e.kind === 'file' && USER.has(e.contentClass!)).map((e) => e.content!.sha256);
  const a = new Set(bodies(one));
  const b = bodies(two);
  assert.ok(a.size > 5 && b.length > 5);
  assert.ok(b.filter((h) => a.has(h)).length === 0);
});

test('nothing planted names a reserved domain or a sample company (custom callbacks set)', () => {
  const allowed = [new URL(LURE_CALLBACKS.httpBase).hostname, LURE_CALLBACKS.dnsZone];
  for (const seed of SEEDS) for (const [name, fleet] of FLEETS) {
    for (const e of plan(seed, fleet)) {
      if (e.kind !== 'file' || !e.content) continue; // renames and deletes carry no bytes
      const text = bodyBytes(e).toString(e.content!.encoding === 'utf8' ? 'utf8' : 'latin1');
      const host = new RegExp(RESERVED_HOST_RE.source, 'gi');
      for (const m of text.matchAll(host)) assert.ok(allowed.some((a) => m[1]!.toLowerCase().endsWith(a)), `${name} ${seed} ${e.path}: ${m[1]}`);
      assert.not.ok(SAMPLE_COMPANY_RE.test(text), `${name} ${seed} ${e.path}: ${SAMPLE_COMPANY_RE.exec(text)?.[0]}`);
      assert.not.match(text, /example\./i, `${name} ${seed} ${e.path}`);
    }
  }
});

test('drafts go to another persona or colleague at the organisation\'s addresses, edits before the sign-off', () => {
  for (const seed of SEEDS) for (const [name, fleet] of FLEETS) {
    const org = buildOrganisation(seed, inputsFor({ days: DAYS, config: CONFIG, ...(fleet ? { fleet } : {}) }));
    const addr = new Map(org.colleagues.map((c) => [c.email, c]));
    let toPersona = 0;
    let drafts = 0;
    for (const e of plan(seed, fleet)) {
      if (e.kind !== 'file' || e.contentClass !== 'draft') continue;
      const body = e.content!.data;
      const to = /^To: (\S+)$/m.exec(body)![1]!;
      const c = addr.get(to);
      assert.ok(c, `${name} ${seed}: ${to} is nobody's address`);
      assert.is.not(c!.name, e.persona);
      drafts++;
      if (c!.persona) toPersona++;
      // The greeting names the recipient; the body ends with the author's signature.
      assert.match(body, new RegExp(`\\n(Hi|Hello|Hey|Morning|Dear) ${c!.first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},\\n`));
      const me = org.colleagues.find((x) => x.name === e.persona)!;
      const tail = body.trimEnd().split('\n').slice(-3).join('\n');
      assert.ok(tail.includes(me.first), `${name} ${seed}: signature of ${e.persona} missing at the end: ${tail}`);
    }
    assert.ok(drafts > 3);
    assert.ok(toPersona / drafts > 0.5, `${name} ${seed}: ${toPersona}/${drafts} drafts to personas`);
  }
});

test('to-dos ticked by a persona later show up as done in its notes', () => {
  let shown = 0;
  for (const seed of SEEDS) {
    const ticked = new Map<string, Set<string>>();
    const prev = new Map<string, string>();
    for (const e of plan(seed, undefined)) {
      if (e.kind !== 'file' || !e.path || !e.content) continue; // renames and deletes carry no bytes
      const key = `${e.decky.name} ${e.path}`;
      if (e.contentClass === 'todo') {
        const before = new Set((prev.get(key) ?? '').split('\n'));
        for (const l of e.content!.data.split('\n')) {
          if (l.startsWith('- [x] ') && before.has(l.replace('- [x] ', '- [ ] '))) {
            const item = l.slice(6).replace(/ \([^)]*\)$/, '').replace(/, see .*$/, '').replace(/ due .*$/, '');
            const k = `${e.decky.name} ${e.persona}`;
            if (!ticked.has(k)) ticked.set(k, new Set());
            ticked.get(k)!.add(item);
          }
        }
      } else if (e.contentClass === 'note') {
        const items = ticked.get(`${e.decky.name} ${e.persona}`);
        if (items) for (const it of items) if (e.content!.data.includes(it) && !(prev.get(key) ?? '').includes(it)) shown++;
      }
      prev.set(key, e.content!.data);
    }
  }
  assert.ok(shown > 5, `only ${shown} ticked items written down as done`);
});

test('content follows the persona role and the decky services', () => {
  const words = (re: RegExp, pred: (e: TimelineEvent) => boolean) => {
    let hit = 0;
    let n = 0;
    for (const seed of SEEDS) for (const e of plan(seed, FLEETS[2]![1])) {
      if (e.kind !== 'file' || e.contentClass !== 'note' || !pred(e)) continue;
      n++;
      if (re.test(e.content!.data)) hit++;
    }
    return n === 0 ? 0 : hit / n;
  };
  const db = /replica|dump|quer|schema|binlog|vacuum|failover|grants|index|transaction|restore|mysql|innodb/i;
  const people = /hiring|goals|budget|one-to-ones|roadmap|contract|rota|onboarding|offsite|status report|holiday|headcount|retro|supplier|licence/i;
  const dbaDb = words(db, (e) => e.persona === 'Łukasz Wiśniewski');
  const mgrDb = words(db, (e) => e.persona === 'Ana López');
  const mgrPeople = words(people, (e) => e.persona === 'Ana López');
  const dbaPeople = words(people, (e) => e.persona === 'Łukasz Wiśniewski');
  assert.ok(dbaDb > mgrDb + 0.2, `dba ${dbaDb} vs manager ${mgrDb} on databases`);
  assert.ok(mgrPeople > dbaPeople + 0.2, `manager ${mgrPeople} vs dba ${dbaPeople} on plans and people`);
});

test('locale follows the persona: currency, date style', () => {
  let euro = 0;
  let dollar = 0;
  for (const seed of SEEDS) for (const e of plan(seed, FLEETS[2]![1])) {
    // Her own text (the documents of the pre-history come from the report builders, as lures do).
    if (e.kind !== 'file' || e.persona !== 'Ana López' || e.contentClass === 'script' || e.contentClass === 'document' || e.contentClass === 'source') continue;
    const t = e.content!.data;
    if (/\d €/.test(t)) euro++;
    if (/\$\d/.test(t)) dollar++;
    for (const m of t.matchAll(/due (\d\S*)/g)) assert.match(m[1]!, /^\d{2}\/\d{2}\/\d{4}$/, 'Spanish dates are DD/MM/YYYY');
  }
  assert.ok(euro > 0 && dollar === 0, `euro ${euro}, dollar ${dollar}`);
});

test.run();
