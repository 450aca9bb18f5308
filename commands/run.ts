import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { jsonReport } from '../src/cli/report.js';
import { type PlanFlagValues, planFlags, rawInputsFromFlags } from '../src/cli/flags.js';
import { renderSummary } from '../src/live/render.js';
import { DEFAULT_STATE, runLive } from '../src/live/run.js';

export default class Run extends BaseCommand {
  static override summary = 'Execute the simulation live on the fleet\'s Docker containers';
  static override description =
    'Plans (or reads a recorded --timeline) and applies every event with `docker exec`: atomic file writes with mode, owner and mtime, ' +
    'SSH banner probes between deckies, canary plants. Progress is kept in a state database, so re-running the same command resumes ' +
    'and every event applies exactly once. Without --start the plan starts now (minus --backfill): past events run at once, later ones ' +
    'when their time comes. Exit 0 when every event is applied, 1 when a divergence (a file changed behind our back, a redirect) was recorded, 3 when some failed or are pending, 130 on Ctrl-C (re-run the same command to resume).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --seed 42 --backfill 3d --days 7',
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --seed 42 --start 2026-01-05T00:00:00Z --days 2 --pace asap --concurrency 8',
    '<%= config.bin %> <%= command.id %> --timeline week.json --state week.state.db',
    '<%= config.bin %> <%= command.id %> --timeline month.ndjson --until 2026-01-20T00:00:00Z --state month.state.db',
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --seed 42 --days 1 --dry-run | less',
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --seed 42 --days 1 --dry-run --json | jq -c .argv',
    '<%= config.bin %> <%= command.id %> --fleet fleet.json --seed 42 --follow --backfill 2d --state /var/lib/decnet-sim/state.db',
  ];
  static override flags = {
    ...planFlags,
    seed: Flags.string({ description: 'seed of the simulation (default: the seed stored in --state, else a random one drawn now and stored)' }),
    history: Flags.string({ description: 'history kept in the state for operators (events, traffic, divergences), in virtual time', default: '7d' }),
    'create-users': Flags.boolean({ description: 'create persona logins missing in a container (useradd, busybox adduser, or the account files) instead of skipping their events', default: false }),
    start: Flags.string({ description: 'start instant, ISO 8601 (default: now minus --backfill)' }),
    timeline: Flags.string({ description: 'replay this recorded timeline (JSON or NDJSON) instead of planning' }),
    until: Flags.string({ description: 'end instant, ISO 8601 (instead of --days); with --timeline, apply the events up to it and stop (the next run resumes there)' }),
    from: Flags.string({ description: 'skip the events before this instant (recorded as skipped, never applied)' }),
    backfill: Flags.string({ description: 'start the plan this long before now, e.g. 2h, 3d (default 0); past events run at once' }),
    pace: Flags.string({ description: 'asap, realtime, or a speed factor such as 60 (default: realtime for a plan tied to now, asap for --start or --timeline)' }),
    concurrency: Flags.integer({ description: 'deckies worked on at once (each decky\'s events stay in order)', default: 4 }),
    state: Flags.string({ description: 'state database file', default: DEFAULT_STATE }),
    force: Flags.boolean({ description: 'accept a state file recorded for other inputs (applied events are kept, not repeated)', default: false }),
    'dry-run': Flags.boolean({ description: 'touch nothing: print one readable line per event (decky, action, path, mode, owner, bytes); with --json one JSON object per event with the exact docker argv and what goes on stdin', default: false }),
    follow: Flags.boolean({ description: 'keep running: plan ahead as the wall clock advances, heartbeat to the state every 30 s, stop cleanly on SIGTERM', default: false }),
    timeout: Flags.integer({ description: 'seconds allowed for one docker call', default: 30 }),
    json: Flags.boolean({ description: 'print the summary as JSON (with --dry-run: the event lines too)', default: false }),
    'no-progress': Flags.boolean({ description: 'no progress display on stderr', default: false }),
    heartbeat: Flags.integer({ description: 'seconds between heartbeat rows', default: 30, hidden: true }),
    'allow-test-callbacks': Flags.boolean({ description: 'accept callbacks on reserved names (example.*, .test, loopback, private ranges): for tests', default: false }),
    'retry-after': Flags.integer({ description: 'follow mode: seconds a failed decky rests before it is tried again', default: 60 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Run);
    const report = await runLive({
      timeline: flags.timeline,
      from: flags.from,
      seed: flags.seed,
      createUsers: flags['create-users'],
      history: flags.history,
      raw: rawInputsFromFlags(flags as PlanFlagValues),
      backfill: flags.backfill,
      pace: flags.pace,
      follow: flags.follow,
      dryRun: flags['dry-run'],
      json: flags.json,
      concurrency: flags.concurrency,
      state: flags.state,
      force: flags.force,
      timeoutSeconds: flags.timeout,
      heartbeatSeconds: flags.heartbeat,
      retrySeconds: flags['retry-after'],
      progress: !flags['no-progress'],
      allowTestCallbacks: flags['allow-test-callbacks'],
    });
    const text = flags.json ? jsonReport(report.summary, 0) : renderSummary(report.summary);
    // A dry run's stdout is the event lines; its summary goes to stderr.
    if (report.summary.mode === 'dry-run') process.stderr.write(text);
    else process.stdout.write(text);
    if (report.exitCode !== 0) this.exit(report.exitCode);
  }
}
