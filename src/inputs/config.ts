// Engine configuration (SPEC 2.3). Strict: unknown keys, misplaced classes, non-integer or
// negative weights, all-zero groups and out-of-range probabilities are errors. Everything is
// checked before anything is applied; a group given in the file replaces that group whole.
import { fieldError } from '../errors.js';
import { DEFAULT_CONFIG } from './defaults.js';
import type { EngineConfig } from './types.js';
import { CANARY_CLASSES, SYSTEM_CLASSES, USER_CLASSES } from './types.js';
import { expectNumber, expectObject, isObject, noUnknownKeys } from './validate.js';

const GROUPS = { user: USER_CLASSES, system: SYSTEM_CLASSES, canary: CANARY_CLASSES } as const;
type Group = keyof typeof GROUPS;

export interface ParsedConfig {
  config: EngineConfig;
  interval: number | undefined;
}

export function parseConfig(file: string, raw: unknown): ParsedConfig {
  const o = expectObject(file, '(top level)', raw);
  noUnknownKeys(file, '', o, ['interval', 'weights', 'canaryProbability', 'canaryCapPerDecky', 'offHoursQuiet', 'canary', 'allowRootPersona']);
  const config: EngineConfig = structuredClone(DEFAULT_CONFIG);
  const interval = o.interval === undefined ? undefined : expectInterval(file, 'interval', o.interval);
  if (o.weights !== undefined) {
    const w = expectObject(file, 'weights', o.weights);
    noUnknownKeys(file, 'weights', w, Object.keys(GROUPS));
    for (const group of Object.keys(GROUPS) as Group[]) {
      if (w[group] === undefined) continue;
      (config.weights as Record<Group, Record<string, number>>)[group] = parseGroup(file, group, w[group]);
    }
  }
  if (o.canaryProbability !== undefined) config.canaryProbability = probability(file, 'canaryProbability', o.canaryProbability);
  if (o.offHoursQuiet !== undefined) config.offHoursQuiet = probability(file, 'offHoursQuiet', o.offHoursQuiet);
  if (o.canaryCapPerDecky !== undefined) {
    config.canaryCapPerDecky = expectNumber(file, 'canaryCapPerDecky', o.canaryCapPerDecky, { integer: true, min: 0, max: 1000, what: 'an integer from 0 to 1000' });
  }
  if (o.allowRootPersona !== undefined) {
    if (typeof o.allowRootPersona !== 'boolean') throw fieldError(file, 'allowRootPersona', 'true or false', o.allowRootPersona);
    config.allowRootPersona = o.allowRootPersona;
  }
  if (o.canary !== undefined) {
    const c = expectObject(file, 'canary', o.canary);
    noUnknownKeys(file, 'canary', c, ['httpBase', 'dnsZone', 'awsKeys']);
    if (c.httpBase !== undefined) config.canary.httpBase = c.httpBase === null ? null : httpBase(file, 'canary.httpBase', c.httpBase);
    if (c.dnsZone !== undefined) config.canary.dnsZone = dnsZone(file, 'canary.dnsZone', c.dnsZone);
    if (c.awsKeys !== undefined) config.canary.awsKeys = awsKeys(file, 'canary.awsKeys', c.awsKeys);
  }
  return { config, interval };
}

function parseGroup(file: string, group: Group, raw: unknown): Record<string, number> {
  const field = `weights.${group}`;
  const o = expectObject(file, field, raw);
  const out: Record<string, number> = {};
  for (const cls of GROUPS[group]) out[cls] = 0;
  let total = 0;
  for (const [k, v] of Object.entries(o)) {
    if (!(GROUPS[group] as readonly string[]).includes(k)) {
      const home = (Object.keys(GROUPS) as Group[]).find((g) => (GROUPS[g] as readonly string[]).includes(k));
      if (home) throw fieldError(file, `${field}.${k}`, `a ${group} class (${k} belongs in weights.${home})`);
      throw fieldError(file, `${field}.${k}`, `a ${group} class (one of ${GROUPS[group].join(', ')})`);
    }
    out[k] = expectNumber(file, `${field}.${k}`, v, { integer: true, min: 0, max: 1_000_000, what: 'a non-negative integer weight' });
    total += out[k]!;
  }
  if (total <= 0) throw fieldError(file, field, 'weights that sum to more than 0');
  return out;
}

export function expectInterval(file: string, field: string, v: unknown): number {
  return expectNumber(file, field, v, { integer: true, min: 1, max: 86_400 * 7, what: 'a whole number of seconds from 1 to 604800' });
}

function probability(file: string, field: string, v: unknown): number {
  return expectNumber(file, field, v, { min: 0, max: 1, what: 'a probability in [0, 1]' });
}

const HOST_LABELS = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const STEALTH = /decnet|canary/i;

export function httpBase(file: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw fieldError(file, field, 'an http(s) URL', v);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw fieldError(file, field, 'an http(s) URL', v);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw fieldError(file, field, 'an http(s) URL without query, fragment or credentials', v);
  }
  if (STEALTH.test(v)) throw fieldError(file, field, 'a URL that does not reveal the honeypot (no "decnet" or "canary")', v);
  return v.replace(/\/+$/, '');
}

export function dnsZone(file: string, field: string, v: unknown): string | null {
  if (v === null || v === '') return null;
  if (typeof v !== 'string' || !HOST_LABELS.test(v.toLowerCase())) throw fieldError(file, field, 'a DNS zone such as "t.example.net" (or null to disable DNS lures)', v);
  if (STEALTH.test(v)) throw fieldError(file, field, 'a zone that does not reveal the honeypot (no "decnet" or "canary")', v);
  return v.toLowerCase();
}

/** Key pairs issued by an AWS-side alerting service: `AKIA`/`ASIA` ids, 40-character secrets. */
function awsKeys(file: string, field: string, v: unknown): Array<{ accessKeyId: string; secretAccessKey: string }> {
  if (!Array.isArray(v)) throw fieldError(file, field, 'a list of {"accessKeyId", "secretAccessKey"} objects', v);
  const seen = new Set<string>();
  return v.map((k, i) => {
    const f = `${field}[${i}]`;
    const o = expectObject(file, f, k);
    noUnknownKeys(file, f, o, ['accessKeyId', 'secretAccessKey']);
    if (typeof o.accessKeyId !== 'string' || !/^A[KS]IA[A-Z0-9]{16}$/.test(o.accessKeyId)) throw fieldError(file, `${f}.accessKeyId`, 'an AWS access key id (AKIA or ASIA and 16 upper-case letters or digits)', o.accessKeyId);
    if (typeof o.secretAccessKey !== 'string' || !/^[A-Za-z0-9/+=]{40}$/.test(o.secretAccessKey)) throw fieldError(file, `${f}.secretAccessKey`, 'a 40-character AWS secret access key', o.secretAccessKey);
    if (seen.has(o.accessKeyId)) throw fieldError(file, `${f}.accessKeyId`, 'a key id not listed before', o.accessKeyId);
    seen.add(o.accessKeyId);
    return { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey };
  });
}

export { isObject };
