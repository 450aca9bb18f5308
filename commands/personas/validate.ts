import { Args, Flags } from '@oclif/core';
import { renderPersonaReport, validatePersonaFile } from '../../src/app/personas.js';
import { BaseCommand } from '../../src/cli/base.js';
import { jsonReport } from '../../src/cli/report.js';

export default class PersonasValidate extends BaseCommand {
  static override summary = 'Check a persona file and show the logins and windows it resolves to';
  static override description = 'Loads the file exactly as plan does (Python email_personas.json files load unchanged). Exit 0 when valid, 2 with a one-line error naming the field otherwise.';
  static override examples = ['<%= config.bin %> <%= command.id %> personas.json', '<%= config.bin %> <%= command.id %> email_personas.json --json'];
  static override args = { file: Args.string({ description: 'persona JSON file, - for stdin', required: true, ignoreStdin: true }) };
  static override flags = { json: Flags.boolean({ description: 'machine-readable output', default: false }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PersonasValidate);
    const report = validatePersonaFile(args.file);
    process.stdout.write(flags.json ? jsonReport(report) : renderPersonaReport(report));
  }
}
