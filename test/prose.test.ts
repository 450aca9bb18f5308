// Prose from the templates reads as typed: no seams where an optional part came out empty, no
// stacked determiners ("the new old ssh keys"), a draft's opening names what its subject is about
// instead of echoing the subject line, a report covers a quarter that has closed. Checked on the
// functions and on every note, to-do and draft of plans over several seeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { templateSeam } from '../src/check/content.js';
import { tidy } from '../src/text/writer.js';
import { Grammar } from '../src/text/grammar.js';
import type { Rng } from '../src/rng/stream.js';
import { closedQuarter } from '../src/canary/common.js';
import { DRAFT_SUBJECTS } from '../src/realism/words.js';
import { inputs, planned } from './check-helpers.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';

test('tidy closes the gaps an empty optional part leaves', () => {
  assert.is(tidy('maybe check our VPN config .'), 'maybe check our VPN config.');
  assert.is(tidy('Could you retire it ? I looked.'), 'Could you retire it? I looked.');
  assert.is(tidy('- [ ] tidy up our LB health check '), '- [ ] tidy up our LB health check');
  assert.is(tidy('the backup  job , again'), 'the backup job, again');
  // What it must leave alone: leading indentation, a version, a path, an ellipsis.
  assert.is(tidy('  - nested item'), '  - nested item');
  assert.is(tidy('upgrade to 1.2.3 then cd .. and wait...'), 'upgrade to 1.2.3 then cd .. and wait...');
});

test('no seam in any note, to-do or draft over five seeds x 10 days', () => {
  let bodies = 0;
  let named = 0;
  let figures = 0;
  let shares = 0;
  for (const seed of ['tidy-1', 'tidy-2', 'tidy-3', 'tidy-4', 'tidy-5']) {
    const t = planned(seed, inputs({ days: 10 }));
    for (const e of t.events) {
      if (e.kind !== 'file' || !e.content || !['note', 'todo', 'draft'].includes(e.contentClass ?? '')) continue;
      bodies++;
      const text = Buffer.from(e.content.data, e.content.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
      const seam = templateSeam(text);
      assert.is(seam, null, `${seed} ${e.decky.name} ${e.path}: ${seam}`);
      assert.not.match(text, /\b(new old|old new|the new new|the old old)\b/i, `${seed} ${e.decky.name} ${e.path}: stacked determiners`);
      assert.not.match(text, /\d %/, `${seed} ${e.decky.name} ${e.path}: a space before %`);
      // Figures set against each other are of a size: within a factor of two.
      for (const f of text.matchAll(/went from (\d+) to (\d+)|(\d+) before, (\d+) after|took (\d+) (?:minutes|min), (?:expected|estimate was) (\d+)/g)) {
        const [a, b] = f.slice(1).filter((x) => x !== undefined).map(Number) as [number, number];
        figures++;
        assert.ok(b >= Math.max(1, Math.round(a * 0.5)) && b <= Math.round(a * 1.8), `${seed} ${e.decky.name} ${e.path}: ${f[0]}`);
      }
      // A share is never past 100 ("disk usage went from 61 to 105%" was written once).
      for (const f of text.matchAll(/(\d+)(?: percent|%)|went from (\d+) to \d+(?: percent|%)/g)) {
        shares++;
        assert.ok(Number(f[1] ?? f[2]) <= 100, `${seed} ${e.decky.name} ${e.path}: ${f[0]}`);
      }
      if (e.contentClass === 'draft') {
        const subject = /^Subject: (.*)$/m.exec(text)?.[1]?.toLowerCase() ?? '';
        const afterHeaders = text.slice(text.indexOf('\n\n') + 2).toLowerCase();
        // A subject of three words or more is a sentence of its own ("quick question about the
        // export"): the body names what it is about, it does not say it again.
        if (DRAFT_SUBJECTS.includes(subject) && subject.split(' ').length >= 3) {
          named++;
          assert.not.ok(afterHeaders.includes(subject), `${seed} ${e.decky.name} ${e.path}: the body echoes its subject "${subject}"`);
        }
        // "Can we do Friday? ... Can we do Monday?": no two sentences of a draft open alike.
        const openings = new Set<string>();
        for (const para of afterHeaders.split('\n\n').slice(1, -1)) {
          for (const sentence of para.split(/(?<=[.?!])\s+/)) {
            const words = sentence.split(/\s+/);
            if (words.length < 4) continue;
            const o = words.slice(0, 3).join(' ');
            assert.not.ok(openings.has(o), `${seed} ${e.decky.name} ${e.path}: two sentences open with "${o}"`);
            openings.add(o);
            // Nor say the same thing in other words ("The quote from X was 173. Their quote from X was 576.").
            const about = `\u0001${words.slice(1, 4).join(' ').replace(/[0-9.,$\u00a3\u20ac\u20b9]+/g, '#')}`;
            assert.not.ok(openings.has(about), `${seed} ${e.decky.name} ${e.path}: two sentences about "${about.slice(1)}"`);
            openings.add(about);
          }
        }
      }
    }
  }
  assert.ok(bodies > 300, `only ${bodies} bodies`);
  assert.ok(named >= 5, `only ${named} drafts with a long stock subject`);
  assert.ok(figures >= 5, `only ${figures} compared figures`);
  assert.ok(shares >= 5, `only ${shares} percentages`);
});

test('a tool named with its article is not given a second one ("the the GitLab wiki page")', () => {
  // The engine's own lists hold such names, and an organisation block may give any.
  const tools = { wiki: 'the GitLab wiki', tickets: 'the GitLab board', paging: 'a phone rota' };
  const fleet = { ...DEFAULT_FLEET_RAW, organisation: { tools } };
  let mentions = 0;
  for (const seed of ['art-1', 'art-2', 'art-3', 'art-4', 'art-5', 'art-6']) {
    const t = planned(seed, resolveInputs({ days: 14, fleet: { file: 'f.json', data: fleet } }).inputs);
    for (const e of t.events) {
      if (e.kind !== 'file' || !e.content || !['note', 'todo', 'draft', 'script'].includes(e.contentClass ?? '')) continue;
      const text = Buffer.from(e.content.data, e.content.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
      mentions += text.match(/GitLab (wiki|board)|phone rota/g)?.length ?? 0;
      const stacked = /\b(the|a|an|our|their) (the|a|an|our|their) /i.exec(text);
      assert.is(stacked, null, `${seed} ${e.decky.name} ${e.path}: "${stacked?.[0]}" in ${text.slice(Math.max(0, (stacked?.index ?? 0) - 40), (stacked?.index ?? 0) + 40)}`);
    }
  }
  assert.ok(mentions >= 10, `only ${mentions} mentions of the tools`);
});

test('a report covers the quarter that closed before it was written', () => {
  assert.is(closedQuarter(Date.UTC(2026, 0, 15)), 'Q4 2025');
  assert.is(closedQuarter(Date.UTC(2026, 2, 31, 23)), 'Q4 2025');
  assert.is(closedQuarter(Date.UTC(2026, 3, 1)), 'Q1 2026');
  assert.is(closedQuarter(Date.UTC(2026, 6, 1)), 'Q2 2026');
  assert.is(closedQuarter(Date.UTC(2026, 11, 31)), 'Q3 2026');
});


test('a grammar refuses a variable written outside braces (it would reach a body as "$ticket")', () => {
  assert.throws(() => new Grammar({ r: ['raise {a ticket|$ticket} for it'] }), /outside braces/);
  assert.throws(() => new Grammar({ r: ['see $wiki'] }), /outside braces/);
  assert.is(new Grammar({ r: ['raise {a ticket|{$ticket}} for it'] }).expand('r', Object.assign(() => 0.9, { int32: () => 0 }) as unknown as Rng, { ticket: 'INC-4' }), 'raise INC-4 for it');
});
test.run();
