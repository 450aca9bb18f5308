// A trigger: one request that carried a known token, with what the listener saw of it. Printed
// as one NDJSON line, recorded in the state, posted to the webhooks.
import type { TokenInfo } from './tokens.js';

export interface Trigger {
  at: string;
  tokenId: string;
  slug: string;
  decky: string;
  path: string;
  persona: string | null;
  generator: string;
  kind: string;
  protocol: 'http' | 'dns-udp' | 'dns-tcp';
  source: { address: string; port: number };
  http?: { method: string; path: string; host: string | null; userAgent: string | null };
  dns?: { name: string; type: string };
  /** What a fingerprint beacon reported, by the meaning of each value. */
  fingerprint?: Record<string, string>;
}

// The last time stamp formatted: triggers come in bursts within one millisecond.
let lastMs = NaN;
let lastIso = '';

export function makeTrigger(t: TokenInfo, atMs: number, protocol: Trigger['protocol'], source: Trigger['source']): Trigger {
  if (atMs !== lastMs) {
    lastMs = atMs;
    lastIso = new Date(atMs).toISOString();
  }
  return {
    at: lastIso,
    tokenId: t.tokenId,
    slug: t.slug,
    decky: t.decky,
    path: t.path,
    persona: t.persona,
    generator: t.generator,
    kind: t.kind,
    protocol,
    source,
  };
}

/**
 * The browser traits a fingerprint beacon sends. Its parameter names are drawn per lure, so the
 * values are recognised by their form: screen `WxHxD`, an IANA zone, the UTC offset in minutes,
 * a language tag, the user agent, the page location, and what is left is the platform.
 */
export function decodeFingerprint(params: URLSearchParams): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const rest: string[] = [];
  for (const [k, raw] of params) {
    const v = raw.slice(0, 512);
    if (k.length > 2) continue; // the lure's own parameters (sid, k, v, ...) are not traits
    if (/^\d{2,5}x\d{2,5}x\d{1,2}$/.test(v)) out.screen = v;
    else if (/^[A-Za-z]+\/[A-Za-z_+-]+(\/[A-Za-z_+-]+)?$/.test(v) || v === 'UTC') out.timeZone = v;
    else if (/^-?\d{1,4}$/.test(v)) out.utcOffsetMinutes = v;
    else if (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v)) out.language = v;
    else if (/^Mozilla\/|AppleWebKit|Gecko|Chrome\//.test(v)) out.userAgent = v;
    else if (/^(https?|file|about|blob|data):/.test(v)) out.location = v;
    else rest.push(v);
  }
  if (Object.keys(out).length < 2) return undefined; // not a beacon
  if (rest.length > 0) out.platform = rest[0]!;
  return out;
}
