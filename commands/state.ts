import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { renderStateReport, stateReport } from '../src/state/report.js';

export default class State extends BaseCommand {
  static override summary = 'Show what a live state file records';
  static override description =
    'Reads a state database of `run` (without locking or changing it): applied and pending counts per decky, divergences, canary tokens with their states, ' +
    'logins found missing or created, the host facts read from the containers, the latest heartbeats, the seed and the inputs (--json for all of it).';
  static override examples = ['<%= config.bin %> <%= command.id %> fleet.state.db', '<%= config.bin %> <%= command.id %> /var/lib/decnet-sim/state.db --json | jq .divergences'];
  static override args = { file: Args.string({ description: 'state database file', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'machine-readable report', default: false }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(State);
    const r = await stateReport(args.file, Date.now());
    process.stdout.write(flags.json ? JSON.stringify(r, null, 2) + '\n' : renderStateReport(r));
  }
}
