// A working copy's .git/config: core settings as `git init` writes them, an origin remote whose
// URL is the callback, the default branch tracking it and, sometimes, a local identity.
import { between, pick, sample } from '../rng/stream.js';
import { httpCallback } from './callback.js';
import { ageDays, basename, dirname, emailFor, mailDomain, ownerName } from './common.js';
import { gitRepository } from './git-repo.js';
import type { CanaryContext, CanarySpec } from './types.js';

export const REPOS = ['infra', 'ops-scripts', 'site', 'dashboards', 'ansible', 'terraform-live', 'monitoring', 'backup-jobs', 'helpdesk-tools', 'netconf'] as const;

/** A value safe for git's config syntax: quoted when it has odd characters, escapes doubled. */
function gitValue(v: string): string {
  const esc = v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return /[#;"\\]|^\s|\s$/.test(v) ? `"${esc}"` : esc;
}

export function generateGitConfig(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const branch = rng() < 0.75 ? 'main' : 'master';
  const lines: string[] = [
    '[core]',
    '\trepositoryformatversion = 0',
    '\tfilemode = true',
    '\tbare = false',
    '\tlogallrefupdates = true',
  ];
  if (rng() < 0.2) lines.push(`\tautocrlf = input`);
  if (rng() < 0.35) {
    const name = ownerName(ctx);
    const email = ctx.owner.email && !/decnet|canary/i.test(ctx.owner.email) ? ctx.owner.email : emailFor(name, mailDomain(ctx, rng));
    lines.push('[user]', `\tname = ${gitValue(name)}`, `\temail = ${gitValue(email)}`);
  }
  lines.push('[remote "origin"]', `\turl = ${ctx.callback}`, '\tfetch = +refs/heads/*:refs/remotes/origin/*');
  lines.push(`[branch "${branch}"]`, '\tremote = origin', `\tmerge = refs/heads/${branch}`);
  const extras = sample(rng, ['develop', 'release', 'hotfix', 'feature'] as const, between(rng, 0, 2));
  for (const e of extras) {
    const name = e === 'develop' ? 'develop' : e === 'release' ? `release/${between(rng, 1, 4)}.${between(rng, 0, 12)}` : `${e}/${pick(rng, ['dns-cleanup', 'vpn-routes', 'cert-renewal', 'log-retention', 'new-runners', 'db-failover'])}`;
    lines.push(`[branch "${name}"]`, '\tremote = origin', `\tmerge = refs/heads/${name}`);
  }
  if (rng() < 0.3) lines.push('[pull]', `\trebase = ${pick(rng, ['true', 'false'])}`);
  if (rng() < 0.25) lines.push('[credential]', `\thelper = ${pick(rng, ['store', 'cache --timeout=3600'])}`);
  return lines.join('\n') + '\n';
}

export const gitConfigSpec: CanarySpec = {
  cls: 'canary_git_config',
  generator: 'git_config',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng) => sample(rng, REPOS, 4).map((r) => `${home}/${r}/.git/config`),
  ageSeconds: (rng) => ageDays(rng, 10, 120),
  needs: 'http',
  // The remote's repository name is the project folder's, as a clone would have it.
  callback: (slug, settings, style, r, path) => httpCallback(slug, settings, 'git', style, r, basename(dirname(dirname(path)))),
  generate: generateGitConfig,
  companions: (ctx, body) => gitRepository(ctx, String(body), ctx.rng),
};
