// The fleet file's `organisation` block (issue 13 item 1): every key optional; what it sets
// wins over what the organisation model draws from the seed. Strict like the other inputs.
import { fieldError } from '../errors.js';
import { KNOWN_COUNTRIES } from '../world/locale.js';
import { TOOLS } from '../world/names.js';
import type { ColleagueInput, OrganisationHostInput, OrganisationInput } from './types.js';
import { expectArray, expectObject, expectString, noUnknownKeys } from './validate.js';

const KEYS = ['name', 'domain', 'internalDomain', 'country', 'officeRanges', 'teams', 'projects', 'hosts', 'tools', 'colleagues'] as const;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const HOST = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(8|9|[12]\d|3[0-2])$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;
const STEALTH = /decnet|canary/i;

export const NO_ORGANISATION: OrganisationInput = { name: null, domain: null, internalDomain: null, country: null, officeRanges: null, teams: null, projects: null, hosts: null, tools: null, colleagues: null };

function text(file: string, at: string, v: unknown, opts: { pattern?: RegExp; what?: string; max?: number } = {}): string {
  const s = expectString(file, at, v, { min: 1, max: opts.max ?? 128, ...(opts.pattern ? { pattern: opts.pattern } : {}), ...(opts.what ? { what: opts.what } : {}) });
  if (STEALTH.test(s)) throw fieldError(file, at, 'text that does not reveal the honeypot (no "decnet" or "canary")', s);
  if (/[\u0000-\u001f\u2013\u2014]/.test(s)) throw fieldError(file, at, 'text without control characters or dashes', s);
  return s;
}

function list<T>(file: string, at: string, v: unknown, each: (item: unknown, at: string) => T): T[] | null {
  if (v === undefined || v === null) return null;
  const items = expectArray(file, at, v);
  if (items.length === 0) throw fieldError(file, at, 'a non-empty list (leave the key out to have it drawn)');
  return items.map((x, i) => each(x, `${at}[${i}]`));
}

export function parseOrganisation(file: string, raw: unknown): OrganisationInput {
  if (raw === undefined || raw === null) return { ...NO_ORGANISATION };
  const at = 'organisation';
  const o = expectObject(file, at, raw);
  noUnknownKeys(file, at, o, KEYS);
  const opt = (k: string, f: (v: unknown, at: string) => string) => (o[k] === undefined || o[k] === null ? null : f(o[k], `${at}.${k}`));
  const name = opt('name', (v, a) => text(file, a, v));
  const domain = opt('domain', (v, a) => text(file, a, typeof v === 'string' ? v.toLowerCase() : v, { pattern: DOMAIN, what: 'a mail domain such as "harwellfreight.co.uk"', max: 253 }));
  const internalDomain = opt('internalDomain', (v, a) => text(file, a, typeof v === 'string' ? v.toLowerCase() : v, { pattern: DOMAIN, what: 'a DNS suffix such as "corp.harwell.lan"', max: 253 }));
  const country = opt('country', (v, a) => {
    const c = text(file, a, typeof v === 'string' ? v.toUpperCase() : v, { pattern: /^[A-Z]{2}$/, what: 'an ISO 3166-1 alpha-2 country code' });
    if (!KNOWN_COUNTRIES.includes(c)) throw fieldError(file, a, `a country code this engine knows (${KNOWN_COUNTRIES.join(' ')})`, v);
    return c;
  });
  const officeRanges = list(file, `${at}.officeRanges`, o.officeRanges, (v, a) => text(file, a, v, { pattern: CIDR, what: 'an IPv4 range in CIDR notation such as "10.40.0.0/16"' }));
  const teams = list(file, `${at}.teams`, o.teams, (v, a) => text(file, a, v, { max: 64 }));
  const projects = list(file, `${at}.projects`, o.projects, (v, a) => text(file, a, v, { pattern: PROJECT, what: 'a project name of letters, digits, space, ".", "_" or "-"' }));
  const hosts = list(file, `${at}.hosts`, o.hosts, (v, a): OrganisationHostInput => {
    if (typeof v === 'string') return { name: text(file, a, v.toLowerCase(), { pattern: HOST, what: 'a host name' }), role: null, address: null };
    const h = expectObject(file, a, v);
    noUnknownKeys(file, a, h, ['name', 'role', 'address']);
    return {
      name: text(file, `${a}.name`, typeof h.name === 'string' ? h.name.toLowerCase() : h.name, { pattern: HOST, what: 'a host name' }),
      role: h.role === undefined || h.role === null ? null : text(file, `${a}.role`, h.role, { pattern: /^[a-z][a-z0-9-]{0,31}$/, what: 'a role such as "git" or "wiki"' }),
      address: h.address === undefined || h.address === null ? null : text(file, `${a}.address`, h.address, { pattern: IPV4, what: 'an IPv4 address' }),
    };
  });
  let tools: Record<string, string> | null = null;
  if (o.tools !== undefined && o.tools !== null) {
    const t = expectObject(file, `${at}.tools`, o.tools);
    const kinds = Object.keys(TOOLS);
    noUnknownKeys(file, `${at}.tools`, t, kinds);
    tools = {};
    for (const k of kinds) if (t[k] !== undefined) tools[k] = text(file, `${at}.tools.${k}`, t[k], { max: 64 });
  }
  const colleagues = list(file, `${at}.colleagues`, o.colleagues, (v, a): ColleagueInput => {
    if (typeof v === 'string') return { name: text(file, a, v), email: null, role: null, team: null };
    const c = expectObject(file, a, v);
    noUnknownKeys(file, a, c, ['name', 'email', 'role', 'team']);
    const s = (k: string, p?: RegExp, what?: string) => (c[k] === undefined || c[k] === null ? null : text(file, `${a}.${k}`, c[k], { ...(p ? { pattern: p } : {}), ...(what ? { what } : {}) }));
    return { name: text(file, `${a}.name`, c.name), email: s('email', /^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/i, 'a mail address'), role: s('role'), team: s('team') };
  });
  return { name, domain, internalDomain, country, officeRanges, teams, projects, hosts, tools, colleagues };
}
