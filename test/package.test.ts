// The npm package as users get it: `npm pack`, installed globally into a temporary prefix, run
// from another folder. It must hold the manifest, LICENSE and compiled code, no golden fixtures
// or source maps, and give the same bytes as the checkout.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, cli } from './helpers/cli.js';

/**
 * The repository links in the form npm documents ({type: git, url: git+https://...git}, homepage
 * and bugs.url on the same GitHub repository); throws when they disagree or are malformed.
 */
function links(pkg: { repository?: { type?: string; url?: string }; homepage?: string; bugs?: { url?: string } }): string {
  const m = /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\.git$/.exec(pkg.repository?.url ?? '');
  assert.is(pkg.repository?.type, 'git', 'repository.type');
  assert.ok(m, `repository.url ${pkg.repository?.url}`);
  const web = `https://github.com/${m![1]}`;
  assert.is(pkg.homepage, `${web}#readme`, 'homepage on the same repository');
  assert.is(pkg.bugs?.url, `${web}/issues`, 'bugs.url on the same repository');
  return web;
}

const work = mkdtempSync(join(tmpdir(), 'sim-pack-'));
let tarball = '';

test.after(() => rmSync(work, { recursive: true, force: true }));

test('npm pack ships the manifest, LICENSE and compiled code; no fixtures goldens, tests or source maps', async () => {
  // The checkout is already built (npm test builds first); --ignore-scripts skips prepack's rebuild.
  const r = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT });
  const [info] = JSON.parse(String(r.stdout)) as Array<{ filename: string; files: Array<{ path: string }>; size: number }>;
  tarball = join(work, info!.filename);
  const files = info!.files.map((f) => f.path);
  for (const must of ['oclif.manifest.json', 'LICENSE', 'README.md', 'package.json', 'bin/run.js', 'dist/commands/plan.js', 'dist/commands/init.js', 'dist/src/cli/not-found.js']) {
    assert.ok(files.includes(must), `${must} in the package`);
  }
  for (const f of files) {
    assert.not.match(f, /\.map$/, `${f}: no source maps of unshipped sources`);
    assert.not.match(f, /golden-|^dist\/test\/|^dist\/bench\/|^test\/|^src\/|^commands\//, `${f}: not shipped`);
  }
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'));
  assert.ok(manifest.commands.plan && manifest.commands.init, 'manifest lists the commands');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const k of ['repository', 'homepage', 'bugs', 'license']) assert.ok(pkg[k], `package.json ${k}`);
  links(pkg); // well formed, one repository
  assert.ok(info!.size < 1_000_000, `tarball ${info!.size} bytes`);
});

test('installed globally into a temporary prefix, --help and plan run from another folder with the checkout\'s bytes', async () => {
  assert.ok(tarball, 'packed');
  const prefix = join(work, 'prefix');
  const elsewhere = mkdtempSync(join(work, 'elsewhere-'));
  const inst = await execa('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: elsewhere, reject: false });
  assert.is(inst.exitCode, 0, String(inst.stderr));
  const bin = join(prefix, 'bin', 'decnet-sim');
  const help = await execa(bin, ['--help'], { cwd: elsewhere, reject: false });
  assert.is(help.exitCode, 0, String(help.stderr));
  assert.match(String(help.stdout), /COMMANDS[\s\S]*check[\s\S]*init[\s\S]*plan/);
  const args = ['plan', '--seed', 'pack', '--days', '2', '--format', 'ndjson'];
  const installed = await execa(bin, args, { cwd: elsewhere, reject: false, stripFinalNewline: false, maxBuffer: 1 << 28 });
  assert.is(installed.exitCode, 0, String(installed.stderr));
  const checkout = await cli(args);
  assert.is(String(installed.stdout), checkout.stdout);
  // npm keeps the links as written (nothing normalised away) in the installed package.json.
  const shipped = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'decnet-sim', 'package.json'), 'utf8'));
  assert.is(links(shipped), links(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))));
  const v = await execa(bin, ['--version'], { cwd: elsewhere });
  assert.is(String(v.stdout), (await cli(['--version'])).stdout.trim());
});

test.run();
