// cache_tmp bodies: opaque session-like data, the kind a web app or CLI leaves in /tmp.
import { type Rng, between, hex, pick, token } from '../rng/stream.js';

export function cacheBody(rng: Rng, atMs: number, logins: readonly string[]): string {
  const epoch = Math.floor(atMs / 1000) - between(rng, 0, 3600);
  const who = logins.length > 0 ? pick(rng, logins) : 'www-data';
  return pick(rng, [
    () => `csrf|s:32:"${hex(rng, 32)}";uid|i:${between(rng, 1000, 1099)};user|s:${who.length}:"${who}";last_seen|i:${epoch};flash|a:0:{}`,
    () => JSON.stringify({ v: 2, sid: token(rng, 24), user: who, created: epoch, ttl: pick(rng, [900, 1800, 3600]), scopes: ['read', pick(rng, ['write', 'admin', 'export'])] }) + '\n',
    () => `${token(rng, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}\n${token(rng, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}\n`,
  ])();
}
