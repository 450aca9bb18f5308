import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base.js';
import { writeChunks } from '../../src/cli/files.js';
import { discoverFleet } from '../../src/live/discover.js';

export default class FleetDiscover extends BaseCommand {
  static override summary = 'Write a fleet file from running containers';
  static override description =
    'Lists running containers (docker ps) matching --name-pattern and/or --label, inspects them and prints a fleet JSON: one decky per ' +
    'container, named after it (a "-ssh" suffix dropped), with its hostname, network address and services ["ssh"].';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --name-pattern \'-ssh$\' --out fleet.json',
    '<%= config.bin %> <%= command.id %> --label role=decky --docker tcp://10.0.0.5:2376',
  ];
  static override flags = {
    'name-pattern': Flags.string({ description: 'regular expression the container name must match' }),
    label: Flags.string({ description: 'label the container must carry, key or key=value (repeatable)', multiple: true }),
    docker: Flags.string({ description: 'Docker context name or host URL to ask (recorded in each decky)' }),
    all: Flags.boolean({ description: 'include stopped containers', default: false }),
    out: Flags.string({ char: 'o', description: 'write to this file (atomically) instead of stdout' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FleetDiscover);
    const r = await discoverFleet({ namePattern: flags['name-pattern'], labels: flags.label ?? [], docker: flags.docker ?? null, all: flags.all });
    for (const w of r.warnings) this.note(`warning: ${w}`);
    await writeChunks([JSON.stringify(r.fleet, null, 2) + '\n'], flags.out);
    if (r.fleet.deckies.length === 0) this.exit(3);
  }
}
