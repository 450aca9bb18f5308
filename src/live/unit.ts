// A systemd unit for `run --follow`: a long-lived service that keeps the fleet lived-in.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonFile } from '../cli/files.js';
import { InputError } from '../errors.js';
import { resolveInputs } from '../inputs/resolve.js';
import { parseDuration } from './clock.js';

export interface UnitOptions {
  /** The command line: program first (absolute path). */
  execStart: string[];
  user: string;
  group: string;
  /** Folder holding the state database (writable by the service). */
  stateDirectory: string;
  description?: string;
}

/** Quote one ExecStart argument for systemd (specifiers and variables escaped). */
export function systemdQuote(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export function renderUnit(o: UnitOptions): string {
  if (!NAME.test(o.user)) throw new InputError(`--user: expected a system user name, got ${JSON.stringify(o.user)}`);
  if (!NAME.test(o.group)) throw new InputError(`--group: expected a group name, got ${JSON.stringify(o.group)}`);
  if (!o.stateDirectory.startsWith('/')) throw new InputError('--state: the service needs an absolute path');
  // eslint-disable-next-line no-control-regex
  if (o.execStart.some((a) => /[\u0000-\u001f]/.test(a))) throw new InputError('the service command line contains a control character');
  return [
    '[Unit]',
    `Description=${o.description ?? 'Simulated user activity on the honeypot fleet (run --follow)'}`,
    'Documentation=man:docker(1)',
    'After=docker.service network-online.target',
    'Wants=docker.service network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${o.user}`,
    `Group=${o.group}`,
    '# Talks to the Docker engine through its socket.',
    'SupplementaryGroups=docker',
    `WorkingDirectory=${o.stateDirectory}`,
    `Environment=HOME=${o.stateDirectory}`,
    `ExecStart=${o.execStart.map(systemdQuote).join(' ')}`,
    '# SIGTERM: finish the calls in flight, save the state, exit 0.',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=90',
    'Restart=on-failure',
    'RestartSec=30',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    'ProtectHome=true',
    'PrivateTmp=true',
    `ReadWritePaths=${o.stateDirectory}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** The program and script that run this CLI: the current node and this package's bin/run.js. */
export function selfCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('../../../bin/run.js', import.meta.url))];
}

export interface ServiceUnitOptions {
  /** Without one, the service draws a seed on its first start and keeps it in the state. */
  seed?: string;
  fleet?: string;
  personas?: string;
  config?: string;
  interval?: number;
  state: string;
  backfill?: string;
  concurrency?: number;
  user: string;
  group: string;
  bin?: string;
}

/** The unit for `run --follow` with these inputs (paths made absolute: systemd has no cwd of ours). */
export function serviceUnit(o: ServiceUnitOptions): string {
  // The same checks `run` makes, so the unit never starts a service that exits at once.
  if (!o.fleet) throw new InputError('--fleet: the service needs a fleet file (the embedded demo fleet is for plan only)');
  resolveInputs({
    fleet: readJsonFile(o.fleet),
    personas: o.personas ? readJsonFile(o.personas) : undefined,
    config: o.config ? readJsonFile(o.config) : undefined,
    interval: o.interval,
  });
  if (o.backfill !== undefined) parseDuration('--backfill', o.backfill);
  if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && o.concurrency >= 1 && o.concurrency <= 64)) throw new InputError(`--concurrency: expected a whole number from 1 to 64, got ${o.concurrency}`);
  if (o.seed !== undefined && o.seed.length === 0) throw new InputError('--seed: expected a non-empty string');
  const state = resolve(o.state);
  const cmd = o.bin ? [resolve(o.bin)] : selfCommand();
  const args = ['run', '--follow', '--state', state];
  if (o.seed !== undefined) args.push('--seed', o.seed);
  if (o.fleet) args.push('--fleet', resolve(o.fleet));
  if (o.personas) args.push('--personas', resolve(o.personas));
  if (o.config) args.push('--config', resolve(o.config));
  if (o.interval !== undefined) args.push('--interval', String(o.interval));
  if (o.backfill) args.push('--backfill', o.backfill);
  if (o.concurrency !== undefined) args.push('--concurrency', String(o.concurrency));
  return renderUnit({ execStart: [...cmd, ...args], user: o.user, group: o.group, stateDirectory: dirname(state) });
}
