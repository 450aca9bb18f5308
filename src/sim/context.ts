// Plan-wide facts derived once from the resolved inputs and shared by every decky simulation.
import { type CallbackStyle, callbackStyle } from '../canary/callback.js';
import { CANARY_SPECS } from '../canary/registry.js';
import type { CanaryClass, Decky, PlanInputs, Persona, SystemClass, UserClass } from '../inputs/types.js';
import { HomesFleet } from '../machine/homes.js';
import { PathMemo } from '../realism/paths.js';
import { LocalDates, PersonaCalendar } from './schedule.js';
import { CANARY_CLASSES, SYSTEM_CLASSES, USER_CLASSES } from '../inputs/types.js';
import { calendarCountry } from '../world/calendar.js';
import { type Organisation, buildOrganisation } from '../world/organisation.js';
import { GrammarCache } from '../text/writer.js';

export interface SimContext {
  seed: string;
  inputs: PlanInputs;
  startMs: number;
  endMs: number;
  intervalMs: number;
  personas: ReadonlyMap<string, Persona>;
  /** Working-hour windows per persona name, shared by all deckies. */
  calendars: ReadonlyMap<string, PersonaCalendar>;
  localDates: LocalDates;
  /** Path strings shared by every decky (see PathMemo). */
  paths: PathMemo;
  /** SSH deckies with an address, sorted by uuid: traffic destinations. */
  sshPeers: readonly Decky[];
  /** Per destination (same order as sshPeers): its topic and `dst` ref, shared by every source. */
  sshRoutes: ReadonlyArray<{ topic: string; dst: { uuid: string; name: string; address: string } }>;
  /** Per destination (same order): the logins with an account there (its personas'). */
  sshAccounts: ReadonlyArray<ReadonlySet<string>>;
  userWeights: ReadonlyArray<readonly [UserClass, number]>;
  systemWeights: ReadonlyArray<readonly [SystemClass, number]>;
  canaryWeights: ReadonlyArray<readonly [CanaryClass, number]>;
  /** The organisation the deployment belongs to (company, domain, colleagues, hosts, ...). */
  org: Organisation;
  /** Compiled grammar dialects of this deployment, per (role, services). */
  grammars: GrammarCache;
  /** Each persona's mail address: its own, else the one the organisation gives it. */
  emails: ReadonlyMap<string, string>;
  /** Plan-level notes (for example lures excluded by missing settings). */
  diagnostics: string[];
  /** This deployment's callback URL shapes (from the seed). */
  callbackStyle: CallbackStyle;
  /** Each decky's position in the fleet: the AWS key pairs are dealt round the fleet in order. */
  fleetIndex: ReadonlyMap<string, number>;
  /** The SSH peers and host keys every decky's homes share. */
  homes: HomesFleet;
}

export function isSsh(d: Decky): boolean {
  return d.services.includes('ssh');
}

/** Whether the settings let a lure class call home (the AWS lure can always be planted). */
export function canaryUsable(cls: CanaryClass, canary: PlanInputs['config']['canary']): boolean {
  const needs = CANARY_SPECS[cls].needs;
  return needs === null || (needs === 'http' ? canary.httpBase !== null : canary.dnsZone !== null);
}

/** Canary weights with the lures the settings cannot support set to 0, and why (one line per cause). */
export function effectiveCanaryWeights(config: PlanInputs['config']): { weights: Array<readonly [CanaryClass, number]>; diagnostics: string[] } {
  const missing: Record<'http' | 'dns', CanaryClass[]> = { http: [], dns: [] };
  const weights = CANARY_CLASSES.map((c) => {
    const w = config.weights.canary[c];
    if (w > 0 && !canaryUsable(c, config.canary)) {
      missing[CANARY_SPECS[c].needs as 'http' | 'dns'].push(c);
      return [c, 0] as const;
    }
    return [c, w] as const;
  });
  const diagnostics: string[] = [];
  if (missing.http.length > 0) diagnostics.push(`no canary.httpBase is set: ${missing.http.join(', ')} left out (they call home over HTTP)`);
  if (missing.dns.length > 0) diagnostics.push(`no canary.dnsZone is set: ${missing.dns.join(', ')} left out (they call home through DNS)`);
  if (config.weights.canary.canary_aws_creds > 0 && config.canary.awsKeys.length === 0) {
    diagnostics.push('no canary.awsKeys are set: canary_aws_creds stays passive (its made-up keys cannot raise an alert)');
  }
  return { weights, diagnostics };
}

/** A note for the personas on deckies whose calendar has no public holidays (no country known). */
export function calendarDiagnostics(inputs: PlanInputs): string[] {
  const used = new Set(inputs.fleet.flatMap((d) => d.personas));
  const none = inputs.personas.filter((p) => used.has(p.name) && calendarCountry(p) === null).map((p) => `${p.name} (${p.timezone})`);
  return none.length > 0 ? [`no country for ${none.join(', ')}: no public holidays in their calendars (set "country" on the persona)`] : [];
}

export function buildContext(seed: string, inputs: PlanInputs): SimContext {
  const { config } = inputs;
  const { weights: canaryWeights, diagnostics } = effectiveCanaryWeights(config);
  const sshPeers = inputs.fleet.filter((d) => isSsh(d) && d.address !== null).sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const org = buildOrganisation(seed, inputs);
  const loginOf = new Map(inputs.personas.map((p) => [p.name, p.login]));
  const sshAccounts = sshPeers.map((d) => new Set(d.personas.map((n) => loginOf.get(n)!)));
  diagnostics.push(...calendarDiagnostics(inputs));
  return {
    seed,
    inputs,
    org,
    grammars: new GrammarCache(org),
    emails: new Map(org.colleagues.filter((c) => c.persona).map((c) => [c.name, c.email])),
    startMs: Date.parse(inputs.start),
    endMs: Date.parse(inputs.end),
    intervalMs: inputs.interval * 1000,
    personas: new Map(inputs.personas.map((p) => [p.name, p])),
    calendars: new Map(inputs.personas.map((p) => [p.name, new PersonaCalendar(p, { seed })])),
    localDates: new LocalDates(),
    paths: new PathMemo(org.projects.map((p) => p.name)),
    sshPeers,
    sshRoutes: sshPeers.map((d) => ({ topic: `orchestrator.traffic.${d.uuid}`, dst: { uuid: d.uuid, name: d.name, address: d.address! } })),
    sshAccounts,
    userWeights: USER_CLASSES.map((c) => [c, config.weights.user[c]] as const),
    systemWeights: SYSTEM_CLASSES.map((c) => [c, config.weights.system[c]] as const),
    canaryWeights,
    diagnostics,
    callbackStyle: callbackStyle(seed),
    fleetIndex: new Map(inputs.fleet.map((d, i) => [d.uuid, i])),
    homes: new HomesFleet(seed, sshPeers.map((d, i) => ({ uuid: d.uuid, host: d.hostname.split('.')[0]!, accounts: sshAccounts[i]! }))),
  };
}
