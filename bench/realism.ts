// npm run bench:realism: how fingerprintable a fleet-month of user files is (issue 13 item 2).
// Plans the default fleet (and a second deployment: another seed) for 30 days and prints the
// distinct-line ratio, the share of a decky's distinct lines found on another decky, the most
// repeated line, and the share of one deployment's files matched by the other's frequent
// 6-word runs (both directions).
import { resolveInputs } from '../src/inputs/resolve.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import { frequentGrams, lineStats, matchedShare, userBodies } from '../src/stats/realism.js';

const days = Number(process.argv.find((a) => a.startsWith('--days='))?.slice(7) ?? 30);
const seeds = ['42', '4242'];
const plans = seeds.map((seed) => [...planEvents(buildContext(seed, resolveInputs({ days }).inputs))]);
const fleets = plans.map((p) => userBodies(p));
const prose = plans.map((p) => userBodies(p, true));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (let i = 0; i < seeds.length; i++) {
  const s = lineStats(fleets[i]!);
  console.log(`deployment seed ${seeds[i]}, default fleet, ${days} days: ${s.files} user files, ${s.lines} content lines (4+ words), ${s.distinct} distinct`);
  console.log(`  distinct-line ratio            ${s.distinctRatio.toFixed(3)}`);
  const p = lineStats(prose[i]!);
  console.log(`  shared with another decky      max ${pct(s.sharedMax)}, mean ${pct(s.sharedMean)} of a decky's distinct lines (${Object.entries(s.sharedByDecky).map(([d, v]) => `${d} ${pct(v)}`).join(', ')})`);
  console.log(`    notes, to-dos, drafts only   max ${pct(p.sharedMax)}, mean ${pct(p.sharedMean)} (scripts share code lines the way copied scripts do)`);
  console.log(`  most repeated line             ${s.topCount}x  ${JSON.stringify(s.topLine.slice(0, 80))}`);
}
for (const [a, b] of [[0, 1], [1, 0]] as const) {
  const g = frequentGrams(fleets[a]!);
  console.log(`frequent 6-word runs of seed ${seeds[a]} (in 2%+ of its files): ${g.size}; they match ${pct(matchedShare(g, fleets[b]!))} of seed ${seeds[b]}'s user files (and ${pct(matchedShare(g, fleets[a]!))} of its own)`);
}
