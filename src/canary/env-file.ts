// A project's .env: the usual mix of app settings, datastore URLs and API secrets. The service
// URLs that point at the callback carry the slug as their first path segment.
import { between, hex, pick, sample, token, type Rng } from '../rng/stream.js';
import { httpCallback } from './callback.js';
import { ALNUM_MIXED, ageDays, basename, cleanToken, dirname, humanPassword, INTERNAL_DOMAINS, mailDomain } from './common.js';
import { projectTree } from './project-tree.js';
import type { CanaryContext, CanarySpec } from './types.js';

const PROJECTS = ['api', 'billing-service', 'webapp', 'deploy-tools', 'customer-portal', 'reporting', 'inventory-sync', 'notifier', 'admin-panel', 'payments-gateway'] as const;

const B64URL = ALNUM_MIXED + '-_';

function dbName(project: string): string {
  return project.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'app';
}

function secretLine(rng: Rng, key: string, length: number, alphabet = ALNUM_MIXED): string {
  return `${key}=${cleanToken(rng, length, alphabet)}`;
}

export function generateEnvFile(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const project = basename(dirname(ctx.path)).replace(/^\.+/, '') || pick(rng, PROJECTS);
  const db = dbName(project);
  const domain = pick(rng, INTERNAL_DOMAINS);
  const mail = mailDomain(ctx, rng);
  const engine = pick(rng, ['postgres', 'mysql'] as const);
  const dbHost = `${pick(rng, ['db', 'pg', 'sql', 'data'])}-${between(rng, 1, 4).toString().padStart(2, '0')}.${domain}`;
  const port = engine === 'postgres' ? 5432 : 3306;
  const appPort = pick(rng, [3000, 4000, 5000, 8000, 8080, 8081]);
  const out: string[] = [];

  const header = between(rng, 0, 2);
  if (header === 1) out.push(`# ${project} settings, do not commit`);
  if (header === 2) out.push(`# copied from the vault export, update when rotated`);

  out.push(`APP_ENV=${pick(rng, ['production', 'production', 'staging'])}`);
  out.push(`APP_NAME=${project}`);
  out.push(`PORT=${appPort}`);
  out.push(`LOG_LEVEL=${pick(rng, ['info', 'warn', 'debug'])}`);
  out.push(secretLine(rng, pick(rng, ['SECRET_KEY', 'APP_KEY', 'SESSION_SECRET']), between(rng, 40, 64)));
  out.push('');
  const dbUser = `${db.slice(0, 12)}_${pick(rng, ['app', 'rw', 'svc'])}`;
  const dbPass = rng() < 0.5 ? humanPassword(rng) : cleanToken(rng, 24, ALNUM_MIXED);
  out.push(`DATABASE_URL=${engine}://${dbUser}:${encodeURIComponent(dbPass)}@${dbHost}:${port}/${db}`);
  if (rng() < 0.6) out.push(`DB_POOL_SIZE=${pick(rng, [5, 10, 20])}`);
  if (rng() < 0.7) out.push(`REDIS_URL=redis://:${cleanToken(rng, 20, ALNUM_MIXED)}@cache-01.${domain}:6379/${between(rng, 0, 3)}`);
  out.push('');

  // The trap: internal service endpoints that a curious reader will try.
  const serviceKey = pick(rng, ['INTERNAL_API_URL', 'PAYMENTS_API_URL', 'AUTH_SERVICE_URL', 'REPORTS_API_URL', 'PARTNER_API_URL']);
  out.push(`${serviceKey}=${ctx.callback}`);
  out.push(secretLine(rng, serviceKey.replace(/_URL$/, '_TOKEN'), 40, B64URL));
  if (rng() < 0.5 && !ctx.callback.includes('?')) out.push(`WEBHOOK_URL=${ctx.callback}/${pick(rng, ['hooks', 'webhook', 'notify', 'events'])}`);
  out.push('');

  const extras = sample(rng, ['jwt', 'smtp', 's3', 'stripe', 'sentry', 'slack'] as const, between(rng, 2, 4));
  for (const e of extras) {
    switch (e) {
      case 'jwt':
        out.push(secretLine(rng, 'JWT_SECRET', 48, B64URL));
        out.push(`JWT_TTL=${pick(rng, [900, 3600, 86400])}`);
        break;
      case 'smtp':
        out.push(`SMTP_HOST=smtp.${mail}`);
        out.push(`SMTP_PORT=${pick(rng, [25, 465, 587])}`);
        out.push(`SMTP_USER=${pick(rng, ['noreply', 'alerts', 'mailer'])}@${mail}`);
        out.push(`SMTP_PASSWORD=${humanPassword(rng)}`);
        break;
      case 's3':
        out.push(`S3_BUCKET=${db.replace(/_/g, '-')}-${pick(rng, ['uploads', 'exports', 'assets'])}`);
        out.push(`S3_REGION=${pick(rng, ['us-east-1', 'eu-west-1', 'eu-central-1'])}`);
        break;
      case 'stripe':
        out.push(`STRIPE_SECRET_KEY=sk_live_${cleanToken(rng, 24, ALNUM_MIXED)}`);
        out.push(`STRIPE_WEBHOOK_SECRET=whsec_${cleanToken(rng, 32, ALNUM_MIXED)}`);
        break;
      case 'sentry':
        out.push(`SENTRY_DSN=https://${hex(rng, 32)}@o${between(rng, 100000, 999999)}.ingest.sentry.io/${between(rng, 1000000, 4999999)}`);
        break;
      case 'slack':
        out.push(`SLACK_BOT_TOKEN=xoxb-${between(rng, 10000, 99999)}${between(rng, 100000, 999999)}-${token(rng, 12, '0123456789')}-${cleanToken(rng, 24, ALNUM_MIXED)}`);
        break;
    }
  }
  return out.join('\n') + '\n';
}

export const envFileSpec: CanarySpec = {
  cls: 'canary_env_file',
  generator: 'env_file',
  kind: 'http',
  mode: '0600',
  systemOwned: false,
  placements: (home, rng) => {
    const first = sampleProjects(rng);
    return [...first.map((p) => `${home}/${p}/.env`), ...first.slice(0, 2).map((p) => `${home}/${p}/.env.production`)];
  },
  ageSeconds: (rng) => ageDays(rng, 7, 60),
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'api', style, r),
  generate: generateEnvFile,
  companions: projectTree,
};

function sampleProjects(rng: Rng): string[] {
  return sample(rng, PROJECTS, 4);
}
