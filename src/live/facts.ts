// Host facts of a live run: a decky's hostname and users map, as its container has them. The
// logs the engine writes name the hostname, and owners come from the users map, so a fleet that
// leaves them out gets them from the container before planning (one call per decky, the same
// generic argv as every other call, the script reading /proc/sys/kernel/hostname and /etc/passwd
// with shell builtins). What was used is recorded in the state, so a resumed run plans the same
// timeline whatever the container says later. A recorded timeline fixes its own host facts:
// `run --timeline` reads the containers only to report those that disagree.
import type { Decky } from '../inputs/types.js';
import type { DockerDriver, DockerTarget } from './docker.js';

/** Logins that count as the decky's users: human accounts as adduser and useradd number them. */
export const FIRST_HUMAN_UID = 1000;
const LAST_HUMAN_UID = 59_999;
const LOGIN = /^[a-z_][a-z0-9_.-]{0,31}$/;
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/;

export type UsersMap = Record<string, { uid: number; gid: number }>;

/** What one container said, as recorded in the state. */
export interface ContainerFacts {
  /** null: the container's name is not a usable host name (or it could not be read). */
  hostname: string | null;
  /** Every login of its /etc/passwd with its ids, sorted; null when unreadable. */
  passwd: UsersMap | null;
  /** Why the container could not be read; absent when it was. */
  error?: string;
}

/** A human login's full name as its /etc/passwd comment gives it (the part before the first comma). */
export function gecosName(gecos: string | undefined): string | null {
  const name = (gecos ?? '').split(',')[0]!.trim().replace(/\s+/g, ' ');
  return name.length > 0 && name.length <= 128 ? name : null;
}

/** A host fact of the inputs the container contradicts. */
export interface FactDisagreement {
  decky: string;
  container: string;
  /** `hostname`, or `users.<login>`. */
  fact: string;
  /** What the timeline (or the fleet) says. */
  expected: string;
  /** What the container has (`missing` for a login it lacks). */
  found: string;
}

/** Read the host facts of `targets` (at most `lanes` calls at once), by decky name. */
export async function readFacts(driver: DockerDriver, targets: ReadonlyArray<DockerTarget & { name: string }>, lanes = 4, names?: Map<string, Map<string, string>>): Promise<Map<string, ContainerFacts>> {
  const out = new Map<string, ContainerFacts>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < targets.length) {
      const t = targets[next++]!;
      const r = await driver.facts({ container: t.container, docker: t.docker });
      if (r.status === 'error') {
        out.set(t.name, { hostname: null, passwd: null, error: r.message });
        continue;
      }
      const passwd: UsersMap = {};
      for (const u of [...r.users].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0))) {
        if (LOGIN.test(u.login) && u.uid <= 2_147_483_647 && u.gid <= 2_147_483_647 && !(u.login in passwd)) {
          passwd[u.login] = { uid: u.uid, gid: u.gid };
          // Full names are not host facts a run records: only `fleet discover` asks for them.
          const full = names ? gecosName(u.gecos) : null;
          if (names && full !== null) {
            let m = names.get(t.name);
            if (!m) names.set(t.name, (m = new Map()));
            m.set(u.login, full);
          }
        }
      }
      out.set(t.name, { hostname: HOSTNAME.test(r.hostname) ? r.hostname : null, passwd });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, targets.length)) }, lane));
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The users map a container gives its decky: the human logins (uid 1000 to 59999) of its /etc/passwd. */
export function humanUsers(passwd: UsersMap): UsersMap {
  const out: UsersMap = {};
  for (const [login, ids] of Object.entries(passwd)) if (ids.uid >= FIRST_HUMAN_UID && ids.uid <= LAST_HUMAN_UID) out[login] = ids;
  return out;
}

/** Which host facts each decky of a raw fleet document leaves out (by decky name). */
export function missingFacts(fleetData: unknown): Map<string, { hostname: boolean; users: boolean }> {
  const out = new Map<string, { hostname: boolean; users: boolean }>();
  const deckies = (fleetData as { deckies?: unknown } | null)?.deckies;
  if (!Array.isArray(deckies)) return out;
  for (const d of deckies) {
    if (d === null || typeof d !== 'object' || typeof (d as { name?: unknown }).name !== 'string') continue;
    const o = d as Record<string, unknown>;
    const hostname = o.hostname === undefined || o.hostname === null;
    const users = o.users === undefined || o.users === null;
    if (hostname || users) out.set(o.name as string, { hostname, users });
  }
  return out;
}

/**
 * The raw fleet document with the missing facts filled in from the containers (a copy; facts
 * the container could not give stay missing, so the fleet's defaults apply).
 */
export function withFacts(fleetData: unknown, facts: ReadonlyMap<string, ContainerFacts>): unknown {
  const missing = missingFacts(fleetData);
  const doc = fleetData as { deckies: unknown[] };
  return {
    ...doc,
    deckies: doc.deckies.map((d) => {
      const o = d as Record<string, unknown>;
      const m = typeof o?.name === 'string' ? missing.get(o.name) : undefined;
      const f = m ? facts.get(o.name as string) : undefined;
      if (!m || !f) return d;
      const add: Record<string, unknown> = {};
      if (m.hostname && f.hostname !== null) add.hostname = f.hostname;
      if (m.users && f.passwd !== null) add.users = humanUsers(f.passwd);
      return { ...o, ...add };
    }),
  };
}

/**
 * Where a container contradicts the host facts the inputs give for its decky: the hostname, and
 * each login of the decky's users map (missing, or other ids). `given` limits the check to the
 * facts the inputs stated (a fleet's defaults are not claims); a timeline states them all.
 */
export function disagreements(decky: Decky, f: ContainerFacts, given: { hostname: boolean; users: boolean } = { hostname: true, users: true }): FactDisagreement[] {
  if (f.error !== undefined) return [];
  const out: FactDisagreement[] = [];
  const at = { decky: decky.name, container: decky.container };
  if (given.hostname && f.hostname !== decky.hostname) out.push({ ...at, fact: 'hostname', expected: decky.hostname, found: f.hostname ?? '(not a host name)' });
  if (given.users && decky.users && f.passwd) {
    for (const login of Object.keys(decky.users).sort()) {
      const want = decky.users[login]!;
      const have = f.passwd[login];
      if (!have || have.uid !== want.uid || have.gid !== want.gid) {
        out.push({ ...at, fact: `users.${login}`, expected: `${want.uid}:${want.gid}`, found: have ? `${have.uid}:${have.gid}` : 'missing' });
      }
    }
  }
  return out;
}

/** One line for an operator. */
export function disagreementLine(d: FactDisagreement, what: 'timeline' | 'fleet'): string {
  if (d.fact === 'hostname') return `warning: decky ${d.decky}: container ${d.container} has hostname ${d.found}, the ${what} says ${d.expected}: logs planted there name a host the container is not`;
  const login = d.fact.slice('users.'.length);
  return d.found === 'missing'
    ? `warning: decky ${d.decky}: container ${d.container} has no login ${login} (the ${what} gives it uid:gid ${d.expected})`
    : `warning: decky ${d.decky}: container ${d.container} has ${login} as uid:gid ${d.found}, the ${what} says ${d.expected}`;
}
