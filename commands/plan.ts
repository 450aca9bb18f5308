import { Flags } from '@oclif/core';
import { planTimeline } from '../src/app/plan.js';
import { BaseCommand } from '../src/cli/base.js';
import { writeChunks } from '../src/cli/files.js';
import { type PlanFlagValues, planFlags, rawInputsFromFlags } from '../src/cli/flags.js';

export default class Plan extends BaseCommand {
  static override summary = 'Dry-run the simulation and print the timeline';
  static override description = 'Advances a virtual clock through each persona\'s working hours on every decky of the fleet and writes the complete, reproducible timeline of actions. The same seed and inputs always give the same bytes.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --seed 42 --days 7',
    '<%= config.bin %> <%= command.id %> --seed 42 --days 30 --format ndjson --out month.ndjson',
    '<%= config.bin %> <%= command.id %> --fleet big-fleet.json --days 365 --format ndjson --workers 2 > year.ndjson',
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --config engine.json --start 2026-03-02T00:00:00Z --until 2026-03-09T00:00:00Z',
    '<%= config.bin %> <%= command.id %> --seed 42 --no-quiet | jq \'.events[] | select(.kind == "file") | .path\'',
  ];
  static override flags = {
    ...planFlags,
    format: Flags.string({ description: 'output format', options: ['json', 'ndjson'], default: 'json' }),
    out: Flags.string({ char: 'o', description: 'write to this file (atomically) instead of stdout' }),
    workers: Flags.integer({ description: 'worker threads to shard the deckies over (same bytes for any count)', default: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Plan);
    const planned = planTimeline(flags.seed, rawInputsFromFlags(flags as PlanFlagValues), flags.format as 'json' | 'ndjson', flags.workers);
    for (const w of planned.warnings) this.note(`warning: ${w}`);
    await writeChunks(planned.chunks, flags.out);
    if (flags.out) this.note(`wrote ${planned.result.summary?.events ?? 0} events to ${flags.out}`);
  }
}
