// `listen`: one long-running process with the HTTP listener and the authoritative DNS server.
// Tokens come from timeline files and/or the live state (reloaded when the state file changes,
// so lures planted after the start are attributable). Each trigger is one NDJSON line on stdout,
// a row in the state's canary_triggers (with --state) and a POST to each webhook.
import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import { reservedCallbacks, reservedHost } from '../canary/reserved.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { startDns, type DnsListener } from './dns.js';
import { startHttp } from './http.js';
import { RateLimiter } from './ratelimit.js';
import { loadStateTokens, TriggerRecorder } from './state.js';
import { loadTimelineTokens, TokenTable } from './tokens.js';
import type { Trigger } from './trigger.js';
import { WebhookSender } from './webhook.js';

export interface ListenOptions {
  http?: string;
  dns?: string;
  timelines: string[];
  state?: string;
  webhooks: string[];
  zone?: string;
  sinkhole?: string;
  rate: number;
  burst: number;
  allowTestCallbacks: boolean;
  json: boolean;
  /** Seconds between looks at the state file for new tokens. */
  reloadSeconds?: number;
  out?: (line: string) => void;
  err?: (line: string) => void;
  signals?: boolean;
}

export interface ListenHandle {
  http: AddressInfo | null;
  dns: AddressInfo | null;
  tokens(): TokenTable;
  stats(): ListenStats;
  stop(): Promise<ListenStats>;
  /** Resolves when the listener has stopped (SIGTERM, SIGINT or stop()). */
  stopped: Promise<ListenStats>;
}

export interface ListenStats {
  tokens: number;
  triggers: number;
  rateLimited: number;
  webhook: { delivered: number; failed: number; dropped: number; pending: number };
  state: { recorded: number; pending: number; dropped: number } | null;
}

/** `HOST:PORT` (IPv6 as `[::1]:53`). */
export function parseHostPort(flag: string, v: string): { host: string; port: number } {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(v) ?? /^([^:\s]+):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new InputError(`${flag}: expected HOST:PORT such as 127.0.0.1:8080, got ${JSON.stringify(v)}`);
  return { host: m[1]!, port };
}

async function loadTokens(o: ListenOptions): Promise<TokenTable> {
  const table = new TokenTable();
  for (const f of o.timelines) await loadTimelineTokens(table, f);
  // A state file that does not exist yet is created by the first trigger it records, when the
  // tokens come from --timeline; alone it must exist (it is then the only source of tokens).
  if (o.state && (o.timelines.length === 0 || existsSync(o.state))) await loadStateTokens(table, o.state);
  return table;
}

export async function startListener(o: ListenOptions): Promise<ListenHandle> {
  const out = o.out ?? ((l: string) => void process.stdout.write(l + '\n'));
  const err = o.err ?? ((l: string) => void process.stderr.write(l + '\n'));
  if (!o.http && !o.dns) throw new InputError('give --http HOST:PORT, --dns HOST:PORT or both');
  if (o.timelines.length === 0 && !o.state) throw new InputError('give the tokens to listen for: --timeline FILE (repeatable) and/or --state FILE');
  for (const w of o.webhooks) {
    let u: URL;
    try {
      u = new URL(w);
    } catch {
      throw new InputError(`--webhook: expected an http(s) URL, got ${JSON.stringify(w)}`);
    }
    if (!/^https?:$/.test(u.protocol)) throw new InputError(`--webhook: expected an http(s) URL, got ${JSON.stringify(w)}`);
  }
  if (!(o.rate >= 0) || !(o.burst >= 1)) throw new InputError('--rate must be 0 or more and --burst at least 1');
  const httpAt = o.http ? parseHostPort('--http', o.http) : null;
  const dnsAt = o.dns ? parseHostPort('--dns', o.dns) : null;
  if (o.sinkhole !== undefined && isIP(o.sinkhole) !== 4) throw new InputError(`--sinkhole: expected an IPv4 address, got ${JSON.stringify(o.sinkhole)}`);

  let table = await loadTokens(o);
  const zones = [...table.zones];
  const zone = (o.zone ?? (zones.length === 1 ? zones[0] : undefined))?.toLowerCase().replace(/\.$/, '');
  if (dnsAt && !zone) throw new InputError(zones.length > 1 ? `--zone: the token sources use several zones (${zones.join(', ')}): name the one to serve` : '--zone: no DNS zone in the token sources: name the zone to serve');
  if (!o.allowTestCallbacks) {
    const reasons = [...table.httpBases].flatMap((b) => reservedCallbacks({ httpBase: b, dnsZone: null }));
    if (zone) reasons.push(...reservedCallbacks({ httpBase: null, dnsZone: zone }));
    if (reasons.length > 0) throw new InputError(`${reasons[0]}: lures calling it can never alert; set a callback you own, or pass --allow-test-callbacks in a test`);
  }
  const sinkhole = o.sinkhole ?? (httpAt && isIP(httpAt.host) === 4 && httpAt.host !== '0.0.0.0' && (o.allowTestCallbacks || !reservedHost(httpAt.host)) ? httpAt.host : undefined);
  if (dnsAt && !sinkhole) throw new InputError('--sinkhole: name the IPv4 address the DNS answers point to (a host you control)');

  const limiter = new RateLimiter(o.rate, o.burst);
  const hooks = new WebhookSender(o.webhooks, { onError: (m) => err(`warning: ${m}`) });
  const recorder = o.state ? new TriggerRecorder(o.state) : null;
  let triggers = 0;
  const onTrigger = (t: Trigger): void => {
    triggers++;
    out(JSON.stringify(t));
    hooks.send(t);
    recorder?.push(t);
  };

  const tokens = () => table;
  let http: Awaited<ReturnType<typeof startHttp>> | null = null;
  let dns: DnsListener | null = null;
  try {
    if (httpAt) http = await startHttp(httpAt.host, httpAt.port, { tokens, limiter, onTrigger });
    if (dnsAt) dns = await startDns(dnsAt.host, dnsAt.port, { zone: zone!, sinkhole: sinkhole!, tokens, limiter, onTrigger });
  } catch (e) {
    http?.close();
    await dns?.close();
    throw new RuntimeFailure(`cannot listen: ${(e as Error).message}`);
  }

  // Tokens planted after the start: reload when the state file changes.
  let stateMtime = o.state ? mtimeOf(o.state) : 0;
  let reloading = false;
  const reload = setInterval(() => {
    if (!o.state || reloading) return;
    const m = mtimeOf(o.state);
    if (m === stateMtime) return;
    stateMtime = m;
    reloading = true;
    loadTokens(o)
      .then((t) => {
        table = t;
      })
      .catch((e: Error) => err(`warning: could not reload the tokens: ${e.message}`))
      .finally(() => (reloading = false));
  }, (o.reloadSeconds ?? 10) * 1000);
  reload.unref();
  const flusher = recorder ? setInterval(() => void recorder.flush(), 1000) : null;
  flusher?.unref();

  const stats = (): ListenStats => ({
    tokens: table.size,
    triggers,
    rateLimited: limiter.limited,
    webhook: { delivered: hooks.delivered, failed: hooks.failed, dropped: hooks.dropped, pending: hooks.pending },
    state: recorder ? { recorded: recorder.recorded, pending: recorder.pending, dropped: recorder.dropped } : null,
  });

  const httpInfo = http ? (http.address() as AddressInfo) : null;
  const dnsInfo = dns ? (dns.udp.address() as AddressInfo) : null;
  const parts = [httpInfo ? `http ${httpInfo.address}:${httpInfo.port}` : null, dnsInfo ? `dns ${dnsInfo.address}:${dnsInfo.port} (udp, tcp) for ${zone}` : null].filter(Boolean);
  if (o.json) err(JSON.stringify({ listening: { http: httpInfo, dns: dnsInfo, zone: zone ?? null, tokens: table.size } }));
  else err(`listening: ${parts.join(', ')}; ${table.size} tokens`);

  let resolveStopped!: (s: ListenStats) => void;
  const stopped = new Promise<ListenStats>((r) => (resolveStopped = r));
  let stopping: Promise<ListenStats> | null = null;
  const stop = (): Promise<ListenStats> => {
    stopping ??= (async () => {
      clearInterval(reload);
      if (flusher) clearInterval(flusher);
      if (http) {
        const h = http;
        await new Promise<void>((r) => {
          h.close(() => r());
          h.closeAllConnections();
        });
      }
      await dns?.close();
      await hooks.drain(3000);
      if (recorder) {
        for (let i = 0; i < 5 && recorder.pending > 0; i++) {
          await recorder.flush();
          if (recorder.pending > 0) await new Promise((r) => setTimeout(r, 200));
        }
        if (recorder.pending > 0) err(`warning: ${recorder.pending} triggers not recorded in ${o.state}: ${recorder.lastError ?? 'the state stayed locked'}`);
      }
      const s = stats();
      if (o.json) err(JSON.stringify({ stopped: s }));
      else err(`stopped: ${s.triggers} triggers, ${s.rateLimited} requests over the rate limit`);
      if (signalsOn) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
      resolveStopped(s);
      return s;
    })();
    return stopping;
  };
  const signalsOn = o.signals !== false;
  const onSignal = (): void => void stop();
  if (signalsOn) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { http: httpInfo, dns: dnsInfo, tokens, stats, stop, stopped };
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
