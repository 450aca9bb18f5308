// Numeric owners of a decky's files: the users map of the fleet (what the decky's /etc/passwd
// says), else what `adduser` would have given the personas' logins on a fresh system: uid and gid
// 1000, 1001, ... in the decky's persona order, skipping ids the map already uses.
import type { Decky } from '../inputs/types.js';

export type UserIds = ReadonlyMap<string, { uid: number; gid: number }>;

export const FIRST_UID = 1000;

export function idsOf(decky: Decky, logins?: readonly string[]): UserIds {
  const out = new Map<string, { uid: number; gid: number }>([['root', { uid: 0, gid: 0 }]]);
  const given = decky.users ?? {};
  for (const login of Object.keys(given).sort()) out.set(login, given[login]!);
  const used = new Set([...out.values()].map((u) => u.uid));
  let next = FIRST_UID;
  for (const login of logins ?? []) {
    if (out.has(login)) continue;
    while (used.has(next)) next++;
    out.set(login, { uid: next, gid: next });
    used.add(next);
  }
  return out;
}
