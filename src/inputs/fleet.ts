// Fleet validation (SPEC 2.1). Names reach `docker` later, so they are checked strictly here.
import { InputError, fieldError } from '../errors.js';
import { nameUuid } from '../util/hash.js';
import type { Decky } from './types.js';
import { expectArray, expectObject, expectString, optionalString } from './validate.js';

export const DECKY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const UUID_SAFE = /^[^.*>\s]{1,128}$/;
// A Docker context name, or a DOCKER_HOST URL (unix://, tcp://, ssh://, npipe://).
const DOCKER_ENDPOINT = /^(?:[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}|(?:unix|tcp|ssh|npipe):\/\/[A-Za-z0-9_.@:/\[\]%+-]{1,250})$/;
const SERVICE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}$/;

export interface RawFleet {
  deckies: unknown;
  personas?: unknown;
}

/** A decky before persona resolution: `personas: null` means the whole pool. */
export type ParsedDecky = Omit<Decky, 'personas'> & { personas: string[] | null };

export function parseDeckies(file: string, raw: unknown): ParsedDecky[] {
  const items = expectArray(file, 'deckies', raw);
  if (items.length === 0) throw fieldError(file, 'deckies', 'at least one decky');
  const out: ParsedDecky[] = [];
  const names = new Set<string>();
  const uuids = new Set<string>();
  items.forEach((item, i) => {
    const at = `deckies[${i}]`;
    const given = expectObject(file, at, item);
    // null stands for "not set" (the resolved form in a timeline header writes it that way).
    const o = Object.fromEntries(Object.entries(given).filter(([k, v]) => !(v === null && ['uuid', 'hostname', 'address', 'container', 'docker', 'personas', 'users'].includes(k))));
    const name = expectString(file, `${at}.name`, o.name, { pattern: DECKY_NAME, what: 'a name matching ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' });
    if (names.has(name)) throw new InputError(`${file}: ${at}.name: duplicate decky name ${JSON.stringify(name)}`);
    names.add(name);
    const uuid = optionalString(file, `${at}.uuid`, o.uuid, { pattern: UUID_SAFE, what: 'a uuid without ".", "*", ">" or whitespace' }) ?? nameUuid('decky', name);
    if (uuids.has(uuid)) throw new InputError(`${file}: ${at}.uuid: duplicate decky uuid ${JSON.stringify(uuid)}`);
    uuids.add(uuid);
    const hostname = optionalString(file, `${at}.hostname`, o.hostname, { pattern: /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/, what: 'a host name' }) ?? name;
    const services = o.services === undefined ? ['ssh'] : expectArray(file, `${at}.services`, o.services).map((s, j) => expectString(file, `${at}.services[${j}]`, s, { pattern: SERVICE, what: 'a service name such as "ssh"' }));
    const address = optionalString(file, `${at}.address`, o.address, { pattern: ADDRESS, what: 'a host name or IP address' }) ?? null;
    const container = optionalString(file, `${at}.container`, o.container, { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, what: 'a container name matching ^[A-Za-z0-9][A-Za-z0-9_.-]*$' }) ?? `${name}-ssh`;
    const docker = optionalString(file, `${at}.docker`, o.docker, { pattern: DOCKER_ENDPOINT, what: 'a Docker context name or a unix://, tcp:// or ssh:// host URL' }) ?? null;
    const personas = o.personas === undefined ? null : expectArray(file, `${at}.personas`, o.personas).map((p, j) => expectString(file, `${at}.personas[${j}]`, p, { min: 1, max: 128 }));
    for (const k of Object.keys(o)) {
      if (!['name', 'uuid', 'hostname', 'services', 'address', 'container', 'docker', 'personas', 'users'].includes(k)) {
        throw fieldError(file, `${at}.${k}`, 'a known key (name, uuid, hostname, services, address, container, docker, personas, users)');
      }
    }
    const d: ParsedDecky = { name, uuid, hostname, services: [...new Set(services)], address, container, docker, personas };
    if (o.users !== undefined) d.users = parseUsers(file, `${at}.users`, o.users);
    out.push(d);
  });
  return out;
}

const LOGIN = /^[a-z_][a-z0-9_.-]{0,31}$/;

/** `{"login": {"uid": 1000, "gid": 1000}}`, keys sorted (the header stays canonical). */
function parseUsers(file: string, at: string, raw: unknown): Record<string, { uid: number; gid: number }> {
  const o = expectObject(file, at, raw);
  const out: Record<string, { uid: number; gid: number }> = {};
  for (const login of Object.keys(o).sort()) {
    if (!LOGIN.test(login)) throw fieldError(file, `${at}.${login}`, 'a login such as "johnsmith"');
    const u = expectObject(file, `${at}.${login}`, o[login]);
    for (const k of Object.keys(u)) if (k !== 'uid' && k !== 'gid') throw fieldError(file, `${at}.${login}.${k}`, 'a known key (uid, gid)');
    const id = (k: 'uid' | 'gid'): number => {
      const v = u[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2147483647) throw fieldError(file, `${at}.${login}.${k}`, 'a whole number from 0 to 2147483647', v);
      return v;
    };
    out[login] = { uid: id('uid'), gid: id('gid') };
  }
  return out;
}
