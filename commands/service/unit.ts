import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base.js';
import { serviceUnit } from '../../src/live/unit.js';
import { listenUnit } from '../../src/listen/unit.js';

export default class ServiceUnit extends BaseCommand {
  static override summary = 'Print a systemd unit that runs `run --follow` as a service';
  static override description =
    'The unit runs as an unprivileged user in the docker group (SupplementaryGroups=docker), keeps its state in the --state folder, ' +
    'and stops cleanly on SIGTERM (calls in flight finish, the state is saved).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --fleet /etc/decnet-sim/fleet.json --seed 42 > /etc/systemd/system/decnet-sim.service',
    '<%= config.bin %> <%= command.id %> --listen --sinkhole 203.0.113.10 > /etc/systemd/system/decnet-sim-listen.service',
  ];
  static override flags = {
    seed: Flags.string({ description: 'seed of the simulation (default: drawn at random on the first start and kept in the state)' }),
    fleet: Flags.string({ description: 'fleet JSON file (required)' }),
    personas: Flags.string({ description: 'persona JSON file' }),
    config: Flags.string({ description: 'engine configuration JSON file' }),
    interval: Flags.integer({ description: 'mean seconds between ticks of a decky' }),
    state: Flags.string({ description: 'state database of the service', default: '/var/lib/decnet-sim/state.db' }),
    backfill: Flags.string({ description: 'history to fill on the first start, e.g. 3d' }),
    concurrency: Flags.integer({ description: 'deckies worked on at once' }),
    user: Flags.string({ description: 'user the service runs as', default: 'decnet-sim' }),
    group: Flags.string({ description: 'group the service runs as', default: 'decnet-sim' }),
    bin: Flags.string({ description: 'path of the decnet-sim executable (default: this installation)' }),
    listen: Flags.boolean({ description: 'the unit of `listen` (the call-home listener) instead of `run --follow`', default: false }),
    http: Flags.string({ description: 'with --listen: HTTP listen address', default: '0.0.0.0:80' }),
    dns: Flags.string({ description: 'with --listen: DNS listen address', default: '0.0.0.0:53' }),
    zone: Flags.string({ description: 'with --listen: DNS zone to serve' }),
    sinkhole: Flags.string({ description: 'with --listen: address the DNS answers point to' }),
    webhook: Flags.string({ description: 'with --listen: webhook URL (repeatable)', multiple: true, default: [] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServiceUnit);
    if (flags.listen) {
      process.stdout.write(listenUnit({ http: flags.http, dns: flags.dns, state: flags.state, zone: flags.zone, sinkhole: flags.sinkhole, webhook: flags.webhook, user: flags.user, group: flags.group, bin: flags.bin }));
      return;
    }
    process.stdout.write(serviceUnit({ ...flags }));
  }
}
