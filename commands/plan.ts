import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { writeChunks } from '../src/cli/files.js';
import { type PlanFlagValues, planFlags, progressFlag, rawInputsFromFlags } from '../src/cli/flags.js';
import { horizonShare, ProgressDisplay } from '../src/cli/progress.js';

export default class Plan extends BaseCommand {
  static override summary = 'Dry-run the simulation and print the timeline';
  static override description = 'Advances a virtual clock through each persona\'s working hours on every decky of the fleet and writes the complete, reproducible timeline of actions. The same seed and inputs always give the same bytes. With --out, progress is shown on stderr.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --seed 42 --days 7 --out week.json',
    '<%= config.bin %> <%= command.id %> --seed 42 --days 30 --format ndjson --out month.ndjson',
    '<%= config.bin %> <%= command.id %> --seed 42 --days 7 | <%= config.bin %> stats -',
    '<%= config.bin %> <%= command.id %> --fleet big-fleet.json --days 365 --format ndjson --workers 2 > year.ndjson',
    '<%= config.bin %> <%= command.id %> --fleet - --days 7 < fleet.json > week.json',
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --config engine.json --start 2026-03-02T00:00:00Z --until 2026-03-09T00:00:00Z',
    '<%= config.bin %> <%= command.id %> --seed 42 --skip-quiet | jq \'.events[] | select(.kind == "file") | .path\'',
  ];
  static override flags = {
    ...planFlags,
    ...progressFlag,
    format: Flags.string({ description: 'output format', options: ['json', 'ndjson'], default: 'json' }),
    out: Flags.string({ char: 'o', description: 'write to this file (atomically) instead of stdout; - is stdout' }),
    workers: Flags.integer({ description: 'worker threads to shard the deckies over (same bytes for any count)', default: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Plan);
    // Loaded here, not at the top: listing commands or --help never pays for the planner.
    const { planTimeline } = await import('../src/app/plan.js');
    const planned = planTimeline(flags.seed, rawInputsFromFlags(flags as PlanFlagValues), flags.format as 'json' | 'ndjson', flags.workers);
    for (const w of planned.warnings) this.note(`warning: ${w}`);
    const toFile = flags.out !== undefined && flags.out !== '-';
    const progress = new ProgressDisplay('plan', { enabled: toFile && !flags['no-progress'] });
    const share = horizonShare(planned.inputs.start, planned.inputs.end);
    const r = planned.result;
    await writeChunks(planned.chunks, flags.out, { onChunk: () => progress.tick({ done: r.events ?? 0, fraction: r.lastAt ? share(r.lastAt) : 0 }) });
    progress.finish();
    if (toFile) this.note(`wrote ${planned.result.summary?.events ?? 0} events to ${flags.out}`);
  }
}
