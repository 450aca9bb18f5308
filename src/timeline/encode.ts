// Fast event encoding. Traffic and quiet events (three quarters of a timeline) have a fixed
// shape made of a few objects the engine shares between events (decky refs, destination refs)
// and plain values. The JSON of each shared object is cached (memory grows with the fleet, not
// with deckies x destinations), and the rest is assembled from templates. Anything else goes
// through JSON.stringify (a template for file events measured slower than JSON.stringify
// itself). The bytes are identical to JSON.stringify(event) (a test checks it over many seeds).
import type { DeckyRef, TimelineEvent } from './types.js';

const SAFE = /^[0-9A-Za-z:_.-]*$/;

// Like the engine, this treats decky and destination refs as immutable once built.
const objectJson = new WeakMap<object, string>();

function cached(o: object): string {
  let s = objectJson.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    objectJson.set(o, s);
  }
  return s;
}

/** A JSON string literal; plain identifiers (ids, times, topics, actions) skip the escaper. */
function str(s: string): string {
  return SAFE.test(s) ? `"${s}"` : JSON.stringify(s);
}

interface Tail {
  action: string;
  reason: string;
  json: string;
}

// Quiet tails by decky ref: a short list, one per (action, reason).
const quietTails = new WeakMap<object, Tail[]>();

function head(ev: TimelineEvent): string {
  return `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick}`;
}

function trafficTail(ev: TimelineEvent): string {
  const t = ev.traffic!;
  return `,"decky":${cached(ev.decky)},"kind":"traffic","action":${str(ev.action)},"topic":${str(ev.topic!)},"traffic":{"src":${cached(t.src)},"dst":${cached(t.dst)},"port":${t.port}}}`;
}

function quietTail(ev: TimelineEvent): string {
  let list = quietTails.get(ev.decky);
  if (list === undefined) quietTails.set(ev.decky, (list = []));
  for (const t of list) if (t.action === ev.action && t.reason === ev.reason) return t.json;
  const t = { action: ev.action, reason: ev.reason!, json: `,"decky":${JSON.stringify(ev.decky)},"kind":"quiet","action":${JSON.stringify(ev.action)},"reason":${JSON.stringify(ev.reason)}}` };
  if (list.length < 8) list.push(t);
  return t.json;
}

export function encodeEvent(ev: TimelineEvent): string {
  if (ev.kind === 'quiet' && typeof ev.reason === 'string' && Number.isInteger(ev.tick) && SAFE.test(ev.id) && SAFE.test(ev.at) && onlyKeys(ev, QUIET_KEYS)) {
    return head(ev) + quietTail(ev);
  }
  if (ev.kind === 'traffic' && typeof ev.topic === 'string' && Number.isInteger(ev.tick) && SAFE.test(ev.id) && SAFE.test(ev.at) && onlyKeys(ev, TRAFFIC_KEYS) && plainTraffic(ev.traffic)) {
    return head(ev) + trafficTail(ev);
  }
  return JSON.stringify(ev);
}

const QUIET_KEYS = ['id', 'at', 'tick', 'decky', 'kind', 'action', 'reason'];
const TRAFFIC_KEYS = ['id', 'at', 'tick', 'decky', 'kind', 'action', 'topic', 'traffic'];

const ROUTE_KEYS = ['src', 'dst', 'port'];

function plainTraffic(t: TimelineEvent['traffic']): boolean {
  return typeof t === 'object' && t !== null && typeof t.src === 'object' && t.src !== null && typeof t.dst === 'object' && t.dst !== null && Number.isInteger(t.port) && onlyKeys(t, ROUTE_KEYS);
}

function onlyKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) if (keys[i++] !== k) return false;
  return i === keys.length;
}

export type { DeckyRef };
