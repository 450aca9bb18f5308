import { Args, Flags } from '@oclif/core';
import { bake } from '../src/bake/bake.js';
import { BaseCommand } from '../src/cli/base.js';
import { timelinePath } from '../src/cli/files.js';
import { jsonReport } from '../src/cli/report.js';
import { type PlanFlagValues, planFlags, progressFlag, rawInputsFromFlags } from '../src/cli/flags.js';
import { ProgressDisplay } from '../src/cli/progress.js';

export default class Bake extends BaseCommand {
  static override summary = 'Bake a timeline\'s history into one image layer per decky';
  static override description =
    'Materialises the events up to --until (default: the end) into the files they leave on each decky and writes them as a deterministic tar layer, ' +
    '<out-dir>/<decky>.tar: PAX headers with nanosecond mtimes and atimes, numeric owners from the decky\'s users map, modes, directories with the time of ' +
    'the latest change inside them. The same inputs give the same bytes. --image also builds, per decky, its base image plus the layer (through the decky\'s ' +
    'Docker endpoint). --state records the baked events, so a following `run` on the same timeline continues from the bake point and never applies them again.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> month.ndjson --until 2026-02-01T00:00:00Z --out-dir layers --state fleet.state.db',
    '<%= config.bin %> <%= command.id %> month.ndjson --out-dir layers --image \'lived/{name}:1\' --state fleet.state.db',
    '<%= config.bin %> <%= command.id %> --seed 42 --fleet fleet.json --days 30 --out-dir layers',
    '<%= config.bin %> <%= command.id %> month.ndjson --out-dir layers --no-progress --json',
  ];
  static override args = {
    file: Args.string({ description: 'timeline file (JSON document or NDJSON), - for stdin; without it, plan in memory from the flags', ignoreStdin: true }),
  };
  static override flags = {
    ...planFlags,
    ...progressFlag,
    until: Flags.string({ description: 'bake point, ISO 8601: events at or before it are baked (default: the end; with plan flags, the plan\'s end)' }),
    'out-dir': Flags.string({ description: 'folder for the layers (<decky>.tar), created when missing', required: true }),
    state: Flags.string({ description: 'record the baked events in this state database (the one the following `run` uses)' }),
    force: Flags.boolean({ description: 'accept a state file recorded for other inputs', default: false }),
    image: Flags.string({ description: 'also build an image per decky, tagged so; {name} becomes the decky name (required with several deckies)' }),
    base: Flags.string({ description: 'base image for --image (default: the image the decky\'s container runs)' }),
    json: Flags.boolean({ description: 'print the report as JSON', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Bake);
    const timeline = args.file === undefined ? undefined : (await timelinePath(args.file, 'bake')).path;
    const progress = new ProgressDisplay('bake', { enabled: !flags['no-progress'] });
    // Notes (an image built) erase the redrawn progress line first.
    const err = { write: (text: string): boolean => (progress.finish(), process.stderr.write(text)) } as unknown as NodeJS.WritableStream;
    let report;
    try {
      report = await bake({
        progress: progress.tick,
        err,
        timeline,
        seed: flags.seed,
        raw: rawInputsFromFlags({ ...(flags as PlanFlagValues), until: args.file ? undefined : flags.until }),
        until: flags.until,
        outDir: flags['out-dir'],
        state: flags.state,
        force: flags.force,
        image: flags.image,
        base: flags.base,
      });
    } finally {
      progress.finish();
    }
    if (flags.json) {
      process.stdout.write(jsonReport(report, 0));
      return;
    }
    const lines = [`baked ${report.source === 'timeline' ? 'timeline' : 'plan'} seed ${JSON.stringify(report.seed)} from ${report.start} up to ${report.until}`];
    for (const d of report.deckies) lines.push(`  ${d.decky}: ${d.file} ${d.tarBytes} bytes, ${d.files} files, ${d.entries} entries, ${d.events} events${d.image ? `, image ${d.image}` : ''}`);
    lines.push(`${report.tarBytes} bytes of layers in ${report.seconds.toFixed(2)} s${report.state ? `; baked events recorded in ${report.state}` : ''}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
}
