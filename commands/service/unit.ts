import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base.js';
import { serviceUnit } from '../../src/live/unit.js';

export default class ServiceUnit extends BaseCommand {
  static override summary = 'Print a systemd unit that runs `run --follow` as a service';
  static override description =
    'The unit runs as an unprivileged user in the docker group (SupplementaryGroups=docker), keeps its state in the --state folder, ' +
    'and stops cleanly on SIGTERM (calls in flight finish, the state is saved).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --fleet /etc/decnet-sim/fleet.json --seed 42 > /etc/systemd/system/decnet-sim.service',
  ];
  static override flags = {
    seed: Flags.string({ description: 'seed of the simulation', default: '0' }),
    fleet: Flags.string({ description: 'fleet JSON file' }),
    personas: Flags.string({ description: 'persona JSON file' }),
    config: Flags.string({ description: 'engine configuration JSON file' }),
    interval: Flags.integer({ description: 'mean seconds between ticks of a decky' }),
    state: Flags.string({ description: 'state database of the service', default: '/var/lib/decnet-sim/state.db' }),
    backfill: Flags.string({ description: 'history to fill on the first start, e.g. 3d' }),
    concurrency: Flags.integer({ description: 'deckies worked on at once' }),
    user: Flags.string({ description: 'user the service runs as', default: 'decnet-sim' }),
    group: Flags.string({ description: 'group the service runs as', default: 'decnet-sim' }),
    bin: Flags.string({ description: 'path of the decnet-sim executable (default: this installation)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServiceUnit);
    process.stdout.write(serviceUnit({ ...flags }));
  }
}
