// ~/.aws/credentials: a few INI profiles. The access key ids are derived from the slug (so a
// passive monitor that sees a key id in a failed API call can name the lure); secrets come from
// the stream. The callback itself is recorded by the engine and does not appear in the file.
import { between, pick, sample, type Rng } from '../rng/stream.js';
import { ageDays, base32, cleanToken, sha256 } from './common.js';
import type { CanaryContext, CanarySpec, PlantedFile } from './types.js';

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

/** The region an organisation in this country would run in. */
const REGION_OF: Record<string, string> = {
  GB: 'eu-west-2', IE: 'eu-west-1', DE: 'eu-central-1', AT: 'eu-central-1', CH: 'eu-central-2', FR: 'eu-west-3', BE: 'eu-west-1', NL: 'eu-west-1',
  ES: 'eu-south-2', PT: 'eu-west-1', IT: 'eu-south-1', PL: 'eu-central-1', CZ: 'eu-central-1', SE: 'eu-north-1', NO: 'eu-north-1', DK: 'eu-north-1',
  FI: 'eu-north-1', US: 'us-east-1', CA: 'ca-central-1', BR: 'sa-east-1', MX: 'us-east-2', AU: 'ap-southeast-2', NZ: 'ap-southeast-2', IN: 'ap-south-1',
  JP: 'ap-northeast-1', KR: 'ap-northeast-2', SG: 'ap-southeast-1', ZA: 'af-south-1', AE: 'me-central-1',
};

/**
 * ~/.aws/config beside the credentials, as `aws configure` writes it: the default profile's
 * region (the one the credentials name, else the organisation's), json output, and a
 * `[profile x]` section for each further profile. Only the first lure gets one (a `.bak` or
 * `.old` copy sits beside the config the first made).
 */
export function awsConfig(ctx: CanaryContext, body: Uint8Array | string): PlantedFile[] {
  if (!ctx.path.endsWith('/credentials')) return [];
  const creds = String(body);
  const profiles = [...creds.matchAll(/^\[([^\]]+)\]$/gm)].map((m) => m[1]!);
  const regionOf = (name: string): string | null => {
    const at = creds.indexOf(`[${name}]`);
    const m = /\nregion = (\S+)/.exec(creds.slice(at, creds.indexOf('\n[', at + 1) >>> 0));
    return m ? m[1]! : null;
  };
  const home = REGION_OF[ctx.org?.country ?? ''] ?? 'us-east-1';
  const lines: string[] = [];
  for (const p of profiles) {
    if (lines.length > 0) lines.push('');
    lines.push(p === 'default' ? '[default]' : `[profile ${p}]`, `region = ${regionOf(p) ?? home}`, 'output = json');
  }
  const dir = ctx.path.slice(0, ctx.path.lastIndexOf('/'));
  return [{ path: `${dir}/config`, mode: '0600', data: lines.join('\n') + '\n' }];
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
  companions: awsConfig,
};
