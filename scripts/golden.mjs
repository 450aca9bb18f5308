// The golden timelines pinned in fixtures/: the exact commands that produce them.
// `node scripts/golden.mjs update` rewrites them (after a deliberate generator change, together
// with a GENERATOR_VERSION bump); the golden test runs the same commands and compares bytes.
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export const GOLDEN = [
  { file: 'fixtures/golden-seed42-7d.json', args: ['plan', '--seed', '42', '--days', '7'] },
  {
    file: 'fixtures/golden-multi-tz.ndjson',
    args: ['plan', '--seed', 'tz', '--fleet', 'fixtures/multi-tz-fleet.json', '--start', '2026-03-26T00:00:00Z', '--days', '7', '--format', 'ndjson'],
  },
];

if (process.argv[2] === 'update') {
  for (const g of GOLDEN) {
    const r = await execa('node', ['bin/run.js', ...g.args], { cwd: ROOT, maxBuffer: 1 << 30, stripFinalNewline: false });
    writeFileSync(`${ROOT}${g.file}`, r.stdout);
    console.log(`wrote ${g.file} (${r.stdout.length} bytes)`);
  }
}
