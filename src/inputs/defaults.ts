// Embedded defaults: the fleet and personas used when no --fleet is given, and the engine
// configuration of SPEC 3. The personas carry no mail address: the organisation model gives
// them one on the seeded company's domain. `plan --seed 42 --days 7` on a fresh checkout runs on these.
import type { EngineConfig } from './types.js';

/** The default --start: a fixed, documented instant (a Monday), never "now". */
export const DEFAULT_START = '2026-01-05T00:00:00Z';
export const DEFAULT_DAYS = 7;
export const DEFAULT_INTERVAL = 900;

export const DEFAULT_CONFIG: EngineConfig = {
  weights: {
    user: { note: 30, todo: 20, draft: 15, script: 10 },
    system: { log_cron: 12, log_daemon: 8, cache_tmp: 5 },
    canary: {
      canary_aws_creds: 1,
      canary_env_file: 1,
      canary_git_config: 1,
      canary_ssh_key: 1,
      canary_honeydoc: 1,
      canary_honeydoc_docx: 1,
      canary_honeydoc_pdf: 1,
      canary_mysql_dump: 1,
      canary_fingerprint_html: 1,
      canary_fingerprint_svg: 1,
    },
  },
  canaryProbability: 0.03,
  canaryCapPerDecky: 3,
  offHoursQuiet: 0.75,
  // No default callbacks: a lure that calls home only does so to the operator's own listener.
  // Until canary.httpBase / canary.dnsZone are set, the lures needing them are left out.
  canary: { httpBase: null, dnsZone: null, awsKeys: [] },
  allowRootPersona: false,
};

/** Raw (unresolved) default fleet, validated like a user's file. */
export const DEFAULT_FLEET_RAW = {
  deckies: [
    { name: 'web-01', hostname: 'web-01', services: ['ssh', 'http'], address: '10.20.0.11', personas: ['John Smith', 'Priya Raman'] },
    { name: 'db-01', hostname: 'db-01', services: ['ssh', 'mysql'], address: '10.20.0.12', personas: ['Marta Kowalski', 'alice'] },
    { name: 'build-01', hostname: 'build-01', services: ['ssh'], address: '10.20.0.13' },
  ],
  personas: [
    { name: 'John Smith', role: 'sysadmin', active_hours: '08:30-17:30', timezone: 'Europe/London' },
    { name: 'Priya Raman', role: 'developer', active_hours: '10:00-19:00', timezone: 'Asia/Kolkata' },
    { name: 'Marta Kowalski', role: 'dba', active_hours: '07:00-15:00', timezone: 'Europe/Warsaw' },
    { name: 'alice', role: 'developer', active_hours: '22:00-04:00', timezone: 'America/New_York', workdays: ['sun', 'mon', 'tue', 'wed', 'thu'] },
    { name: 'Dev Ops', role: 'ops', active_hours: '09:00-18:00', timezone: 'UTC' },
  ],
};
