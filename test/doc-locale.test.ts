// Office documents speak the organisation's country: the currency figures are given in and the
// phone numbers on the page follow it (a UK company no longer reports in USD with US numbers).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildDocument } from '../src/canary/doc-content.js';
import { localeFacts } from '../src/world/locale.js';
import type { Organisation } from '../src/world/organisation.js';
import { build } from './canary-fixtures.js';

test('currency and phone numbers follow the organisation\'s country, over 60 documents and 5 countries', () => {
  let currencies = 0;
  let phones = 0;
  for (const country of ['GB', 'DE', 'IN', 'US', 'AU']) {
    const f = localeFacts(country);
    for (let i = 0; i < 60; i++) {
      const b = build('canary_honeydoc_pdf', i);
      const org = { name: 'Harbourline Freight Ltd', country, internalDomain: 'corp.harbourline.co.uk' } as unknown as Organisation;
      const doc = buildDocument({ ...b.ctx, org }, 'Sam Porter', 'harbourline.co.uk');
      const text = [doc.title, doc.subtitle, ...doc.intro, ...doc.closing, ...doc.table.rows.flat()].join('\n');
      for (const m of text.matchAll(/\b(?:figures|spend|pay|salary|budget)[^.\n]*? in ([A-Z]{3})\b|\bin ([A-Z]{3})[,.;)]/g)) {
        currencies++;
        assert.is(m[1] ?? m[2], f.currency, `${country}: ${m[0]}`);
      }
      for (const m of text.matchAll(/\+\d+ [\d ]+\d/g)) {
        phones++;
        assert.ok(m[0].startsWith(`${f.phone} `), `${country}: ${m[0]}`);
      }
    }
  }
  assert.ok(currencies >= 10 && phones >= 10, `${currencies} currencies, ${phones} phone numbers`);
});

test.run();
