// Live tests against a real Docker engine (SPEC 11). Containers run the busybox test image with
// --network none and carry the label simtest=1; cleanup removes only such containers.
// Without an engine: a visible notice and the live tests are skipped, unless CI=true, where a
// missing engine is a failure.
import { execa, execaSync } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export const IMAGE = process.env.SIMTEST_IMAGE ?? 'simtest/busybox:1';
/** Unique per test process, so suites running at once (several checkouts) never share container names. */
export const RUN_TAG = process.env.SIMTEST_TAG ?? `p${process.pid}`;
export const SECOND_HOST = `unix://${process.env.SIMTEST_SOCK2 ?? '/run/simtest2.sock'}`;
const ENV_SCRIPT = join(ROOT, 'scripts', 'docker-test-env.sh');

export interface Res {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function docker(args: string[], opts: { host?: string | null; input?: string; timeout?: number } = {}): Promise<Res> {
  const argv = opts.host ? ['-H', opts.host, ...args] : args;
  const r = await execa('docker', argv, { reject: false, input: opts.input ?? '', timeout: opts.timeout ?? 60_000, encoding: 'utf8', stripFinalNewline: false });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}

async function engineUp(host?: string): Promise<boolean> {
  const r = await docker(['info', '--format', '{{.ServerVersion}}'], { host, timeout: 15_000 });
  return r.exitCode === 0;
}

async function imageThere(host?: string): Promise<boolean> {
  return (await docker(['image', 'inspect', IMAGE], { host })).exitCode === 0;
}

let startedHere = false;
let prepared: Promise<boolean> | null = null;

/** Start the engines with scripts/docker-test-env.sh when they are not running (as root only). */
async function tryStart(): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return;
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd')) return;
  const r = await execa('bash', [ENV_SCRIPT, 'start'], { reject: false, timeout: 180_000, all: true });
  if (r.exitCode === 0) {
    startedHere = true;
    // Stop what these tests started when the test process ends.
    process.once('exit', () => {
      try {
        execaSync('bash', [ENV_SCRIPT, 'stop'], { reject: false, timeout: 60_000 });
      } catch {
        /* best effort */
      }
    });
  } else {
    process.stderr.write(`docker-test-env.sh start failed:\n${String(r.all ?? '').slice(-2000)}\n`);
  }
}

/**
 * Whether live tests can run. Prints the skip notice once when they cannot; with CI=true a
 * missing engine throws (the test file then fails).
 */
export function liveEngine(): Promise<boolean> {
  prepared ??= (async () => {
    let up = await engineUp();
    if (!up) {
      await tryStart();
      up = await engineUp();
    }
    if (up && !(await imageThere())) {
      await execa('bash', [ENV_SCRIPT, 'start'], { reject: false, timeout: 180_000 });
    }
    if (!up || !(await imageThere())) {
      if (process.env.CI === 'true') throw new Error('live tests: no Docker engine (CI=true requires one; run scripts/docker-test-env.sh start)');
      process.stderr.write('\n*** live tests skipped: no Docker engine ***\n\n');
      return false;
    }
    return true;
  })();
  return prepared;
}

/** The second engine for the two-endpoint test. */
export async function secondEngine(): Promise<boolean> {
  if (!(await liveEngine())) return false;
  if ((await engineUp(SECOND_HOST)) && (await imageThere(SECOND_HOST))) return true;
  await execa('bash', [ENV_SCRIPT, 'start'], { reject: false, timeout: 180_000 });
  const ok = (await engineUp(SECOND_HOST)) && (await imageThere(SECOND_HOST));
  if (!ok) {
    if (process.env.CI === 'true') throw new Error(`live tests: the second Docker engine (${SECOND_HOST}) is not running`);
    process.stderr.write(`\n*** two-endpoint live test skipped: no engine at ${SECOND_HOST} ***\n\n`);
  }
  return ok;
}

export function enginesStartedByTests(): boolean {
  return startedHere;
}

async function must(args: string[], host?: string | null): Promise<string> {
  const r = await docker(args, { host });
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Remove test containers (label simtest=1) whose name starts with prefix. */
export async function cleanup(prefix: string, host?: string | null): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', 'label=simtest=1', '--filter', `name=^${prefix}`], { host })).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await docker(['rm', '-f', ...ids], { host });
}

/** A long-running busybox container with no network. */
export async function startContainer(name: string, opts: { host?: string | null; hostname?: string; image?: string } = {}): Promise<void> {
  const old = await docker(['inspect', '--format', '{{index .Config.Labels "simtest"}}', name], { host: opts.host });
  if (old.exitCode === 0) {
    if (old.stdout.trim() !== '1') throw new Error(`a container named ${name} exists and is not a test container`);
    await docker(['rm', '-f', name], { host: opts.host });
  }
  await must(['run', '-d', '--init', '--network', 'none', '--label', 'simtest=1', '--name', name, '--hostname', opts.hostname ?? name, opts.image ?? IMAGE, 'sleep', '1000000'], opts.host);
}

/**
 * An SSH-looking listener on 127.0.0.1:22 inside the network namespace of `container` (a
 * sidecar sharing it): answers every connection with an OpenSSH banner. Loopback only.
 */
export async function startSshListener(container: string, host?: string | null): Promise<void> {
  const name = `${container}-sshd`;
  await docker(['rm', '-f', name], { host });
  const script = 'printf \'#!/bin/sh\\nprintf "SSH-2.0-OpenSSH_9.2p1\\\\r\\\\n"\\ntimeout 5 cat >/dev/null\\n\' > /tmp/banner.sh && chmod +x /tmp/banner.sh && exec nc -ll -p 22 -e /tmp/banner.sh';
  await must(['run', '-d', '--init', '--network', `container:${container}`, '--label', 'simtest=1', '--name', name, IMAGE, 'sh', '-c', script], host);
  for (let i = 0; i < 40; i++) {
    const r = await docker(['exec', container, 'sh', '-c', 'nc -w 2 127.0.0.1 22 </dev/null | head -n 1'], { host });
    if (r.stdout.startsWith('SSH-')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ssh listener beside ${container} did not come up`);
}

export interface FileFacts {
  sha256: string;
  mode: string;
  uid: number;
  user: string;
  mtime: number;
}

/** sha256, mode, owner and mtime of files in a container (paths passed as arguments). */
export async function fileFacts(container: string, paths: string[], host?: string | null): Promise<Map<string, FileFacts | null>> {
  const out = new Map<string, FileFacts | null>();
  for (let i = 0; i < paths.length; i += 200) {
    const chunk = paths.slice(i, i + 200);
    const script = 'for p in "$@"; do if [ -f "$p" ]; then s=$(sha256sum < "$p"); printf "%s %s\\n" "${s%% *}" "$(stat -c "%a %u %U %Y" "$p")"; else echo MISSING; fi; done';
    const stdout = await must(['exec', container, 'sh', '-c', script, 'sh', ...chunk], host);
    const lines = stdout.split('\n').filter(Boolean);
    chunk.forEach((p, j) => {
      const l = lines[j] ?? 'MISSING';
      if (l === 'MISSING') return out.set(p, null);
      const [sha256, mode, uid, user, mtime] = l.split(' ');
      out.set(p, { sha256: sha256!, mode: mode!.padStart(4, '0'), uid: Number(uid), user: user!, mtime: Number(mtime) });
    });
  }
  return out;
}

export async function execIn(container: string, argv: string[], host?: string | null, input?: string): Promise<Res> {
  return docker(['exec', '-i', container, ...argv], { host, input });
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `simtest-${tag}-`));
}
