// Office documents in the deployment's words: the prose of every report kind comes from grammar
// rules expanded in the deployment's dialect, so the frequent six-word runs of one deployment's
// documents are rare in another's (a detection rule written from one finds few of the other's),
// and a host inventory lists the organisation's own hosts, each with one OS and one owner in
// every list of that deployment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOC_STEMS, buildDocument, type DocModel } from '../src/canary/doc-content.js';
import { type Organisation, buildOrganisation } from '../src/world/organisation.js';
import { build } from './canary-fixtures.js';
import { generateFingerprintHtml, generatePlainHtml } from '../src/canary/fingerprint.js';
import { inputs } from './check-helpers.js';

function org(seed: string): Organisation {
  return buildOrganisation(seed, inputs());
}

function docs(o: Organisation, n: number, stem?: string): DocModel[] {
  const out: DocModel[] = [];
  for (let i = 0; i < n; i++) {
    const b = build('canary_honeydoc', i);
    const path = `/home/alice/Documents/${stem ?? DOC_STEMS[i % DOC_STEMS.length]}.html`;
    out.push(buildDocument({ ...b.ctx, path, org: o }, o.colleagues[o.colleagues.length - 1]!.name, o.domain));
  }
  return out;
}

/** The six-word runs of a document's prose and table text. */
function runs(d: DocModel): Set<string> {
  const out = new Set<string>();
  for (const t of [...d.intro, ...d.closing, ...d.table.rows.flat()]) {
    const w = t.toLowerCase().split(/[^a-z']+/).filter((x) => x !== '');
    for (let i = 0; i + 6 <= w.length; i++) out.add(w.slice(i, i + 6).join(' '));
  }
  return out;
}

test('the frequent six-word runs of one deployment\'s documents match few of another\'s, 4 pairs x 90 documents', () => {
  const seeds = ['docs-a', 'docs-b', 'docs-c', 'docs-d', 'docs-e'];
  let worst = 0;
  for (let k = 0; k + 1 < seeds.length; k++) {
    const a = docs(org(seeds[k]!), 90);
    const b = docs(org(seeds[k + 1]!), 90);
    // A run in at least 3 of A's documents: what a rule written from A would look for.
    const seen = new Map<string, number>();
    for (const d of a) for (const r of runs(d)) seen.set(r, (seen.get(r) ?? 0) + 1);
    const frequent = new Set([...seen].filter(([, n]) => n >= 3).map(([r]) => r));
    assert.ok(frequent.size >= 10, `only ${frequent.size} frequent runs in ${seeds[k]}`);
    const hit = b.filter((d) => [...runs(d)].some((r) => frequent.has(r))).length;
    worst = Math.max(worst, hit / b.length);
  }
  // Generator 25's fixed paragraphs: every document of a kind shared its runs with every deployment.
  assert.ok(worst < 0.5, `${(worst * 100).toFixed(0)}% of a deployment's documents match another's frequent runs`);
});

test('a host inventory lists the organisation\'s hosts; every inventory of a deployment gives a host the same OS and owner', () => {
  for (const seed of ['inv-1', 'inv-2', 'inv-3']) {
    const o = org(seed);
    const byHost = new Map<string, string>();
    const names = new Set(o.colleagues.map((c) => c.name));
    for (const d of docs(o, 12, 'host-list')) {
      const rows = d.table.rows;
      assert.equal(rows.map((r) => `${r[0]} ${r[1]}`), [...o.hosts].map((h) => `${h.fqdn} ${h.address}`).sort(), `${seed}: hosts and addresses`);
      for (const r of rows) {
        const facts = `${r[3]} / ${r[4]}`;
        assert.ok(names.has(r[4]!), `${seed}: owner ${r[4]} is not of the organisation`);
        assert.is(byHost.get(r[0]!) ?? facts, facts, `${seed} ${r[0]}: two lists disagree`);
        byHost.set(r[0]!, facts);
      }
    }
  }
});

test('a page of links points at the organisation\'s hosts; a saved status page is one, with no script', () => {
  let links = 0;
  for (const seed of ['page-1', 'page-2', 'page-3']) {
    const o = org(seed);
    for (let i = 0; i < 10; i++) {
      const b = build('canary_fingerprint_html', i);
      const page = generateFingerprintHtml({ ...b.ctx, path: '/home/alice/Documents/bookmarks.html', org: o });
      for (const m of page.matchAll(/href="https:\/\/([^/"]+)\//g)) {
        links++;
        assert.ok(m[1]!.endsWith(`.${o.internalDomain}`), `${seed}: a link to ${m[1]} outside ${o.internalDomain}`);
      }
      assert.ok(page.includes(o.name), `${seed}: the page does not name ${o.name}`);
      const plain = generatePlainHtml({ ...build('canary_fingerprint_html', i).ctx, path: '/home/alice/Documents/service-status.html', org: o });
      assert.not.match(plain, /<script|href=/i);
      assert.match(plain, /<h1>(Service Status|Ops Dashboard|System Status|Platform Health)<\/h1>/);
    }
  }
  assert.ok(links >= 100, `only ${links} links`);
});

test.run();
