// `bake --image`: the decky's base image plus the baked layer, as one new image, through the
// decky's own Docker endpoint (context or host URL). Every call is an argv list through execa,
// never a shell. `docker import` registers the archive as it is, so files keep their nanosecond
// mtimes, atimes, numeric owners and modes (a Dockerfile ADD through the classic builder rounds
// times to the second).
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import tarStream from 'tar-stream';
import { RuntimeFailure } from '../errors.js';
import type { Decky } from '../inputs/types.js';
import { endpointArgs } from '../live/validate.js';

const TIMEOUT_MS = 600_000;

async function docker(d: Decky, args: string[], input?: Buffer): Promise<{ ok: boolean; stdout: Buffer; message: string }> {
  const r = await execa('docker', [...endpointArgs(d.docker), ...args], { input, encoding: 'buffer', reject: false, timeout: TIMEOUT_MS, maxBuffer: 4 * 1024 ** 3, env: { LC_ALL: 'C' } });
  const stderr = Buffer.from(r.stderr ?? []).toString('utf8').trim();
  return { ok: r.exitCode === 0, stdout: Buffer.from(r.stdout ?? []), message: stderr.split('\n').filter((l) => !/^WARNING/.test(l)).pop() ?? `docker exited with ${r.exitCode}` };
}

/** The image the decky's container was created from. */
export async function containerImage(d: Decky): Promise<string> {
  const r = await docker(d, ['inspect', '--format', '{{.Config.Image}}', '--type', 'container', d.container]);
  if (!r.ok) throw new ImageError(`cannot read the image of container ${d.container}: ${r.message}; pass --base IMAGE`);
  return r.stdout.toString('utf8').trim();
}

interface ImageConfig {
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
}

/** Dockerfile instructions that give the flattened image the base image's run settings. */
function changesOf(c: ImageConfig): string[] {
  const out: string[] = [];
  for (const e of c.Env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) out.push(`ENV ${e.slice(0, i)}=${JSON.stringify(e.slice(i + 1))}`);
  }
  if (c.WorkingDir) out.push(`WORKDIR ${c.WorkingDir}`);
  if (c.User) out.push(`USER ${c.User}`);
  if (c.Entrypoint && c.Entrypoint.length > 0) out.push(`ENTRYPOINT ${JSON.stringify(c.Entrypoint)}`);
  if (c.Cmd && c.Cmd.length > 0) out.push(`CMD ${JSON.stringify(c.Cmd)}`);
  return out;
}

const rel = (name: string): string => name.replace(/^\.?\/+/, '').replace(/\/+$/, '');

/** The order of a file system walk (Go's filepath.Walk, which `docker export` uses): component by
 * component, names compared as strings, a folder before what is inside it. */
export function walkOrder(a: string, b: string): number {
  const x = a === '' ? [] : a.split('/');
  const y = b === '' ? [] : b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/**
 * Build `tag`: the base image's file system (`docker export` of a container created from it,
 * never started) with the layer's entries laid over it, as one flat image (`docker import`).
 * Every file of the image is then extracted at once: the planted ones share their ctime with
 * /bin and /etc. The base image's run settings (env, workdir, user, entrypoint, cmd) are kept.
 */
export async function buildLayered(d: Decky, base: string, layerFile: string, tag: string): Promise<void> {
  const inspect = await docker(d, ['image', 'inspect', '--format', '{{json .Config}}', base]);
  if (!inspect.ok) throw new ImageError(`docker image inspect ${base}: ${inspect.message}`);
  const config = JSON.parse(inspect.stdout.toString('utf8')) as ImageConfig;
  const created = await docker(d, ['create', '--network', 'none', base, 'true']);
  if (!created.ok) throw new ImageError(`docker create ${base}: ${created.message}`);
  const cid = created.stdout.toString('utf8').trim();
  try {
    const exported = await docker(d, ['export', cid]);
    if (!exported.ok) throw new ImageError(`docker export of ${base}: ${exported.message}`);
    const layer = readFileSync(layerFile);
    const planted: Array<{ h: tarStream.Headers; body: Buffer; key: string; i: number }> = [];
    await eachEntry(layer, (h, body) => void planted.push({ h, body, key: rel(h.name), i: planted.length }));
    const ours = new Set(planted.map((e) => e.key));
    planted.sort((a, b) => walkOrder(a.key, b.key) || a.i - b.i);
    const pack = tarStream.pack();
    const parts: Buffer[] = [];
    const packed = new Promise<void>((resolve, reject) => {
      pack.on('data', (c: Buffer) => parts.push(c));
      pack.on('end', resolve);
      pack.on('error', reject);
    });
    // One archive in the order `docker export` walks a file system (each folder's names sorted,
    // a folder before its contents): the layer's entries merged into the base's where their
    // paths fall, replacing what they name. `docker import` extracts in archive order and the
    // kernel stamps each ctime then, so the planted files' ctimes interleave with the base's
    // (a home's files before /usr's, /var/log's after) instead of forming the last block of
    // the extraction, which sorting the image's files by ctime would show.
    let k = 0;
    await eachEntry(exported.stdout, (h, body) => {
      const name = rel(h.name);
      while (k < planted.length && walkOrder(planted[k]!.key, name) < 0) pack.entry(planted[k]!.h, planted[k++]!.body);
      if (!ours.has(name)) pack.entry(h, body);
    });
    while (k < planted.length) pack.entry(planted[k]!.h, planted[k++]!.body);
    pack.finalize();
    await packed;
    const args = ['import'];
    for (const c of changesOf(config)) args.push('--change', c);
    args.push('-', tag);
    const imported = await docker(d, args, Buffer.concat(parts));
    if (!imported.ok) throw new ImageError(`docker import of ${tag}: ${imported.message}`);
  } finally {
    await docker(d, ['rm', '-f', cid]);
  }
}

/** Every entry of a tar archive in order, with its body. */
async function eachEntry(buf: Buffer, fn: (h: tarStream.Headers, body: Buffer) => void): Promise<void> {
  const ex = tarStream.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        fn(h, Buffer.concat(chunks));
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(buf);
  await done;
}

/** A Docker step of --image failed (exit 3). */
export class ImageError extends RuntimeFailure {}
