// The listener under benchmark: the same HTTP and DNS servers as `listen`, over a synthetic
// table of N tokens (slugs as the engine draws them), in a process of its own so it can be
// pinned to one core. Prints its addresses, then its RSS, trigger count and CPU time (user +
// system, every thread) whenever asked on stdin.
import { drawSlug } from '../src/canary/callback.js';
import { startDns } from '../src/listen/dns.js';
import { startHttp } from '../src/listen/http.js';
import { RateLimiter } from '../src/listen/ratelimit.js';
import { TokenTable } from '../src/listen/tokens.js';
import { stream } from '../src/rng/stream.js';

const N = Number(process.argv[2] ?? 10_000);
const table = new TokenTable();
const r = stream('bench-listen');
const slugs: string[] = [];
for (let i = 0; i < N; i++) {
  const slug = drawSlug(r);
  slugs.push(slug);
  table.add({ tokenId: `tk${i}`, slug, decky: `d${i % 100}`, path: `/home/u/Documents/f${i}.html`, persona: null, generator: 'honeydoc', kind: 'http', callback: `http://h/${slug}`, plantedAt: '2026-01-05T00:00:00Z', state: 'planned', source: 'bench' });
}
let triggers = 0;
const onTrigger = (t: unknown): void => {
  triggers++;
  // What `listen` does with each trigger: one NDJSON line (to /dev/null here).
  JSON.stringify(t);
};
const limiter = new RateLimiter(0, 1);
const http = await startHttp('127.0.0.1', 0, { tokens: () => table, limiter, onTrigger });
const dns = await startDns('127.0.0.1', 0, { zone: 'bench.zone', sinkhole: '127.0.0.1', tokens: () => table, limiter, onTrigger });
process.stdout.write(JSON.stringify({ http: (http.address() as { port: number }).port, dns: dns.udp.address().port, slugs: slugs.slice(0, 2000) }) + '\n');
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, triggers, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
});
process.stdin.on('end', () => process.exit(0));
