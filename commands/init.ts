import { Args, Flags } from '@oclif/core';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextSteps, starterFiles } from '../src/app/init.js';
import { BaseCommand } from '../src/cli/base.js';
import { InputError } from '../src/errors.js';

export default class Init extends BaseCommand {
  static override summary = 'Write a starter fleet, persona and config file into a folder';
  static override description =
    'Writes fleet.json, personas.json and config.json (all valid as they are) and prints what to edit and run next. The callback ' +
    'settings in config.json are null, left for you to point at your own listener; until then the lures that call home are left out. ' +
    'Existing files are never overwritten unless --force is given.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> decoys --domain eng.internal'];
  static override args = { dir: Args.string({ description: 'folder to write into (created when missing)', default: '.', ignoreStdin: true }) };
  static override flags = {
    domain: Flags.string({ description: 'mail domain of the starter personas', default: 'corp.internal' }),
    force: Flags.boolean({ description: 'overwrite existing files', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(flags.domain)) {
      throw new InputError(`--domain: expected a mail domain such as corp.internal, got ${JSON.stringify(flags.domain)}`);
    }
    const files = starterFiles({ domain: flags.domain });
    const taken = files.filter((f) => existsSync(join(args.dir, f.name)));
    if (taken.length > 0 && !flags.force) {
      throw new InputError(`${taken.map((f) => join(args.dir, f.name)).join(', ')}: already there (nothing written; --force overwrites)`);
    }
    try {
      mkdirSync(args.dir, { recursive: true });
      for (const f of files) {
        const tmp = join(args.dir, `.${f.name}.tmp-${process.pid}`);
        writeFileSync(tmp, f.text, { mode: 0o644 });
        renameSync(tmp, join(args.dir, f.name));
      }
    } catch (e) {
      throw new InputError(`${args.dir}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    process.stdout.write(nextSteps(this.config.bin, args.dir, files));
  }
}
