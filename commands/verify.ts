import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { jsonReport } from '../src/cli/report.js';
import { timelinePath } from '../src/cli/files.js';
import { progressFlag } from '../src/cli/flags.js';
import { ProgressDisplay } from '../src/cli/progress.js';
import { readProgress } from '../src/check/source.js';
import { renderVerify, verifyFile } from '../src/verify/index.js';

export default class Verify extends BaseCommand {
  static override summary = 'Check that a timeline reproduces from its header';
  static override description = 'Re-plans the timeline from the seed and inputs recorded in its header and compares the sha256 of the file\'s bytes with the re-planned bytes (same format), showing the first line where they part. A tampered event or a different generator version (engine drift) is a mismatch. Exit 0 when it reproduces, 1 on a mismatch, 2 for a truncated, malformed or wrong-version file.';
  static override examples = ['<%= config.bin %> <%= command.id %> week.json', '<%= config.bin %> <%= command.id %> week.ndjson --json'];
  static override args = {
    file: Args.string({ description: 'timeline file (JSON document or NDJSON), - for stdin', required: true, ignoreStdin: true }),
  };
  static override flags = {
    ...progressFlag,
    json: Flags.boolean({ description: 'machine-readable report on stdout', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Verify);
    const progress = new ProgressDisplay('verify', { enabled: !flags['no-progress'] });
    const { path, label } = await timelinePath(args.file, 'verify');
    const report = await verifyFile(path, { label, onProgress: readProgress(progress.tick) });
    progress.finish();
    process.stdout.write(flags.json ? jsonReport(report) : renderVerify(report));
    if (!report.ok) process.exitCode = 1;
  }
}
