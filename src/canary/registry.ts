// One spec per canary class. Placeholder artifacts: honest, non-empty text lures carrying the
// callback; the canary cultivator replaces each generator with a format-valid one.
import type { CanaryClass } from '../inputs/types.js';
import { pick } from '../rng/stream.js';
import { dnsCallback, httpCallback } from './callback.js';
import type { CanarySpec } from './types.js';

const DAY = 86_400;

function textSpec(cls: CanaryClass, generator: string, kind: CanarySpec['kind'], mode: CanarySpec['mode'], placements: CanarySpec['placements'], ageDays: [number, number], asset: string, systemOwned = false): CanarySpec {
  return {
    cls,
    generator,
    kind,
    mode,
    systemOwned,
    placements,
    ageSeconds: (rng) => Math.round((ageDays[0] + rng() * (ageDays[1] - ageDays[0])) * DAY),
    callback: (slug, settings) => (kind === 'dns' ? dnsCallback(slug, settings) : httpCallback(slug, settings, asset)),
    generate: (ctx) => `# ${generator}\n${ctx.callback}\n`,
  };
}

export const CANARY_SPECS: Record<CanaryClass, CanarySpec> = {
  canary_aws_creds: textSpec('canary_aws_creds', 'aws_creds', 'aws_passive', '0600', (home) => [`${home}/.aws/credentials`], [20, 90], 'sts'),
  canary_env_file: textSpec('canary_env_file', 'env_file', 'http', '0600', (home, rng) => [`${home}/${pick(rng, ['api', 'billing-service', 'webapp', 'deploy-tools'])}/.env`], [5, 40], 'api'),
  canary_git_config: textSpec('canary_git_config', 'git_config', 'http', '0644', (home, rng) => [`${home}/${pick(rng, ['infra', 'ops-scripts', 'site', 'dashboards'])}/.git/config`], [10, 60], 'repo.git'),
  canary_ssh_key: textSpec('canary_ssh_key', 'ssh_key', 'dns', '0600', (home) => [`${home}/.ssh/id_ed25519`], [30, 200], ''),
  canary_honeydoc: textSpec('canary_honeydoc', 'honeydoc', 'http', '0644', (home, rng) => [`${home}/Documents/${pick(rng, ['quarterly-report', 'network-inventory', 'vendor-contacts'])}.html`], [1, 12], 'logo.png'),
  canary_honeydoc_docx: textSpec('canary_honeydoc_docx', 'honeydoc_docx', 'http', '0644', (home, rng) => [`${home}/Documents/${pick(rng, ['Budget-Review', 'Onboarding-Guide', 'Access-Matrix'])}.docx`], [1, 12], 'header.png'),
  canary_honeydoc_pdf: textSpec('canary_honeydoc_pdf', 'honeydoc_pdf', 'http', '0644', (home, rng) => [`${home}/Documents/${pick(rng, ['invoice-summary', 'audit-findings', 'dr-runbook'])}.pdf`], [1, 12], 'view'),
  canary_mysql_dump: textSpec('canary_mysql_dump', 'mysql_dump', 'dns', '0600', (_home, rng, date) => [`/var/backups/${pick(rng, ['crm', 'billing', 'intranet'])}-${date}.sql`], [1, 6], '', true),
  canary_fingerprint_html: textSpec('canary_fingerprint_html', 'fingerprint_html', 'http', '0644', (home, rng) => [`${home}/Documents/${pick(rng, ['status', 'dashboard', 'bookmarks'])}.html`], [1, 20], 'px'),
  canary_fingerprint_svg: textSpec('canary_fingerprint_svg', 'fingerprint_svg', 'http', '0644', (home, rng) => [`${home}/Documents/${pick(rng, ['topology', 'org-chart', 'rack-layout'])}.svg`], [1, 20], 'px'),
};
