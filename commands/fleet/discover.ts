import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base.js';
import { writeChunks } from '../../src/cli/files.js';
import { RuntimeFailure } from '../../src/errors.js';

export default class FleetDiscover extends BaseCommand {
  static override summary = 'Write a fleet file from running containers';
  static override description =
    'Lists running containers (docker ps) matching --name-pattern and/or --label, inspects them and prints a fleet JSON: one decky per ' +
    'container, named after it (a "-ssh" suffix dropped), with its hostname, network address and services ["ssh"]. From inside each running ' +
    'container (one generic `docker exec -i ... sh -s`, the script on stdin) it reads the hostname and /etc/passwd: the decky gets the ' +
    'container\'s own hostname, its human logins (uid 1000 to 59999) as `users`, and one persona per login (named from the passwd ' +
    'comment) in the fleet\'s `personas`; add roles, time zones and hours to them. When no container matches, nothing is written and ' +
    'the exit code is 3.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --name-pattern \'-ssh$\' --out fleet.json',
    '<%= config.bin %> <%= command.id %> --label role=decky --docker tcp://10.0.0.5:2376',
  ];
  static override flags = {
    'name-pattern': Flags.string({ description: 'regular expression the container name must match' }),
    label: Flags.string({ description: 'label the container must carry, key or key=value (repeatable)', multiple: true }),
    docker: Flags.string({ description: 'Docker context name or host URL to ask (recorded in each decky)' }),
    all: Flags.boolean({ description: 'include stopped containers', default: false }),
    facts: Flags.boolean({ description: 'read hostname, users and personas from inside each running container', default: true, allowNo: true }),
    out: Flags.string({ char: 'o', description: 'write to this file (atomically) instead of stdout' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FleetDiscover);
    const { discoverFleet } = await import('../../src/live/discover.js');
    const r = await discoverFleet({ namePattern: flags['name-pattern'], labels: flags.label ?? [], docker: flags.docker ?? null, all: flags.all, facts: flags.facts });
    if (r.fleet.deckies.length === 0) {
      const what = [flags['name-pattern'] ? `--name-pattern ${JSON.stringify(flags['name-pattern'])}` : '', ...(flags.label ?? []).map((l) => `--label ${l}`)].filter(Boolean).join(' ');
      throw new RuntimeFailure(`no ${flags.all ? '' : 'running '}container matches ${what}; nothing written`);
    }
    for (const w of r.warnings) this.note(`warning: ${w}`);
    await writeChunks([JSON.stringify(r.fleet, null, 2) + '\n'], flags.out);
  }
}
