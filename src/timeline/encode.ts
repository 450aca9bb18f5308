// Fast event encoding. Traffic and quiet events (three quarters of a timeline) have a fixed
// shape: everything after `tick` depends only on objects and strings the engine shares between
// events (the decky ref, the route), so that tail is encoded once and cached per shared object.
// Everything else goes through JSON.stringify (a template for file events measured slower than
// JSON.stringify itself). The bytes are identical to JSON.stringify(event) (a test checks it
// over many seeds).
import type { DeckyRef, TimelineEvent } from './types.js';

const SAFE = /^[0-9A-Za-z:_.-]*$/;

interface Tail {
  /** The objects and strings the tail was encoded from; a hit requires all to match. */
  decky: object;
  action: string;
  more: string;
  json: string;
}

// Traffic tails by traffic ref; quiet tails by decky ref (a short list: one per action/reason).
// Like the engine, this treats decky and traffic refs as immutable once built.
const trafficTails = new WeakMap<object, Tail>();
const quietTails = new WeakMap<object, Tail[]>();

function head(ev: TimelineEvent): string {
  return `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick}`;
}

function trafficTail(ev: TimelineEvent): string {
  const traffic = ev.traffic!;
  let t = trafficTails.get(traffic);
  if (t === undefined || t.decky !== ev.decky || t.action !== ev.action || t.more !== ev.topic) {
    t = { decky: ev.decky, action: ev.action, more: ev.topic!, json: `,"decky":${JSON.stringify(ev.decky)},"kind":"traffic","action":${JSON.stringify(ev.action)},"topic":${JSON.stringify(ev.topic)},"traffic":${JSON.stringify(traffic)}}` };
    trafficTails.set(traffic, t);
  }
  return t.json;
}

function quietTail(ev: TimelineEvent): string {
  let list = quietTails.get(ev.decky);
  if (list === undefined) quietTails.set(ev.decky, (list = []));
  for (const t of list) if (t.action === ev.action && t.more === ev.reason) return t.json;
  const t = { decky: ev.decky, action: ev.action, more: ev.reason!, json: `,"decky":${JSON.stringify(ev.decky)},"kind":"quiet","action":${JSON.stringify(ev.action)},"reason":${JSON.stringify(ev.reason)}}` };
  if (list.length < 8) list.push(t);
  return t.json;
}

export function encodeEvent(ev: TimelineEvent): string {
  if (ev.kind === 'quiet' && typeof ev.reason === 'string' && Number.isInteger(ev.tick) && SAFE.test(ev.id) && SAFE.test(ev.at) && onlyKeys(ev, QUIET_KEYS)) {
    return head(ev) + quietTail(ev);
  }
  if (ev.kind === 'traffic' && ev.traffic !== undefined && typeof ev.topic === 'string' && Number.isInteger(ev.tick) && SAFE.test(ev.id) && SAFE.test(ev.at) && onlyKeys(ev, TRAFFIC_KEYS)) {
    return head(ev) + trafficTail(ev);
  }
  return JSON.stringify(ev);
}

const QUIET_KEYS = ['id', 'at', 'tick', 'decky', 'kind', 'action', 'reason'];
const TRAFFIC_KEYS = ['id', 'at', 'tick', 'decky', 'kind', 'action', 'topic', 'traffic'];

function onlyKeys(ev: TimelineEvent, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in ev) if (keys[i++] !== k) return false;
  return i === keys.length;
}

export type { DeckyRef };
