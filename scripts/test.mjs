// Runs the compiled uvu suites, one process per suite file, and closes with the line CI reads:
// `N passed, N failed, N skipped`. A test that could not run here (a validator, server or Docker
// engine missing) counts as skipped, never as passed: uvu's own skips (test.skip) and the tests
// that print the `[skipped]` marker of test/helpers/skip.ts. The skipped ones are listed.
//
// Why one process per file: uvu imports every suite into a single process, so whatever a suite
// keeps at module level (a plan, a materialised tree) lives until the last suite ends. Two CI
// runs died of an exhausted heap that way after half an hour with no assertion failing. A
// process per file gives each suite the whole heap and returns it when the suite ends.
// Coverage: every child writes V8 coverage into one directory, and c8 reports over all of it.
//
// Usage: node scripts/test.mjs [pattern]   (pattern filters test file names, e.g. "canary")
import { readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

const started = Date.now();
const uvuBin = join('node_modules', 'uvu', 'bin.js'); // not in the package's exports map
const pattern = new RegExp(process.argv[2] ? `${process.argv[2]}.*\\.test\\.js$` : '\\.test\\.js$', 'i');
const files = readdirSync('dist/test')
  .filter((f) => f.endsWith('.test.js') && pattern.test(f))
  .sort((a, b) => a.localeCompare(b));
if (files.length === 0) {
  console.error(`no suite in dist/test matches ${pattern}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

const coverage = 'coverage/tmp';
rmSync(coverage, { recursive: true, force: true });
mkdirSync(coverage, { recursive: true });

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let passed = 0;
let failed = 0;
let skipped = 0;
const marked = new Map();
const uvuSkips = new Set();
const crashed = [];
for (const file of files) {
  const t0 = Date.now();
  const child = execa('node', [uvuBin, 'dist/test', `^${escape(file)}$`], {
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0', NODE_V8_COVERAGE: coverage },
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
  let p = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  let s = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  let f = total - p - s;
  // Tests that returned early because a tool is missing passed in uvu's eyes: move them.
  let moved = 0;
  for (const m of out.matchAll(/^\s*\[skipped\] (.+?) :: (.+?) :: (.*)$/gm)) {
    const key = `${m[1]} :: ${m[2]}`;
    if (!marked.has(key)) moved++;
    marked.set(key, m[3]);
  }
  moved = Math.min(moved, p);
  p -= moved;
  s += moved;
  for (const m of out.matchAll(/^\*\*\* (.+ skipped.*?) \*\*\*$/gm)) uvuSkips.add(m[1]);
  if (result.exitCode !== 0 && f === 0) {
    f = 1; // a crash outside any test (an exhausted heap, a throw at import) still fails
    crashed.push(`${file} (exit ${result.exitCode ?? result.signal})`);
  }
  passed += p;
  failed += f;
  skipped += s;
  console.log(`[${file}: ${p} passed, ${f} failed, ${s} skipped, ${Math.round((Date.now() - t0) / 1000)} s]`);
}

await execa('npx', ['c8', 'report', '--reporter=text-summary', '--exclude=dist/test/**', `--temp-directory=${coverage}`], {
  reject: false,
  stdout: 'inherit',
  stderr: 'inherit',
});

if (crashed.length > 0) console.log(`\nsuites that ended outside a test: ${crashed.join(', ')}`);
if (skipped > 0) {
  console.log('\nskipped checks:');
  for (const [what, why] of marked) console.log(`  ${what}: ${why}`);
  for (const s of uvuSkips) console.log(`  ${s}`);
}
console.log(`\ntook ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
