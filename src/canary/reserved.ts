// Callbacks on names nobody can own: documentation domains (example.*), special-use TLDs
// (.test, .invalid, .localhost, .example, .local), loopback and private address ranges. A lure
// that calls one of these never reaches the operator, and an analyst recognises them at a
// glance, so live commands refuse them unless told they are in a test (--allow-test-callbacks)
// and `check` reports them.
import { isIP } from 'node:net';

const SPECIAL_TLDS = new Set(['test', 'invalid', 'localhost', 'example', 'local']);

/** This network, private (RFC 1918), shared (CGN), loopback, link-local, the IETF block, the three
 * documentation networks (TEST-NET-1 to 3), benchmarking, multicast and the rest above 224. */
function ipv4Reserved(ip: string): boolean {
  const p = ip.split('.').map(Number) as [number, number, number, number];
  const [a, b, c] = p;
  return (
    a === 0 || a === 10 || a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

function ipv6Reserved(ip: string): boolean {
  const s = ip.toLowerCase();
  if (s === '::1' || s === '::') return true;
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) return ipv4Reserved(m[1]!);
  return /^f[cd]/.test(s) || /^fe[89ab]/.test(s) || s.startsWith('2001:db8') || s.startsWith('2001:0db8');
}

/** Why a host name or address cannot be a real callback, or null when it can. */
export function reservedHost(host: string): string | null {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const v = isIP(h);
  if (v === 4) return ipv4Reserved(h) ? `${h} is a loopback, private or reserved address` : null;
  if (v === 6) return ipv6Reserved(h) ? `${h} is a loopback, private or reserved address` : null;
  const labels = h.split('.');
  const tld = labels[labels.length - 1]!;
  if (labels.length === 1) return `${h} is a single-label name`;
  if (SPECIAL_TLDS.has(tld)) return `${h} is under the special-use domain .${tld}`;
  if (labels.includes('example')) return `${h} is a documentation domain (example.*)`;
  return null;
}

/** Every reason the configured callbacks are not real ones (empty: fine). */
export function reservedCallbacks(canary: { httpBase: string | null; dnsZone: string | null }): string[] {
  const out: string[] = [];
  if (canary.httpBase) {
    const why = reservedHost(new URL(canary.httpBase).hostname);
    if (why) out.push(`canary.httpBase: ${why}`);
  }
  if (canary.dnsZone) {
    const why = reservedHost(canary.dnsZone);
    if (why) out.push(`canary.dnsZone: ${why}`);
  }
  return out;
}
