// The git lure as a real working copy: besides `.git/config` (the remote is the callback), the
// files git itself keeps (HEAD, loose objects for a short history of commits, the branch and
// remote-tracking refs with their reflogs, an index matching the work tree) and the work tree.
// So `git log`, `git status` and `git show` work, and `git fetch` / `git pull` call home.
// Objects are built here (SHA-1 over "type size\0body", zlib-deflated); every byte follows
// from the stream, the owner and the times.
import { createHash } from 'node:crypto';
import { between, pick, sample, type Rng } from '../rng/stream.js';
import { zlib } from '../util/deflate.js';
import { basename, dirname, emailFor, mailDomain, ownerName, safeText } from './common.js';
import type { CanaryContext, PlantedFile } from './types.js';

interface WorkFile {
  name: string;
  mode: '0644' | '0755';
  lines: string[];
}

function sha1(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

function object(type: 'blob' | 'tree' | 'commit', body: Uint8Array): { id: Buffer; raw: Uint8Array } {
  const head = Buffer.from(`${type} ${body.length}\u0000`, 'latin1');
  const raw = Buffer.concat([head, body]);
  return { id: sha1(raw), raw };
}

const HOSTS = ['app', 'web', 'db', 'cache', 'mq', 'lb', 'mon', 'log', 'build', 'vpn'] as const;

/** The work tree: a README and files that fit the project's name. */
function workTree(project: string, rng: Rng, domain: string): WorkFile[] {
  const title = project.replace(/[-_]+/g, ' ');
  const hosts = sample(rng, HOSTS, between(rng, 3, 6)).map((h) => `${h}-${String(between(rng, 1, 3)).padStart(2, '0')}.${domain}`);
  const readme: string[] = [`# ${title}`, '', pick(rng, [`Scripts and configuration for ${title}.`, `Everything needed to rebuild ${title} from scratch.`, `${title[0]!.toUpperCase()}${title.slice(1)}: what runs where, and how to change it.`]), '', '## Usage', ''];
  const files: WorkFile[] = [];
  if (/ansible|infra|netconf|configs/.test(project)) {
    readme.push('```', 'ansible-playbook -i inventory.ini site.yml --check', '```');
    files.push({ name: 'inventory.ini', mode: '0644', lines: ['[servers]', ...hosts, '', '[servers:vars]', `ansible_user=${pick(rng, ['deploy', 'ansible', 'ops'])}`] });
    files.push({ name: 'site.yml', mode: '0644', lines: ['---', '- hosts: servers', '  become: true', '  roles:', ...sample(rng, ['common', 'users', 'sshd', 'ntp', 'firewall', 'monitoring', 'backup'], between(rng, 3, 5)).map((r) => `    - ${r}`)] });
  } else if (/terraform/.test(project)) {
    readme.push('```', 'terraform init && terraform plan', '```');
    files.push({ name: 'main.tf', mode: '0644', lines: ['terraform {', '  required_version = ">= 1.5"', '}', '', 'module "network" {', '  source = "./modules/network"', `  cidr   = "10.${between(rng, 10, 60)}.0.0/16"`, '}'] });
    files.push({ name: 'variables.tf', mode: '0644', lines: ['variable "environment" {', '  type    = string', `  default = "${pick(rng, ['prod', 'staging'])}"`, '}'] });
  } else if (/monitoring|dashboards/.test(project)) {
    readme.push('Targets are listed in `targets.yml`; reload the server after a change.');
    files.push({ name: 'targets.yml', mode: '0644', lines: ['- targets:', ...hosts.map((h) => `    - ${h}:9100`), '  labels:', `    env: ${pick(rng, ['prod', 'staging'])}`] });
  } else {
    readme.push('```', './deploy.sh <environment>', '```');
    files.push({
      name: 'deploy.sh',
      mode: '0755',
      lines: ['#!/bin/sh', 'set -eu', 'env="${1:-staging}"', `hosts="${hosts.join(' ')}"`, 'for h in $hosts; do', '  echo "deploying to $h ($env)"', `  rsync -az --delete ./ "${pick(rng, ['deploy', 'ops', 'www'])}@$h:/srv/${project}/"`, 'done'],
    });
  }
  files.push({ name: '.gitignore', mode: '0644', lines: sample(rng, ['*.retry', '.terraform/', '*.tfstate*', '*.log', '.env', 'node_modules/', '__pycache__/', '*.swp'], between(rng, 2, 4)) });
  readme.push('', '## Contact', '', pick(rng, ['Ask in the ops channel before changing anything here.', 'Changes go through a merge request.', 'Owner: the infrastructure team.']));
  files.unshift({ name: 'README.md', mode: '0644', lines: readme });
  return files.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const MESSAGES_FIRST = ['Initial commit', 'Initial import', 'First version', 'Add README and first scripts'] as const;
const MESSAGES = ['Update hosts', 'Fix typo in README', 'Add missing host', 'Tidy up', 'Document usage', 'Bump versions', 'Split settings', 'Handle staging', 'Clean up old entries', 'Add comments'] as const;

function body(lines: string[]): Buffer {
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

function stamp(ms: number): string {
  return `${Math.floor(ms / 1000)} +0000`;
}

/** The lines of each file at commit k of n (files grow over the history; the last is whole). */
function snapshot(files: WorkFile[], k: number, n: number): WorkFile[] {
  if (k === n - 1) return files;
  const keep = Math.max(1, Math.ceil((files.length * (k + 1)) / n));
  return files.slice(0, keep).map((f) => ({ ...f, lines: f.lines.slice(0, Math.max(1, Math.ceil((f.lines.length * (k + 1)) / n))) }));
}

function indexFile(files: Array<{ name: string; mode: '0644' | '0755'; id: Buffer; size: number }>, mtimeS: number): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(12);
  head.write('DIRC', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(files.length, 8);
  parts.push(head);
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const fixed = Buffer.alloc(62);
    fixed.writeUInt32BE(mtimeS, 0); // ctime
    fixed.writeUInt32BE(mtimeS, 8); // mtime
    fixed.writeUInt32BE(f.mode === '0755' ? 0o100755 : 0o100644, 24);
    fixed.writeUInt32BE(f.size, 36);
    f.id.copy(fixed, 40);
    fixed.writeUInt16BE(Math.min(name.length, 0xfff), 60);
    const len = 62 + name.length;
    const padded = Math.ceil((len + 1) / 8) * 8;
    parts.push(fixed, name, Buffer.alloc(padded - len));
  }
  const all = Buffer.concat(parts);
  return Buffer.concat([all, sha1(all)]);
}

/** Every file of the working copy except `.git/config` itself. */
export function gitRepository(ctx: CanaryContext, config: string, rng: Rng): PlantedFile[] {
  const gitDir = dirname(ctx.path);
  const root = dirname(gitDir);
  const project = basename(root);
  const branch = /\[branch "([^"]+)"\]/.exec(config)?.[1] ?? 'main';
  const name = ownerName(ctx);
  const email = ctx.owner.email && !/decnet|canary/i.test(ctx.owner.email) ? ctx.owner.email : emailFor(name, mailDomain(ctx, rng));
  const who = `${safeText(name, 'Administrator')} <${email}>`;
  const domain = pick(rng, ['corp.lan', 'int', 'internal', 'srv', 'office']);
  const files = workTree(project, rng, `${domain}`);
  const n = between(rng, 3, 6);
  // Commit times: the last a few hours to two days before the checkout, the others days apart.
  const times: number[] = [];
  let t = ctx.mtimeMs - between(rng, 3_600, 2 * 86_400) * 1000;
  for (let k = n - 1; k >= 0; k--) {
    times[k] = Math.floor(t / 1000) * 1000;
    t -= between(rng, 4 * 3_600, 9 * 86_400) * 1000;
  }
  const out: PlantedFile[] = [];
  const written = new Set<string>();
  const put = (o: { id: Buffer; raw: Uint8Array }): Buffer => {
    const hex = o.id.toString('hex');
    if (!written.has(hex)) {
      written.add(hex);
      out.push({ path: `${gitDir}/objects/${hex.slice(0, 2)}/${hex.slice(2)}`, mode: '0444', data: zlib(o.raw) });
    }
    return o.id;
  };
  let parent: string | null = null;
  const log: string[] = [];
  let blobs: Array<{ name: string; mode: '0644' | '0755'; id: Buffer; size: number }> = [];
  const messages = sample(rng, MESSAGES, n - 1);
  for (let k = 0; k < n; k++) {
    const snap = snapshot(files, k, n);
    blobs = snap.map((f) => {
      const b = body(f.lines);
      return { name: f.name, mode: f.mode, id: put(object('blob', b)), size: b.length };
    });
    const tree = Buffer.concat(blobs.map((b) => Buffer.concat([Buffer.from(`${b.mode === '0755' ? '100755' : '100644'} ${b.name}\u0000`, 'utf8'), b.id])));
    const treeId = put(object('tree', tree)).toString('hex');
    const msg = k === 0 ? pick(rng, MESSAGES_FIRST) : messages[k - 1]!;
    const text: string = `tree ${treeId}\n${parent ? `parent ${parent}\n` : ''}author ${who} ${stamp(times[k]!)}\ncommitter ${who} ${stamp(times[k]!)}\n\n${msg}\n`;
    const id: string = put(object('commit', Buffer.from(text, 'utf8'))).toString('hex');
    log.push(`${parent ?? '0'.repeat(40)} ${id} ${who} ${stamp(times[k]!)}\t${k === 0 ? 'commit (initial)' : 'commit'}: ${msg}`);
    parent = id;
  }
  const head = parent!;
  const pushedMs = times[n - 1]! + between(rng, 60, 1_800) * 1000;
  out.push({ path: `${gitDir}/HEAD`, mode: '0644', data: `ref: refs/heads/${branch}\n` });
  out.push({ path: `${gitDir}/refs/heads/${branch}`, mode: '0644', data: `${head}\n` });
  out.push({ path: `${gitDir}/refs/remotes/origin/${branch}`, mode: '0644', data: `${head}\n` });
  out.push({ path: `${gitDir}/logs/HEAD`, mode: '0644', data: log.join('\n') + '\n' });
  out.push({ path: `${gitDir}/logs/refs/heads/${branch}`, mode: '0644', data: log.join('\n') + '\n' });
  out.push({ path: `${gitDir}/logs/refs/remotes/origin/${branch}`, mode: '0644', data: `${'0'.repeat(40)} ${head} ${who} ${stamp(pushedMs)}\tupdate by push\n` });
  out.push({ path: `${gitDir}/index`, mode: '0644', data: indexFile(blobs, Math.floor(ctx.mtimeMs / 1000)) });
  for (const f of files) out.push({ path: `${root}/${f.name}`, mode: f.mode, data: body(f.lines).toString('utf8') });
  return out;
}
