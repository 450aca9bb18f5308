import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { jsonReport } from '../src/cli/report.js';
import { type PlanFlagValues, planFlagGiven, planFlags, progressFlag } from '../src/cli/flags.js';
import { ProgressDisplay } from '../src/cli/progress.js';
import { renderCheck, runCheck } from '../src/check/index.js';
import { sourceFromFileOrFlags } from '../src/check/source.js';
import { InputError } from '../src/errors.js';

export default class Check extends BaseCommand {
  static override summary = 'Check a timeline against the realism invariants';
  static override description = 'Runs every realism invariant (SPEC 9) over a timeline file, or over a plan made in memory from the plan flags, and lists each violation with its event id, decky, path and reason. Exit 0 when clean, 1 when a violation is found, 2 for a bad, truncated or tampered input.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> week.json',
    '<%= config.bin %> <%= command.id %> --seed 42 --days 30',
    '<%= config.bin %> plan --seed 42 --format ndjson | <%= config.bin %> <%= command.id %> -',
    '<%= config.bin %> <%= command.id %> week.ndjson --json | jq \'.violations[] | select(.invariant == 2)\'',
  ];
  static override args = {
    file: Args.string({ description: 'timeline file (JSON document or NDJSON), - for stdin; without it, plan in memory from the flags', ignoreStdin: true }),
  };
  static override flags = {
    ...planFlags,
    ...progressFlag,
    json: Flags.boolean({ description: 'machine-readable report on stdout', default: false }),
    alpha: Flags.string({ description: 'family-wise significance level of the statistical tests', default: '0.001' }),
    'max-listed': Flags.integer({ description: 'list at most this many violations (all are counted)', default: 10000, min: 0 }),
    verbose: Flags.boolean({ char: 'v', description: 'show every statistical test, not only the failing ones', default: false }),
    'allow-test-callbacks': Flags.boolean({ description: 'accept callbacks on reserved names (example.*, .test, loopback, private ranges): a test deployment', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags, raw } = await this.parse(Check);
    const alpha = Number(flags.alpha);
    if (!(alpha > 0 && alpha < 1)) throw new InputError(`--alpha: expected a number between 0 and 1, got ${JSON.stringify(flags.alpha)}`);
    const progress = new ProgressDisplay('check', { enabled: !flags['no-progress'] });
    const src = await sourceFromFileOrFlags('check', args.file, flags as PlanFlagValues, planFlagGiven(raw), (w) => this.note(`warning: ${w}`), { onProgress: progress.tick });
    const report = await runCheck(src, { alpha, maxListed: flags['max-listed'], allowTestCallbacks: flags['allow-test-callbacks'] });
    progress.finish();
    process.stdout.write(flags.json ? jsonReport(report) : renderCheck(report, { verbose: flags.verbose }));
    if (!report.ok) process.exitCode = 1;
  }
}
