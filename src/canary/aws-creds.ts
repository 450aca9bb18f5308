// ~/.aws/credentials: a few INI profiles. The access key ids are derived from the slug (so a
// passive monitor that sees a key id in a failed API call can name the lure); secrets come from
// the stream. The callback itself is recorded by the engine and does not appear in the file.
import { between, pick, sample, type Rng } from '../rng/stream.js';
import { ageDays, base32, cleanToken, sha256 } from './common.js';
import type { CanaryContext, CanarySpec } from './types.js';

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';

const PROFILES = [
  'prod', 'staging', 'dev', 'billing-ro', 'terraform', 'backup', 'ci-deploy', 'legacy', 'analytics',
  'logs-archive', 'dr', 'sandbox', 'data-eng', 'route53-admin', 's3-uploader',
] as const;

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'eu-west-2', 'ap-southeast-2', 'ca-central-1'] as const;

/** `AKIA` + 16 chars of [A-Z2-7], derived from the slug and the profile's position. */
export function accessKeyId(slug: string, index: number): string {
  return 'AKIA' + base32(sha256(`aws-key\u0000${slug}\u0000${index}`)).slice(0, 16);
}

function secret(rng: Rng): string {
  return cleanToken(rng, 40, SECRET_ALPHABET);
}

export function generateAwsCreds(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const extra = sample(rng, PROFILES, between(rng, 1, 3));
  const names = ['default', ...extra];
  const withRegion = rng() < 0.5;
  const commentStyle = between(rng, 0, 2);
  const lines: string[] = [];
  if (commentStyle === 1) lines.push(`# keys rotated ${new Date(ctx.mtimeMs).toISOString().slice(0, 10)}`);
  names.forEach((name, i) => {
    if (i > 0) lines.push('');
    if (commentStyle === 2 && name !== 'default') lines.push(`# ${pick(rng, ['do not use for day to day work', 'read only', 'used by the nightly job', 'old account, keep until migration is done', 'shared with the contractor team'])}`);
    lines.push(`[${name}]`);
    // The operator's real key pair (if any) goes in the default profile, where tools look first.
    const real = i === 0 ? ctx.awsKey : undefined;
    lines.push(`aws_access_key_id = ${real ? real.accessKeyId : accessKeyId(ctx.slug, i)}`);
    const made = secret(rng);
    lines.push(`aws_secret_access_key = ${real ? real.secretAccessKey : made}`);
    if (withRegion) lines.push(`region = ${pick(rng, REGIONS)}`);
  });
  return lines.join('\n') + '\n';
}

export const awsCredsSpec: CanarySpec = {
  cls: 'canary_aws_creds',
  generator: 'aws_creds',
  kind: 'aws_passive',
  mode: '0600',
  systemOwned: false,
  placements: (home) => [`${home}/.aws/credentials`, `${home}/.aws/credentials.bak`, `${home}/.aws/credentials.old`],
  ageSeconds: (rng) => ageDays(rng, 14, 120),
  needs: null,
  // What an AWS-side monitor alerts on: the first profile's key id (the operator's, when given).
  callback: (slug) => accessKeyId(slug, 0),
  generate: generateAwsCreds,
};
