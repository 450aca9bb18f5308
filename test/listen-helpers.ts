// Shared set-up for the listener tests: a plan whose lures call a loopback listener, the
// listener itself (in process), and the triggers it printed.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startListener, type ListenHandle } from '../src/listen/index.js';
import type { Trigger } from '../src/listen/trigger.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { cli } from './helpers/cli.js';

export const ZONE = 'lures.test';

/** A TCP port free on 127.0.0.1 whose UDP twin is free too. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

export interface Lab {
  dir: string;
  timeline: string;
  events: TimelineEvent[];
  httpPort: number;
  dnsPort: number;
  listener: ListenHandle;
  triggers: Trigger[];
  /** Wait until a trigger for this token arrives (or time out). */
  waitFor(tokenId: string, ms?: number): Promise<Trigger | undefined>;
  stop(): Promise<void>;
}

export async function lab(opts: { seed?: string; days?: number; probability?: number; base?: string; state?: string; extra?: Record<string, unknown> } = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'lure-lab-'));
  const httpPort = await freePort();
  const dnsPort = await freePort();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ canaryProbability: opts.probability ?? 0.6, canaryCapPerDecky: 14, canary: { httpBase: `http://127.0.0.1:${httpPort}${opts.base ?? ''}`, dnsZone: ZONE }, ...opts.extra }));
  const timeline = join(dir, 'timeline.ndjson');
  const r = await cli(['plan', '--seed', opts.seed ?? 'lab', '--days', String(opts.days ?? 5), '--config', config, '--format', 'ndjson', '--out', timeline]);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  const events = readFileSync(timeline, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"id"'))
    .map((l) => JSON.parse(l) as TimelineEvent);
  const triggers: Trigger[] = [];
  const waiters: Array<() => void> = [];
  const listener = await startListener({
    http: `127.0.0.1:${httpPort}`,
    dns: `127.0.0.1:${dnsPort}`,
    timelines: [timeline],
    state: opts.state,
    webhooks: [],
    rate: 0,
    burst: 100,
    allowTestCallbacks: true,
    json: false,
    signals: false,
    out: (l) => {
      triggers.push(JSON.parse(l) as Trigger);
      for (const w of waiters.splice(0)) w();
    },
    err: () => undefined,
  });
  const waitFor = async (tokenId: string, ms = 60_000): Promise<Trigger | undefined> => {
    const end = Date.now() + ms;
    for (;;) {
      const t = triggers.find((x) => x.tokenId === tokenId);
      if (t || Date.now() > end) return t;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return { dir, timeline, events, httpPort, dnsPort, listener, triggers, waitFor, stop: async () => void (await listener.stop()) };
}

export function lureOf(events: TimelineEvent[], cls: string): TimelineEvent {
  const e = events.find((x) => x.contentClass === cls && x.canary);
  if (!e) throw new Error(`no ${cls} lure in the plan`);
  return e;
}

export function bytesOf(ev: TimelineEvent): Buffer {
  return Buffer.from(ev.content!.data, ev.content!.encoding === 'base64' ? 'base64' : 'utf8');
}
