// A systemd unit for `listen`: binds the HTTP and DNS ports (CAP_NET_BIND_SERVICE, no root),
// reads the state that `run` keeps and records the triggers in it.
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { selfCommand, systemdQuote } from '../live/unit.js';

export interface ListenUnitOptions {
  http?: string;
  dns?: string;
  state: string;
  sinkhole?: string;
  zone?: string;
  webhook: string[];
  user: string;
  group: string;
  bin?: string;
}

const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export function listenUnit(o: ListenUnitOptions): string {
  if (!NAME.test(o.user)) throw new InputError(`--user: expected a system user name, got ${JSON.stringify(o.user)}`);
  if (!NAME.test(o.group)) throw new InputError(`--group: expected a group name, got ${JSON.stringify(o.group)}`);
  const state = resolve(o.state);
  const args = ['listen', '--state', state, '--http', o.http ?? '0.0.0.0:80', '--dns', o.dns ?? '0.0.0.0:53'];
  if (o.zone) args.push('--zone', o.zone);
  if (o.sinkhole) args.push('--sinkhole', o.sinkhole);
  for (const w of o.webhook) args.push('--webhook', w);
  const exec = [...(o.bin ? [resolve(o.bin)] : selfCommand()), ...args];
  // eslint-disable-next-line no-control-regex
  if (exec.some((a) => /[\u0000-\u001f]/.test(a))) throw new InputError('the service command line contains a control character');
  const dir = dirname(state);
  return [
    '[Unit]',
    'Description=Call-home listener for the honeypot fleet\'s lures (HTTP and DNS)',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${o.user}`,
    `Group=${o.group}`,
    '# Ports below 1024 without root.',
    'AmbientCapabilities=CAP_NET_BIND_SERVICE',
    'CapabilityBoundingSet=CAP_NET_BIND_SERVICE',
    `WorkingDirectory=${dir}`,
    `ExecStart=${exec.map(systemdQuote).join(' ')}`,
    '# Triggers go to stdout (the journal); SIGTERM: stop listening, deliver, record, exit 0.',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    'Restart=always',
    'RestartSec=5',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    'ProtectHome=true',
    'PrivateTmp=true',
    `ReadWritePaths=${dir}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
