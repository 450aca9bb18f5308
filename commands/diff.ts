import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { jsonReport } from '../src/cli/report.js';
import { type PlanFlagValues, planFlagGiven, planFlags, progressFlag, rawInputsFromFlags } from '../src/cli/flags.js';
import { ProgressDisplay } from '../src/cli/progress.js';
import { sourceFromArg, sourceFromPlan } from '../src/check/source.js';
import { diffTimelines, renderDiff } from '../src/diff/index.js';
import { InputError } from '../src/errors.js';
import { resolveInputs } from '../src/inputs/resolve.js';

export default class Diff extends BaseCommand {
  static override summary = 'Compare two timelines';
  static override description = 'Compares two timeline files, or the plans of two seeds with the same plan flags: whether the inputs differ, the first diverging event, count deltas per kind, class and decky, and the events added, removed or changed (matched by decky, path or kind/action, and time). Both sides are streamed in lockstep. Exit 0 when identical, 1 when different, 2 for bad input.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> monday.json monday-again.json',
    '<%= config.bin %> <%= command.id %> --seed 42 --against-seed 43 --days 7',
    '<%= config.bin %> <%= command.id %> a.ndjson b.ndjson --json | jq .firstDivergence',
  ];
  static override args = {
    a: Args.string({ description: 'first timeline file (- for stdin)', ignoreStdin: true }),
    b: Args.string({ description: 'second timeline file (- for stdin)', ignoreStdin: true }),
  };
  static override flags = {
    ...planFlags,
    ...progressFlag,
    'against-seed': Flags.string({ description: 'compare the plan of --seed with the plan of this seed (same other flags)' }),
    json: Flags.boolean({ description: 'machine-readable report on stdout', default: false }),
    limit: Flags.integer({ description: 'list at most this many added, removed and changed events each (all are counted)', default: 20, min: 0 }),
  };

  async run(): Promise<void> {
    const { args, flags, raw } = await this.parse(Diff);
    // Progress follows side A (both sides are read in lockstep).
    const progress = new ProgressDisplay('diff', { enabled: !flags['no-progress'] });
    const onProgress = progress.tick;
    let a;
    let b;
    if (flags['against-seed'] !== undefined) {
      if (args.a || args.b) throw new InputError('diff: give two timeline files or --seed and --against-seed, not both');
      const { inputs, warnings } = resolveInputs(rawInputsFromFlags(flags as PlanFlagValues));
      for (const w of warnings) this.note(`warning: ${w}`);
      a = sourceFromPlan(flags.seed, inputs, undefined, { onProgress });
      b = sourceFromPlan(flags['against-seed'], inputs);
    } else {
      if (!args.a || !args.b) throw new InputError('diff: expected two timeline files (A B), or --seed X --against-seed Y');
      if (planFlagGiven(raw)) throw new InputError('diff: plan flags apply with --against-seed only, not to files');
      a = await sourceFromArg(args.a, 'diff A', { onProgress });
      b = await sourceFromArg(args.b, 'diff B');
    }
    const report = await diffTimelines(a, b, { limit: flags.limit });
    progress.finish();
    process.stdout.write(flags.json ? jsonReport(report) : renderDiff(report));
    if (!report.identical) process.exitCode = 1;
  }
}
