// The DNS side of the listener: an authoritative server for one zone, over UDP and TCP. A query
// whose name carries a known slug is a trigger and gets an A record to the sinkhole address
// (other types: an empty answer); other names in the zone get NXDOMAIN, names outside it
// REFUSED, as any authoritative server answers. Packets that do not parse get FORMERR when a
// header can be read and are dropped otherwise; responses are never answered.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { makeTrigger, type Trigger } from './trigger.js';
import type { RateLimiter } from './ratelimit.js';
import type { TokenTable } from './tokens.js';

const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const AA = 1 << 10;
const RD = 1 << 8;
const TTL = 60;

export interface DnsListenerOptions {
  zone: string;
  sinkhole: string;
  tokens: () => TokenTable;
  limiter: RateLimiter;
  onTrigger: (t: Trigger) => void;
  now?: () => number;
}

export interface DnsListener {
  udp: UdpSocket;
  tcp: Server;
  close(): Promise<void>;
}

// The zone's SOA record, built once per zone (every NXDOMAIN and empty answer carries it).
const soaCache = new Map<string, Answer>();
function soa(zone: string): Answer {
  let a = soaCache.get(zone);
  if (a === undefined) {
    if (soaCache.size > 16) soaCache.clear();
    a = soaRecord(zone);
    soaCache.set(zone, a);
  }
  return a;
}

const OPT = [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, options: [] } as unknown as Answer];
const NONE: Answer[] = [];

function soaRecord(zone: string): Answer {
  return {
    name: zone,
    type: 'SOA',
    ttl: 300,
    data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
  } as Answer;
}

/** A FORMERR for a packet whose question cannot be read (the id and RD bit echoed). */
function formErr(msg: Buffer): Buffer | null {
  if (msg.length < 12) return null;
  if (msg[2]! & 0x80) return null; // a response: never answer it
  const out = Buffer.alloc(12);
  msg.copy(out, 0, 0, 2);
  out.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & RD) | RCODE.FORMERR, 2);
  return out;
}

/** The response to one DNS message, or null when nothing should be sent back. */
export function answer(msg: Buffer, o: DnsListenerOptions, from: { address: string; port: number }, protocol: 'dns-udp' | 'dns-tcp'): Buffer | null {
  let q: Packet;
  try {
    q = dnsPacket.decode(msg);
  } catch {
    return formErr(msg);
  }
  if (q.type !== 'query') return null;
  const flags = q.flags ?? 0;
  const base = { id: q.id ?? 0, type: 'response' as const, questions: q.questions ?? [] };
  const rd = flags & RD;
  const opcode = (flags >> 11) & 0xf;
  let edns = false;
  for (const a of q.additionals ?? NONE) if (a.type === 'OPT') edns = true;
  const opt = edns ? OPT : NONE;
  const respond = (rcode: number, answers: Answer[] = NONE, authorities: Answer[] = NONE, aa = true): Buffer => {
    try {
      return dnsPacket.encode({ ...base, flags: (aa ? AA : 0) | rd | rcode, answers, authorities, additionals: opt });
    } catch {
      return formErr(msg)!;
    }
  };
  if (opcode !== 0) return respond(RCODE.NOTIMP, [], [], false);
  if (base.questions.length !== 1) return respond(RCODE.FORMERR, [], [], false);
  const question = base.questions[0]!;
  const name = String(question.name ?? '').toLowerCase().replace(/\.$/, '');
  const zone = o.zone;
  if (name !== zone && !name.endsWith(`.${zone}`)) return respond(RCODE.REFUSED, [], [], false);
  const type = String(question.type);
  const a = (n: string): Answer => ({ name: question.name, type: 'A', ttl: TTL, data: o.sinkhole }) as Answer;
  if (name === zone) {
    if (type === 'SOA') return respond(RCODE.NOERROR, [soa(zone)]);
    if (type === 'NS') return respond(RCODE.NOERROR, [{ name: zone, type: 'NS', ttl: 3600, data: `ns1.${zone}` } as Answer]);
    if (type === 'A') return respond(RCODE.NOERROR, [a(name)]);
    return respond(RCODE.NOERROR, [], [soa(zone)]);
  }
  if (name === `ns1.${zone}`) return type === 'A' ? respond(RCODE.NOERROR, [a(name)]) : respond(RCODE.NOERROR, [], [soa(zone)]);
  const tok = o.tokens().find(name.slice(0, name.length - zone.length - 1));
  if (!tok) return respond(RCODE.NXDOMAIN, [], [soa(zone)]);
  const t = makeTrigger(tok, (o.now ?? Date.now)(), protocol, from);
  t.dns = { name: String(question.name).slice(0, 255), type };
  o.onTrigger(t);
  if (type === 'A' || type === 'ANY') return respond(RCODE.NOERROR, [a(name)]);
  return respond(RCODE.NOERROR, [], [soa(zone)]);
}

function bind<T extends { once: Function; off: Function }>(target: T, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    (target.once as (e: string, f: (err: Error) => void) => void)('error', reject);
    start(() => {
      (target.off as (e: string, f: (err: Error) => void) => void)('error', reject);
      resolve();
    });
  });
}

export async function startDns(host: string, port: number, o: DnsListenerOptions): Promise<DnsListener> {
  const now = o.now ?? Date.now;
  const udp = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
  udp.on('message', (msg, rinfo) => {
    try {
      if (!o.limiter.allow(rinfo.address, now())) return;
      const out = answer(msg, o, { address: rinfo.address, port: rinfo.port }, 'dns-udp');
      if (out) udp.send(out, rinfo.port, rinfo.address, () => undefined);
    } catch {
      /* nothing a packet holds may stop the server */
    }
  });
  await bind(udp, (done) => udp.bind(port, host, done));
  udp.on('error', () => undefined);
  const actualPort = udp.address().port;

  const tcp = createServer((sock: Socket) => {
    sock.on('error', () => undefined);
    sock.setTimeout(10_000, () => sock.destroy());
    let buf: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      try {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        if (buf.length > 65_537 + 2) return sock.destroy();
        while (buf.length >= 2) {
          const len = buf.readUInt16BE(0);
          if (buf.length < 2 + len) break;
          const msg = buf.subarray(2, 2 + len);
          buf = buf.subarray(2 + len);
          if (!o.limiter.allow(sock.remoteAddress ?? '', now())) return sock.destroy();
          const out = answer(Buffer.from(msg), o, { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 }, 'dns-tcp');
          if (out) {
            const head = Buffer.alloc(2);
            head.writeUInt16BE(out.length);
            sock.write(Buffer.concat([head, out]));
          }
        }
      } catch {
        sock.destroy();
      }
    });
  });
  await bind(tcp, (done) => tcp.listen(actualPort, host, done));
  tcp.on('error', () => undefined);
  return {
    udp,
    tcp,
    close: () =>
      new Promise<void>((resolve) => {
        udp.close();
        tcp.close(() => resolve());
        setTimeout(resolve, 2000).unref();
      }),
  };
}
