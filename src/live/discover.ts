// `fleet discover`: a fleet file from running containers (docker ps + docker inspect).
import { InputError, RuntimeFailure } from '../errors.js';
import { parseDeckies } from '../inputs/fleet.js';
import { DockerDriver, type ExecResult, type Runner, dockerArgv, execaRunner, failureMessage } from './docker.js';
import { type UsersMap, humanUsers, readFacts } from './facts.js';
import { UnsafeValue, endpointArgs } from './validate.js';

export interface DiscoverOptions {
  /** Regular expression the container name must match. */
  namePattern?: string;
  /** `key` or `key=value` labels the container must carry (all of them). */
  labels?: string[];
  /** Context name or host URL of the engine to ask; recorded in each decky. */
  docker?: string | null;
  /** Include stopped containers. */
  all?: boolean;
  /**
   * Read each running container's host facts (its hostname and /etc/passwd) and write them: the
   * decky's `hostname` and `users`, and a persona per human login (default true).
   */
  facts?: boolean;
  timeoutMs?: number;
  runner?: Runner;
}

export interface DiscoveredDecky {
  name: string;
  hostname?: string;
  services: string[];
  address?: string;
  container: string;
  docker?: string;
  personas?: string[];
  users?: UsersMap;
}

/** A persona made for a human login found in a container (the operator adds role, time zone, hours). */
export interface DiscoveredPersona {
  name: string;
  login: string;
}

export interface DiscoverResult {
  fleet: { deckies: DiscoveredDecky[]; personas?: DiscoveredPersona[] };
  warnings: string[];
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,127}(=[^\s]{0,256})?$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/;
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}$/;

/** A decky name from a container name: `<name>-ssh` gives `<name>` (the default container). */
export function deckyNameOf(container: string): string {
  const base = container.endsWith('-ssh') && container.length > 4 ? container.slice(0, -4) : container;
  const clean = base.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (clean || 'decky').slice(0, 63);
}

interface Inspect {
  Name?: string;
  Config?: { Hostname?: string };
  State?: { Running?: boolean };
  NetworkSettings?: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> };
}

function addressOf(i: Inspect): string | undefined {
  const nets = i.NetworkSettings?.Networks ?? {};
  for (const k of Object.keys(nets).sort()) {
    const ip = nets[k]?.IPAddress;
    if (ip && ADDRESS.test(ip)) return ip;
  }
  const ip = i.NetworkSettings?.IPAddress;
  return ip && ADDRESS.test(ip) ? ip : undefined;
}

export async function discoverFleet(o: DiscoverOptions): Promise<DiscoverResult> {
  let re: RegExp | null = null;
  if (o.namePattern !== undefined) {
    try {
      re = new RegExp(o.namePattern);
    } catch (e) {
      throw new InputError(`--name-pattern: not a valid regular expression (${(e as Error).message})`);
    }
  }
  const labels = o.labels ?? [];
  for (const l of labels) if (!LABEL.test(l)) throw new InputError(`--label: expected key or key=value, got ${JSON.stringify(l)}`);
  if (!re && labels.length === 0) throw new InputError('give --name-pattern, --label, or both, to say which containers are deckies');
  const docker = o.docker ?? null;
  try {
    endpointArgs(docker);
  } catch (e) {
    if (e instanceof UnsafeValue) throw new InputError(`--docker: ${e.message}`);
    throw e;
  }
  const runner = o.runner ?? execaRunner;
  const timeout = o.timeoutMs ?? 30_000;
  const call = async (args: string[]): Promise<ExecResult> => {
    const r = await runner(dockerArgv(docker, args), undefined, timeout);
    if (r.exitCode !== 0) throw new RuntimeFailure(`docker ${args[0]}: ${failureMessage(r, timeout)}`);
    return r;
  };

  const ps = await call(['ps', '--no-trunc', '--format', '{{json .}}', ...(o.all ? ['--all'] : []), ...labels.flatMap((l) => ['--filter', `label=${l}`])]);
  const found: Array<{ id: string; name: string }> = [];
  for (const line of ps.stdout.split('\n')) {
    if (line.trim() === '') continue;
    let row: { ID?: string; Names?: string };
    try {
      row = JSON.parse(line);
    } catch {
      throw new RuntimeFailure('docker ps: unexpected output (not JSON lines)');
    }
    const name = (row.Names ?? '').split(',')[0]!.trim();
    if (!row.ID || !name) continue;
    if (re && !re.test(name)) continue;
    found.push({ id: row.ID, name });
  }
  const warnings: string[] = [];
  if (found.length === 0) return { fleet: { deckies: [] }, warnings: ['no running container matches'] };
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const ins = await call(['inspect', '--type', 'container', ...found.map((f) => f.id)]);
  let details: Inspect[];
  try {
    details = JSON.parse(ins.stdout);
  } catch {
    throw new RuntimeFailure('docker inspect: unexpected output (not JSON)');
  }
  const byName = new Map(details.map((d) => [(d.Name ?? '').replace(/^\//, ''), d]));
  const running = new Set(details.filter((d) => d.State?.Running !== false).map((d) => (d.Name ?? '').replace(/^\//, '')));
  // Host facts from inside each running container, through the driver's one generic exec.
  const names = new Map<string, Map<string, string>>();
  const facts = o.facts === false ? new Map() : await readFacts(new DockerDriver({ runner, timeoutMs: timeout }), found.filter((f) => running.has(f.name)).map((f) => ({ name: f.name, container: f.name, docker })), 4, names);
  const deckies: DiscoveredDecky[] = [];
  const taken = new Set<string>();
  // One persona per human login across the fleet, named from its passwd comment.
  const personaOf = new Map<string, DiscoveredPersona>();
  const personaNames = new Set<string>();
  const personaFor = (login: string, full: string | undefined): string => {
    const had = personaOf.get(login);
    if (had) return had.name;
    let name = full ?? login;
    if (personaNames.has(name)) {
      warnings.push(`logins ${[...personaOf.values()].find((p) => p.name === name)!.login} and ${login} both carry the name ${JSON.stringify(name)}: the persona for ${login} is named after its login`);
      name = login;
    }
    for (let i = 2; personaNames.has(name); i++) name = `${login}-${i}`;
    personaNames.add(name);
    personaOf.set(login, { name, login });
    return name;
  };
  for (const f of found) {
    const d = byName.get(f.name) ?? {};
    let name = deckyNameOf(f.name);
    for (let i = 2; taken.has(name); i++) name = `${deckyNameOf(f.name).slice(0, 59)}-${i}`;
    taken.add(name);
    const entry: DiscoveredDecky = { name, services: ['ssh'], container: f.name };
    const fact = facts.get(f.name);
    const host = fact?.hostname ?? d.Config?.Hostname;
    if (host && HOST.test(host)) entry.hostname = host;
    if (fact?.error !== undefined) warnings.push(`${f.name}: host facts unreadable (${fact.error}): no users written`);
    else if (fact?.passwd) {
      const users = humanUsers(fact.passwd);
      const logins = Object.keys(users);
      if (logins.length === 0) warnings.push(`${f.name}: no human login (uid 1000 to 59999) in /etc/passwd: the decky hosts the whole persona pool; run with --create-users to add their logins`);
      else {
        entry.users = users;
        entry.personas = logins.map((l) => personaFor(l, names.get(f.name)?.get(l)));
      }
    } else if (o.facts !== false && !running.has(f.name)) warnings.push(`${f.name}: not running: host facts not read`);
    const address = addressOf(d);
    if (address) entry.address = address;
    else warnings.push(`${f.name}: no network address (traffic to it is not planned)`);
    if (docker) entry.docker = docker;
    // Key order as in a hand-written fleet file.
    const ordered: DiscoveredDecky = { name: entry.name, ...(entry.hostname ? { hostname: entry.hostname } : {}), services: entry.services, ...(entry.address ? { address: entry.address } : {}), container: entry.container, ...(entry.docker ? { docker: entry.docker } : {}), ...(entry.personas ? { personas: entry.personas } : {}), ...(entry.users ? { users: entry.users } : {}) };
    deckies.push(ordered);
  }
  // What we print must load as a fleet.
  parseDeckies('(discovered fleet)', deckies);
  const personas = [...personaOf.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
  return { fleet: personas.length > 0 ? { deckies, personas } : { deckies }, warnings };
}
