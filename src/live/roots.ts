// Where a live run may write, and as whom: the one list of planned roots. Every write is
// confined to them before `docker` runs (defence in depth: the events themselves are re-derived
// by this engine, see source.ts). A later feature that plants somewhere new adds its root here.
import type { Decky, Persona } from '../inputs/types.js';
import { homeOf } from '../realism/paths.js';

/** Roots outside the personas' homes, written as root. `/etc/cron.d` holds the machine's job
 * entries (src/machine/crontab.ts). */
export const SYSTEM_ROOTS = ['/var/log', '/var/backups', '/tmp', '/etc/cron.d'] as const;

/** Single system files the machine model plants, written as root: the system crontab and the
 * job scripts it runs (one folder level, `.sh` names only, so nothing shadows a system command). */
export const SYSTEM_FILES: readonly RegExp[] = [/^\/etc\/crontab$/, /^\/usr\/local\/sbin\/[a-z0-9][a-z0-9-]*\.sh$/];

/** Mode bits a planted file may carry: permissions only (never setuid, setgid or sticky). */
export const MODE_BITS = 0o777;

export interface Roots {
  /** Login to its home, for the decky's personas. */
  homes: ReadonlyMap<string, string>;
  system: readonly string[];
  files: readonly RegExp[];
}

export function rootsOf(decky: Decky, personas: readonly Persona[]): Roots {
  const mine = new Set(decky.personas);
  const homes = new Map<string, string>();
  for (const p of personas) if (mine.has(p.name)) homes.set(p.login, homeOf(p.login));
  return { homes, system: SYSTEM_ROOTS, files: SYSTEM_FILES };
}

const under = (path: string, root: string): boolean => path.startsWith(root + '/') && path.length > root.length + 1;

/**
 * Why a write may not happen (null when it may): the path must lie under a planned root, the
 * mode carry permission bits only, and the owner be root or a persona of the decky; under a
 * persona's home only that persona (files there are written as that user).
 */
export function confinement(r: Roots, path: string, mode: string, owner: string): string | null {
  if (!/^0?[0-7]{3,4}$/.test(mode) || (parseInt(mode, 8) & ~MODE_BITS) !== 0) return `mode ${mode} is not a plain permission mode (setuid, setgid and sticky bits are never planted)`;
  for (const [login, home] of r.homes) {
    if (under(path, home)) return owner === login ? null : `owner ${owner} may not write under the home of ${login}`;
  }
  if (owner !== 'root' && !r.homes.has(owner)) return `owner ${owner} is neither root nor a persona of this decky`;
  for (const s of r.system) if (under(path, s)) return null;
  if (r.files.some((f) => f.test(path))) return owner === 'root' ? null : `owner ${owner} may not write the system file ${path}`;
  return `path ${path} is outside the planned roots (the personas' homes, ${r.system.join(', ')}, /etc/crontab, /usr/local/sbin/*.sh)`;
}

/** The user a write runs as: the owner's login, `0` for root. */
export function execUser(owner: string): string {
  return owner === 'root' ? '0' : owner;
}
