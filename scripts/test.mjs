// Runs the compiled uvu suites under c8 and closes with the line CI reads: `N passed, N failed`.
// Usage: node scripts/test.mjs [pattern]   (pattern filters test file names, e.g. "canary")
import { execa } from 'execa';

const pattern = process.argv[2] ? `${process.argv[2]}.*\.test\.js$` : '\.test\.js$';
const child = execa('npx', ['c8', '--reporter=text-summary', '--exclude=dist/test/**', 'uvu', 'dist/test', pattern], {
  reject: false,
  all: true,
  env: { FORCE_COLOR: '0' },
});
let out = '';
child.all.on('data', (d) => {
  process.stdout.write(d);
  out += d.toString();
});
const result = await child;
out = out.replace(/\u001b\[[0-9;]*m/g, ''); // colour codes would hide the counts
// uvu prints its totals once per run ("Total: 12  Passed: 11  Skipped: 0").
const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
let failed = total - passed - skipped;
if (result.exitCode !== 0 && failed === 0) failed = 1; // a crash outside any test still fails
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
