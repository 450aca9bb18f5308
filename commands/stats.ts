import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { jsonReport } from '../src/cli/report.js';
import { writeChunks } from '../src/cli/files.js';
import { type PlanFlagValues, planFlagGiven, planFlags, progressFlag } from '../src/cli/flags.js';
import { ProgressDisplay } from '../src/cli/progress.js';
import { sourceFromFileOrFlags } from '../src/check/source.js';
import { renderStatsHtml } from '../src/stats/html.js';
import { computeStats, renderStats } from '../src/stats/index.js';

export default class Stats extends BaseCommand {
  static override summary = 'Summarise a timeline';
  static override description = 'Counts per kind, action, content class, decky and persona, activity per hour of day (persona events in the persona\'s time zone, system events in UTC) with a bar chart, and the list of canaries. Reads a timeline file, or plans in memory from the plan flags. --html writes a self-contained report with an activity heatmap (decky by hour) that opens offline.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> week.json',
    '<%= config.bin %> plan --seed 42 --days 30 | <%= config.bin %> <%= command.id %> -',
    '<%= config.bin %> <%= command.id %> --seed 42 --days 30 --html report.html',
    '<%= config.bin %> <%= command.id %> week.ndjson --json | jq .byClass',
  ];
  static override args = {
    file: Args.string({ description: 'timeline file (JSON document or NDJSON), - for stdin; without it, plan in memory from the flags', ignoreStdin: true }),
  };
  static override flags = {
    ...planFlags,
    ...progressFlag,
    json: Flags.boolean({ description: 'machine-readable report on stdout', default: false }),
    html: Flags.string({ description: 'also write a self-contained HTML report to this file' }),
  };

  async run(): Promise<void> {
    const { args, flags, raw } = await this.parse(Stats);
    const progress = new ProgressDisplay('stats', { enabled: !flags['no-progress'] });
    const src = await sourceFromFileOrFlags('stats', args.file, flags as PlanFlagValues, planFlagGiven(raw), (w) => this.note(`warning: ${w}`), { onProgress: progress.tick });
    const report = await computeStats(src);
    progress.finish();
    if (flags.html) {
      await writeChunks([renderStatsHtml(report)], flags.html);
      this.note(`wrote ${flags.html}`);
    }
    process.stdout.write(flags.json ? jsonReport(report) : renderStats(report));
  }
}
