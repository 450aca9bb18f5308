// `npm run bench:listen`: triggers per second over loopback for HTTP and DNS against a listener
// with a 10,000-token table, pinned to one core (`taskset -c 0` when available; the load
// generator runs on the other core), p50/p99 latency, the listener's CPU time per phase (so the
// rate one core sustains is known even when other jobs share the machine: requests per CPU
// second of the listener) and its RSS at the start, at each quarter and at the end.
//   BENCH_HTTP (requests, default 500000), BENCH_DNS (default 1000000), BENCH_TOKENS (10000),
//   BENCH_NODE_FLAGS (extra flags for the listener's node, e.g. `--cpu-prof`)
import { execa } from 'execa';
import { createSocket } from 'node:dgram';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';

const HTTP_N = Number(process.env.BENCH_HTTP ?? 500_000);
const DNS_N = Number(process.env.BENCH_DNS ?? 1_000_000);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 10_000);
const server = fileURLToPath(new URL('./listen-server.js', import.meta.url));
const pin = cpus().length > 1 && (await execa('taskset', ['-c', '0', 'true'], { reject: false })).exitCode === 0;
if (pin) await execa('taskset', ['-pc', '1', String(process.pid)], { reject: false });
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const nodeArgs = [...nodeFlags, server, String(TOKENS)];
const child = execa(pin ? 'taskset' : process.execPath, pin ? ['-c', '0', process.execPath, ...nodeArgs] : nodeArgs, { stdin: 'pipe', stdout: 'pipe', reject: false });
const lines = createInterface({ input: child.stdout! });
const next = (): Promise<Record<string, unknown>> => new Promise((res) => lines.once('line', (l) => res(JSON.parse(l))));
const info = (await next()) as { http: number; dns: number; slugs: string[] };
interface Stats {
  rss: number;
  heap: number;
  triggers: number;
  cpuMs: number;
}
const rss = async (): Promise<Stats> => {
  child.stdin!.write('\n');
  return (await next()) as unknown as Stats;
};

function pct(xs: Float64Array, n: number, p: number): number {
  const s = xs.subarray(0, n).sort();
  return s[Math.min(n - 1, Math.floor(n * p))]!;
}

async function benchHttp(total: number, inflight = 64): Promise<{ rate: number; p50: number; p99: number; mem: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: inflight });
  const lat = new Float64Array(total);
  const mem: number[] = [];
  let sent = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const one = (): void => {
      if (sent >= total) return;
      const i = sent++;
      const slug = info.slugs[i % info.slugs.length]!;
      const start = process.hrtime.bigint();
      const req = request({ host: '127.0.0.1', port: info.http, path: `/static/img/${slug}.png`, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          lat[done] = Number(process.hrtime.bigint() - start) / 1e6;
          done++;
          if (done % Math.ceil(total / 4) === 0) void rss().then((m) => mem.push(m.rss));
          if (done === total) resolve();
          else one();
        });
      });
      req.on('error', () => {
        done++;
        if (done === total) resolve();
        else one();
      });
      req.end();
    };
    for (let k = 0; k < inflight; k++) one();
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return { rate: total / secs, p50: pct(lat, done, 0.5), p99: pct(lat, done, 0.99), mem };
}

async function benchDns(total: number, inflight = 256): Promise<{ rate: number; p50: number; p99: number; mem: number[]; lost: number }> {
  const sock = createSocket('udp4');
  const lat = new Float64Array(total);
  const startAt = new Map<number, bigint>();
  const mem: number[] = [];
  let sent = 0;
  let got = 0;
  let lost = 0;
  const queries = info.slugs.slice(0, 1000).map((s) => dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: `${s}.bench.zone` }] }));
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const send = (): void => {
      if (sent >= total) return;
      const id = sent % 65536;
      const q = Buffer.from(queries[sent % queries.length]!);
      q.writeUInt16BE(id, 0);
      startAt.set(id, process.hrtime.bigint());
      sent++;
      sock.send(q, info.dns, '127.0.0.1');
    };
    const finish = (): void => {
      if (got + lost >= total) resolve();
      else send();
    };
    sock.on('message', (m) => {
      const id = m.readUInt16BE(0);
      const s = startAt.get(id);
      if (s === undefined) return;
      startAt.delete(id);
      lat[got++] = Number(process.hrtime.bigint() - s) / 1e6;
      if (got % Math.ceil(total / 4) === 0) void rss().then((x) => mem.push(x.rss));
      finish();
    });
    // A query with no answer within a second counts as lost and is replaced.
    const sweep = setInterval(() => {
      const now = process.hrtime.bigint();
      for (const [id, s] of startAt) {
        if (now - s > 1_000_000_000n) {
          startAt.delete(id);
          lost++;
          finish();
        }
      }
    }, 200);
    sock.on('close', () => clearInterval(sweep));
    sweep.unref();
    for (let k = 0; k < inflight; k++) send();
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  sock.close();
  return { rate: got / secs, p50: pct(lat, got, 0.5), p99: pct(lat, got, 0.99), mem, lost };
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const before = await rss();
console.log(`listener: ${TOKENS} tokens, ${pin ? 'pinned to CPU 0 (load generator on CPU 1)' : 'not pinned (taskset or a second CPU missing)'}; RSS at start ${mb(before.rss)}`);
const t0 = process.hrtime.bigint();
const h = await benchHttp(HTTP_N);
const afterHttp = await rss();
const httpWall = Number(process.hrtime.bigint() - t0) / 1e9;
const httpCpu = (afterHttp.cpuMs - before.cpuMs) / 1000;
console.log(
  `HTTP: ${n0(HTTP_N)} requests, ${n0(afterHttp.triggers - before.triggers)} triggers, ${n0(h.rate)} triggers/s wall, p50 ${h.p50.toFixed(2)} ms, p99 ${h.p99.toFixed(2)} ms; ` +
    `listener CPU ${httpCpu.toFixed(1)} s (${((100 * httpCpu) / httpWall).toFixed(0)}% of one core) = ${n0(HTTP_N / httpCpu)} requests per CPU second; RSS ${[before.rss, ...h.mem, afterHttp.rss].map(mb).join(' -> ')}`,
);
const t1 = process.hrtime.bigint();
const d = await benchDns(DNS_N);
const after = await rss();
const dnsWall = Number(process.hrtime.bigint() - t1) / 1e9;
const dnsCpu = (after.cpuMs - afterHttp.cpuMs) / 1000;
console.log(
  `DNS (UDP): ${n0(DNS_N)} queries, ${n0(after.triggers - afterHttp.triggers)} triggers, ${n0(d.rate)} triggers/s wall, p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms, ${n0(d.lost)} lost; ` +
    `listener CPU ${dnsCpu.toFixed(1)} s (${((100 * dnsCpu) / dnsWall).toFixed(0)}% of one core) = ${n0((DNS_N - d.lost) / dnsCpu)} queries per CPU second; RSS ${[afterHttp.rss, ...d.mem, after.rss].map(mb).join(' -> ')}`,
);
console.log(`listener RSS ${mb(before.rss)} at the start, ${mb(after.rss)} at the end (V8 heap in use ${mb(before.heap)}, ${mb(afterHttp.heap)} after HTTP, ${mb(after.heap)} at the end), after ${n0(after.triggers)} triggers (${n0(HTTP_N + DNS_N)} requests)`);
const load = await execa('cat', ['/proc/loadavg'], { reject: false });
if (load.exitCode === 0) console.log(`load average at the end: ${load.stdout.split(' ').slice(0, 3).join(' ')} (on ${cpus().length} CPUs)`);
child.stdin!.end();
await child;
