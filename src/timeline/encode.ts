// Fast encoding of the engine's events, byte-identical to JSON.stringify(event) (a property test
// checks it over many seeds, odd names and heavy canaries included).
//
// It relies on what the engine guarantees for every event it emits: keys in the SPEC 6 order
// of types.ts, `id` 16 hex digits, `job` a plain word, `at` in isoSeconds form, `mtime` and `atime` in isoNanos form, integer ticks, and decky,
// destination and route objects that never change once built. So each event is assembled from
// templates and cached pieces instead of walking the object: the JSON of each shared object is
// cached (memory grows with the fleet, not with deckies x destinations), and every free-text
// field (names, paths, logins, bodies, callbacks) still goes through JSON.stringify, except a
// body whose JSON the engine carried as it grew (a live log's appends, see jsonContent).
// Events from anywhere else (parsed, edited by hand) must be encoded with JSON.stringify.
import type { Content, TimelineEvent } from './types.js';

/** JSON of content data the engine already has (JSON.stringify(content.data), exactly). */
const dataJson = new WeakMap<Content, string>();

/** Texts decoded from a kept JSON (or assigned since): see jsonContent. */
const decoded = new WeakMap<Content, string>();

/**
 * `data` of a content known by its JSON: one accessor pair shared by all of them (an object
 * literal's own getter and setter would be two new closures per write-out of every log).
 */
const LAZY_DATA: PropertyDescriptor = {
  get(this: Content): string {
    let t = decoded.get(this);
    if (t === undefined) {
      t = JSON.parse(dataJson.get(this)!) as string;
      decoded.set(this, t);
    }
    return t;
  },
  set(this: Content, v: string) {
    decoded.set(this, v);
    dataJson.delete(this);
  },
  enumerable: true,
  configurable: true,
};

/**
 * A text content known by its JSON string (a live log's body, see util/growing.ts): `data` is
 * decoded from the JSON only if someone reads it (the planner's own output never does), and a
 * `data` assigned later (a test breaking a timeline by hand) replaces it and its JSON.
 */
export function jsonContent(json: string, bytes: number, sha256: string): Content {
  const c: Content = { encoding: 'utf8', data: '', bytes, sha256 };
  Object.defineProperty(c, 'data', LAZY_DATA);
  dataJson.set(c, json);
  return c;
}

const objectJson = new WeakMap<object, string>();

function cached(o: object): string {
  let s = objectJson.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    objectJson.set(o, s);
  }
  return s;
}

/** A string's JSON remembered against an object it belongs to (checked, so never stale). */
interface Keyed {
  value: string;
  json: string;
}

function keyed(map: WeakMap<object, Keyed[]>, owner: object, value: string, build: (json: string) => string): string {
  let list = map.get(owner);
  if (list === undefined) map.set(owner, (list = []));
  for (const k of list) if (k.value === value) return k.json;
  const k = { value, json: build(JSON.stringify(value)) };
  if (list.length < 8) list.push(k);
  return k.json;
}

// Traffic: head + before(src) + topic(dst) + middle(src) + after(dst), each piece cached.
const trafficBefore = new WeakMap<object, string>();
const trafficMiddle = new WeakMap<object, string>();
const trafficAfter = new WeakMap<object, string>();
const trafficTopic = new WeakMap<object, Keyed[]>();
const fileTopic = new WeakMap<object, Keyed[]>();
const quietTail = new WeakMap<object, Keyed[]>();

function piece(map: WeakMap<object, string>, o: object, build: (json: string) => string): string {
  let s = map.get(o);
  if (s === undefined) {
    s = build(cached(o));
    map.set(o, s);
  }
  return s;
}

function trafficJson(ev: TimelineEvent): string {
  const t = ev.traffic!;
  return (
    `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick}` +
    piece(trafficBefore, ev.decky, (d) => `,"decky":${d},"kind":"traffic","action":"exec:tcp_connect:22","topic":`) +
    keyed(trafficTopic, t.dst, ev.topic!, (topic) => `${topic},"traffic":{"src":`) +
    piece(trafficMiddle, t.src, (s) => `${s},"dst":`) +
    piece(trafficAfter, t.dst, (d) => `${d},"port":${t.port}}}`)
  );
}

function quietJson(ev: TimelineEvent): string {
  // Both reasons share the action 'leave-alone'; the tail is keyed by reason.
  return `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick}` + keyed(quietTail, ev.decky, ev.reason!, (reason) => `,"decky":${cached(ev.decky)},"kind":"quiet","action":"leave-alone","reason":${reason}}`);
}

function fileJson(ev: TimelineEvent): string {
  const c = ev.content;
  let s = `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick},"decky":${cached(ev.decky)},"kind":"file","action":"${ev.action}","topic":${keyed(fileTopic, ev.decky, ev.topic!, (t) => t)}`;
  if (ev.job !== undefined) s += `,"job":"${ev.job}"`;
  if (ev.persona !== undefined) s += `,"persona":${JSON.stringify(ev.persona)}`;
  s += `,"contentClass":"${ev.contentClass}","path":${JSON.stringify(ev.path)}`;
  if (ev.to !== undefined) s += `,"to":${JSON.stringify(ev.to)}`;
  if (c === undefined) return s + '}'; // rename, delete
  s += `,"mode":"${ev.mode}","owner":${JSON.stringify(ev.owner)},"mtime":"${ev.mtime}","atime":"${ev.atime}"`;
  s += `,"content":{"encoding":"${c.encoding}","data":${dataJson.get(c) ?? JSON.stringify(c.data)},"bytes":${c.bytes},"sha256":"${c.sha256}"}`;
  if (ev.previousSha256 !== undefined) s += `,"previousSha256":"${ev.previousSha256}"`;
  if (ev.canary !== undefined) s += `,"canary":${JSON.stringify(ev.canary)}`;
  if (ev.companions !== undefined) s += `,"companions":${JSON.stringify(ev.companions)}`;
  return s + '}';
}

/** The JSON of an event exactly as the engine emitted it (see the top of this file). */
export function encodeEngineEvent(ev: TimelineEvent): string {
  return ev.kind === 'traffic' ? trafficJson(ev) : ev.kind === 'quiet' ? quietJson(ev) : fileJson(ev);
}
