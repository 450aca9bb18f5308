import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base.js';
import { startListener } from '../src/listen/index.js';

export default class Listen extends BaseCommand {
  static override summary = 'Receive the lures\' call-homes over HTTP and DNS and attribute them';
  static override description =
    'Runs an HTTP listener and an authoritative DNS server (UDP and TCP) for the lures\' zone. Every request that carries a known token ' +
    'is a trigger: one NDJSON line on stdout (token, decky, path, generator, protocol, source, HTTP method/path/user agent or DNS name/type, ' +
    'fingerprint data), a canary_triggers row in the state database with --state, and a JSON POST to each --webhook. Unknown requests get ' +
    'a 404 or NXDOMAIN. Stops cleanly on SIGTERM.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --http 0.0.0.0:80 --dns 0.0.0.0:53 --sinkhole 203.0.113.10 --state /var/lib/decnet-sim/state.db',
    '<%= config.bin %> <%= command.id %> --http 127.0.0.1:8080 --timeline week.json --webhook https://alerts.internal/hook',
  ];
  static override flags = {
    http: Flags.string({ description: 'HTTP listen address, HOST:PORT' }),
    dns: Flags.string({ description: 'DNS listen address (UDP and TCP), HOST:PORT' }),
    timeline: Flags.string({ description: 'timeline file whose lures to listen for (repeatable)', multiple: true, default: [] }),
    state: Flags.string({ description: 'state database: tokens that `run` planted, reloaded as it changes; triggers are recorded in it' }),
    webhook: Flags.string({ description: 'POST each trigger as JSON to this URL (repeatable)', multiple: true, default: [] }),
    zone: Flags.string({ description: 'DNS zone to serve (default: the canary.dnsZone of the token sources)' }),
    sinkhole: Flags.string({ description: 'IPv4 address the A records of known names point to (default: the --http host when it is a plain address)' }),
    rate: Flags.integer({ description: 'requests per second allowed from one source address (0: no limit)', default: 50 }),
    burst: Flags.integer({ description: 'burst size of the per-source limit', default: 100 }),
    'allow-test-callbacks': Flags.boolean({ description: 'accept callbacks on reserved names (example.*, .test, loopback, private ranges): for tests', default: false }),
    json: Flags.boolean({ description: 'start-up and stop notices on stderr as JSON (triggers are always NDJSON on stdout)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Listen);
    const h = await startListener({
      http: flags.http,
      dns: flags.dns,
      timelines: flags.timeline,
      state: flags.state,
      webhooks: flags.webhook,
      zone: flags.zone,
      sinkhole: flags.sinkhole,
      rate: flags.rate,
      burst: flags.burst,
      allowTestCallbacks: flags['allow-test-callbacks'],
      json: flags.json,
    });
    await h.stopped;
  }
}
