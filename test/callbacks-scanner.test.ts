// Scanner resistance: someone who learned one deployment's lures (the URL shapes of its
// callbacks, the layout of its fingerprint beacons) and wrote a URL regex and a static decoder
// from them must recover under 20% of another deployment's. Both deployments share the HTTP
// base here (the fairest case for the scanner): only the seed differs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canaryUsable } from '../src/sim/context.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { eventsFor, LURE_CALLBACKS } from './helpers/plan.js';

// A lure document stays under 30% of its format on a decky (the homes' pre-history): the
// HTML lures are mostly beacons here, and repository and .env lures make up the numbers.
const config = { file: 'lures.json', data: { canaryProbability: 1, canaryCapPerDecky: 40, canary: LURE_CALLBACKS, weights: { canary: { canary_fingerprint_html: 3, canary_git_config: 4, canary_env_file: 4 } } } };
void canaryUsable;

function lures(seed: string): TimelineEvent[] {
  return eventsFor(seed, { config, days: 30 }).filter((e) => e.canary && e.canary.kind === 'http');
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The scanner's regexes: each URL shape seen, with the slug and the parts that vary generalised. */
function learn(events: TimelineEvent[]): RegExp[] {
  const shapes = new Set<string>();
  for (const e of events) {
    const tail = e.canary!.callback.slice(LURE_CALLBACKS.httpBase.length);
    const parts = tail.split(e.canary!.slug);
    shapes.add(parts.map((p) => esc(p).replace(/\d+/g, '\\d+').replace(/\b[0-9a-f]{2,6}\b/g, '[0-9a-f]+')).join('[a-z0-9]{10,20}'));
  }
  return [...shapes].map((s) => new RegExp(`^${s}$`));
}

/** A static decoder written against the beacons seen: the layout of the first lines and the math. */
function decoderFor(events: TimelineEvent[]): (page: string) => string | null {
  const sample = events.find((e) => e.contentClass === 'canary_fingerprint_html')!;
  const script = Buffer.from(sample.content!.data, 'utf8').toString('utf8');
  // What the analyst keys on: the decoding loop's exact form with identifiers blanked.
  const loop = script.split('\n').find((l) => l.includes('String.fromCharCode'))!.replace(/[$_][a-z0-9]{1,4}|\b[a-z][a-z0-9]{0,3}\b/gi, 'X');
  return (page) => {
    const line = page.split('\n').find((l) => l.includes('String.fromCharCode'));
    if (!line || line.replace(/[$_][a-z0-9]{1,4}|\b[a-z][a-z0-9]{0,3}\b/gi, 'X') !== loop) return null;
    // Same layout as the sample: run the page's own decoder part, as a static tool would emulate it.
    const body = page.slice(page.indexOf('(function () {'), page.indexOf("typeof navigator !== 'undefined'"));
    const cut = body.slice(body.indexOf('\n') + 1, body.lastIndexOf('\n'));
    const vUrl = /([$_a-z0-9]+) \+= \(\1\.indexOf\('\?'\)/i.exec(page)?.[1];
    if (!vUrl) return null;
    try {
      return String(new Function(`${cut}\nreturn ${vUrl};`)());
    } catch {
      return null;
    }
  };
}

const A = lures('deployment-a');
const OTHERS = Array.from({ length: 12 }, (_, i) => `deployment-${String.fromCharCode(98 + i)}`);

test('a URL-shape regex learned from deployment A matches all of A and under 20% of the others', () => {
  const rx = learn(A);
  const tail = (e: TimelineEvent) => e.canary!.callback.slice(LURE_CALLBACKS.httpBase.length);
  assert.ok(A.length >= 40, `${A.length} lures in A`);
  assert.ok(A.every((e) => rx.some((r) => r.test(tail(e)))), 'the regexes recover A');
  let hit = 0;
  let total = 0;
  for (const seed of OTHERS) {
    for (const e of lures(seed)) {
      total++;
      if (rx.some((r) => r.test(tail(e)))) hit++;
    }
  }
  console.log(`  URL regex from A: ${rx.length} shapes; recovers ${hit} of ${total} callbacks of ${OTHERS.length} other deployments (${((100 * hit) / total).toFixed(1)}%)`);
  assert.ok(hit / total < 0.2, `${hit} of ${total}`);
  // The fixed shape of the first release matches none of them.
  const old = /\/[a-z0-9]{16}\/(logo\.png|header\.png|view|px|api|hooks|repo\.git)$/;
  assert.ok([...A, ...lures(OTHERS[0]!)].every((e) => !old.test(e.canary!.callback)));
});

test('a static beacon decoder written against deployment A recovers A and under 20% of the others', () => {
  const pages = (evs: TimelineEvent[]) => evs.filter((e) => e.contentClass === 'canary_fingerprint_html');
  const decode = decoderFor(A);
  const own = pages(A);
  assert.ok(own.length >= 3);
  for (const e of own) assert.ok(decode(Buffer.from(e.content!.data, 'utf8').toString())?.startsWith(e.canary!.callback), 'the decoder works on A');
  let hit = 0;
  let total = 0;
  for (const seed of OTHERS) {
    for (const e of pages(lures(seed))) {
      total++;
      if (decode(Buffer.from(e.content!.data, 'utf8').toString())?.startsWith(e.canary!.callback)) hit++;
    }
  }
  console.log(`  beacon decoder from A recovers ${hit} of ${total} pages of ${OTHERS.length} other deployments`);
  assert.ok(total >= 10 && hit / total < 0.2, `${hit} of ${total}`);
});

test.run();
