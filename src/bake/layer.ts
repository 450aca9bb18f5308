// What a decky's disk holds at a bake point, as the entries of an image layer (issue 15, item 3).
// Pure: timeline events in, per-decky entry lists out. Files come from the materialiser (final
// bodies, modes, owners, mtimes); this adds what a layer needs beyond that:
//   - atimes: a file's planned read (wire `atime`) once the bake point has passed it, else its mtime;
//   - directories with a mode a user's tools would give (realism/dirs), an owner (the home's
//     user under /home/<login>, else root) and an mtime that follows the latest change of an
//     entry inside them (a create, a user file saved over, a rename or delete; never an append);
//   - numeric owners from the decky's users map.
// Directories every base image has (/, /tmp, /var, /home and the like) keep their usual modes,
// and their mtime is the latest change inside them, or the plan's start when nothing changed
// inside: the base image is what existed before the history begins.
import type { Decky, Persona } from '../inputs/types.js';
import { dirModeFor, movesParent } from '../realism/dirs.js';
import { Materialiser, bodyOf } from '../timeline/materialise.js';
import type { TimelineEvent } from '../timeline/types.js';
import { compareInstants, isoNanos, parseNanos } from '../util/time.js';
import { type UserIds, idsOf } from './owners.js';

export interface Stamp {
  sec: number;
  ns: number;
}

export interface LayerEntry {
  type: 'dir' | 'file';
  /** Absolute path. */
  path: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: Stamp;
  atime: Stamp;
  body: Buffer | null;
}

export interface DeckyLayer {
  decky: Decky;
  entries: LayerEntry[];
  /** Ids of the events the layer holds (every event of the decky up to the bake point). */
  eventIds: string[];
  files: number;
  bytes: number;
}

/** Directories of a stock root file system, with their usual modes (never 0755-ified). */
const SYSTEM_DIRS: ReadonlyMap<string, number> = new Map([
  ['/tmp', 0o1777],
  ['/var/tmp', 0o1777],
  ['/var', 0o755],
  ['/var/log', 0o755],
  ['/var/backups', 0o755],
  ['/var/lib', 0o755],
  ['/home', 0o755],
  ['/root', 0o700],
  ['/etc', 0o755],
  ['/opt', 0o755],
  ['/srv', 0o755],
  ['/usr', 0o755],
  ['/usr/local', 0o755],
]);

/** Directories the base image already has: the system ones and the users' homes. */
function preexisting(dir: string): boolean {
  return SYSTEM_DIRS.has(dir) || /^\/home\/[^/]+$/.test(dir);
}

function stampOf(iso: string): Stamp {
  const p = parseNanos(iso);
  if (p === null) throw new Error(`not an instant: ${iso}`);
  return p;
}

function later(a: Stamp, b: Stamp): Stamp {
  return a.sec > b.sec || (a.sec === b.sec && a.ns >= b.ns) ? a : b;
}

/** Nanoseconds for an event that carries no mtime (rename, delete): from its stream-drawn id. */
function eventStamp(ev: TimelineEvent): Stamp {
  return { sec: Date.parse(ev.at) / 1000, ns: parseInt(ev.id.slice(0, 8), 16) % 1_000_000_000 };
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The login whose home holds `path` (`/home/<login>/...`), or null. */
function homeLogin(path: string): string | null {
  const m = /^\/home\/([^/]+)/.exec(path);
  return m ? m[1]! : null;
}

class DeckyDirs {
  /** Latest entry change per directory. */
  readonly changed = new Map<string, Stamp>();
  /** Every directory that holds or held something, with its ancestors. */
  readonly known = new Set<string>();

  touch(dir: string, when: Stamp): void {
    const cur = this.changed.get(dir);
    this.changed.set(dir, cur ? later(cur, when) : when);
  }

  /** A file appears at `path` at `when`: every directory made for it dates from then too. */
  add(path: string, when: Stamp): void {
    let dir = parentOf(path);
    this.touch(dir, when);
    while (dir !== '/') {
      const up = parentOf(dir);
      // A directory first seen now was created now: its parent gained an entry.
      if (!this.known.has(dir) && !preexisting(dir)) this.touch(up, when);
      this.known.add(dir);
      dir = up;
    }
  }
}

/**
 * Bake the events of `fleet` up to `untilMs` (inclusive, by event time). `startMs`: the plan's
 * start, the time of a folder nothing dated (standard folders nothing changed are left out).
 * Events must come in timeline order.
 */
export class LayerBuilder {
  private readonly m = new Materialiser();
  private readonly dirs = new Map<string, DeckyDirs>();
  private readonly atimes = new Map<string, Map<string, string>>();
  private readonly ids = new Map<string, string[]>();

  constructor(
    private readonly untilMs: number,
    private readonly startMs: number,
  ) {}

  /** Whether the event falls at or before the bake point. */
  holds(ev: TimelineEvent): boolean {
    return Date.parse(ev.at) <= this.untilMs;
  }

  apply(ev: TimelineEvent): void {
    if (!this.holds(ev)) return;
    const uuid = ev.decky.uuid;
    let list = this.ids.get(uuid);
    if (!list) this.ids.set(uuid, (list = []));
    list.push(ev.id);
    if (ev.kind !== 'file') return;
    this.m.apply(ev);
    let dirs = this.dirs.get(uuid);
    if (!dirs) this.dirs.set(uuid, (dirs = new DeckyDirs()));
    let at = this.atimes.get(uuid);
    if (!at) this.atimes.set(uuid, (at = new Map()));
    const path = ev.path!;
    switch (ev.action) {
      case 'file:create':
      case 'file:edit': {
        const mtime = ev.mtime ?? ev.at;
        const atime = ev.atime ?? mtime;
        at.set(path, Date.parse(atime) <= this.untilMs && compareInstants(atime, mtime) >= 0 ? atime : mtime);
        if (ev.action === 'file:create') {
          dirs.add(path, stampOf(mtime));
          // A lure's companions (a repository's .git tree) are written with it: their folders too.
          for (const c of ev.companions ?? []) dirs.add(c.path, stampOf(c.mtime ?? mtime));
        }
        else if (movesParent(ev)) dirs.touch(parentOf(path), stampOf(mtime));
        return;
      }
      case 'file:rename': {
        const when = eventStamp(ev);
        const a = at.get(path);
        at.delete(path);
        if (a !== undefined) at.set(ev.to!, a);
        dirs.touch(parentOf(path), when);
        dirs.add(ev.to!, when);
        return;
      }
      case 'file:delete':
        at.delete(path);
        dirs.touch(parentOf(path), eventStamp(ev));
        return;
      default:
    }
  }

  /** One layer per decky of the fleet (fleet order), deckies without files included (empty). */
  layers(fleet: readonly Decky[], personas: readonly Persona[]): DeckyLayer[] {
    const loginOf = new Map(personas.map((p) => [p.name, p.login]));
    const trees = new Map(this.m.trees().map((t) => [t.decky.uuid, t]));
    const start: Stamp = { sec: Math.floor(this.startMs / 1000), ns: 0 };
    return fleet.map((decky) => {
      const ids = idsOf(decky, [...new Set(decky.personas.map((n) => loginOf.get(n) ?? 'user'))]);
      const tree = trees.get(decky.uuid);
      const dirs = this.dirs.get(decky.uuid) ?? new DeckyDirs();
      const atimes = this.atimes.get(decky.uuid) ?? new Map<string, string>();
      const byPath = new Map<string, LayerEntry>();
      let bytes = 0;
      for (const f of tree?.files ?? []) {
        const body = bodyOf(f.content);
        bytes += body.length;
        const owner = ownerIds(ids, f.owner);
        byPath.set(f.path, { type: 'file', path: f.path, mode: parseInt(f.mode, 8), ...owner, mtime: stampOf(f.mtime), atime: stampOf(atimes.get(f.path) ?? f.mtime), body });
        for (let d = parentOf(f.path); d !== '/'; d = parentOf(d)) dirs.known.add(d);
      }
      for (const d of dirs.known) {
        // A standard directory nothing of the history changed (/usr, /var, /home, ...) is left
        // out: the base image's own entry, with its own times, is what shows. Stamped with the
        // bake's start it read the same midnight with no nanoseconds on every decky of a fleet.
        if (SYSTEM_DIRS.has(d) && !dirs.changed.has(d)) continue;
        const login = homeLogin(d);
        const owner = ownerIds(ids, login ?? 'root');
        const mtime = dirs.changed.get(d) ?? start;
        const mode = SYSTEM_DIRS.get(d) ?? parseInt(dirModeFor(d), 8);
        byPath.set(d, { type: 'dir', path: d, mode, ...owner, mtime, atime: mtime, body: null });
      }
      // Parents before children, siblings in byte order: a walk of the tree, the same every time.
      const entries = [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
      return { decky, entries, eventIds: this.ids.get(decky.uuid) ?? [], files: tree?.files.length ?? 0, bytes };
    });
  }
}

function ownerIds(ids: UserIds, login: string): Pick<LayerEntry, 'uid' | 'gid' | 'uname' | 'gname'> {
  const u = ids.get(login) ?? ids.get('root')!;
  const name = ids.has(login) ? login : 'root';
  return { uid: u.uid, gid: u.gid, uname: name, gname: name };
}

/** Order of a depth-first walk: compare component by component (so "a/b" comes right after "a"). */
export function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** An entry's time as the ISO form the timeline uses (tests, reports). */
export function stampIso(s: Stamp): string {
  return isoNanos(s.sec * 1000, s.ns);
}
