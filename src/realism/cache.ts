// cache_tmp bodies, as the program the file's name belongs to writes them: an application's
// cache (`.<app>-cache-<id>`, JSON) and a script's temporary file (`tmp<id>`, opaque text).
import { type Rng, between, pick, token } from '../rng/stream.js';

export function cacheBody(rng: Rng, atMs: number, logins: readonly string[], path: string): string {
  const epoch = Math.floor(atMs / 1000) - between(rng, 0, 3600);
  const who = logins.length > 0 ? pick(rng, logins) : 'www-data';
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.includes('-cache-')) return JSON.stringify({ v: 2, sid: token(rng, 24), user: who, created: epoch, ttl: pick(rng, [900, 1800, 3600]), scopes: ['read', pick(rng, ['write', 'admin', 'export'])] }) + '\n';
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return `${token(rng, 40, b64)}\n${token(rng, 40, b64)}\n`;
}
