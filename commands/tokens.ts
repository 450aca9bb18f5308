import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { listTokens, renderTokens } from '../src/listen/list.js';

export default class Tokens extends BaseCommand {
  static override summary = 'List the lures (canary tokens) of a timeline or a state database';
  static override description =
    'One row per token: id, decky, path, class, callback, planted state (planned for a timeline; pending, planted or failed in a state) ' +
    'and the triggers the listener recorded (with --state).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --timeline week.json',
    '<%= config.bin %> <%= command.id %> --state /var/lib/decnet-sim/state.db --json | jq \'.[] | select(.triggers > 0)\'',
  ];
  static override flags = {
    timeline: Flags.string({ description: 'timeline file (repeatable)', multiple: true, default: [] }),
    state: Flags.string({ description: 'state database of `run` (and of `listen --state`)' }),
    json: Flags.boolean({ description: 'a JSON array on stdout', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Tokens);
    const rows = await listTokens(flags.timeline, flags.state);
    process.stdout.write(flags.json ? JSON.stringify(rows, null, 2) + '\n' : renderTokens(rows));
  }
}
