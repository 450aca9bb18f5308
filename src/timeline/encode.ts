// Fast event encoding. Traffic and quiet events (three quarters of a timeline) have a fixed
// shape made of values that never need escaping except the decky names and uuids, whose JSON is
// cached per object; file events have a fixed key order. They are assembled from templates;
// anything else goes through JSON.stringify. The bytes are identical to JSON.stringify(event)
// (a test checks it over many seeds).
import type { DeckyRef, TimelineEvent } from './types.js';

const refJson = new WeakMap<object, string>();

function cached(o: object): string {
  let s = refJson.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    refJson.set(o, s);
  }
  return s;
}

const SAFE = /^[0-9A-Za-z:_.-]*$/;

export function encodeEvent(ev: TimelineEvent): string {
  if (ev.kind === 'quiet' && ev.reason !== undefined && SAFE.test(ev.id) && SAFE.test(ev.at)) {
    return `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick},"decky":${cached(ev.decky)},"kind":"quiet","action":"${ev.action}","reason":"${ev.reason}"}`;
  }
  if (ev.kind === 'traffic' && ev.traffic !== undefined && ev.topic !== undefined && SAFE.test(ev.id) && SAFE.test(ev.at)) {
    return `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick},"decky":${cached(ev.decky)},"kind":"traffic","action":"${ev.action}","topic":${JSON.stringify(ev.topic)},"traffic":${cached(ev.traffic)}}`;
  }
  if (ev.kind === 'file' && ev.content !== undefined && SAFE.test(ev.id) && SAFE.test(ev.at) && hasOnlyFileKeys(ev)) {
    const c = ev.content;
    let s = `{"id":"${ev.id}","at":"${ev.at}","tick":${ev.tick},"decky":${cached(ev.decky)},"kind":"file","action":${JSON.stringify(ev.action)},"topic":${JSON.stringify(ev.topic)}`;
    if (ev.persona !== undefined) s += `,"persona":${JSON.stringify(ev.persona)}`;
    s += `,"contentClass":${JSON.stringify(ev.contentClass)},"path":${JSON.stringify(ev.path)},"mode":${JSON.stringify(ev.mode)},"owner":${JSON.stringify(ev.owner)},"mtime":${JSON.stringify(ev.mtime)}`;
    s += `,"content":{"encoding":${JSON.stringify(c.encoding)},"data":${JSON.stringify(c.data)},"bytes":${c.bytes},"sha256":${JSON.stringify(c.sha256)}}`;
    if (ev.previousSha256 !== undefined) s += `,"previousSha256":${JSON.stringify(ev.previousSha256)}`;
    if (ev.canary !== undefined) s += `,"canary":${JSON.stringify(ev.canary)}`;
    return s + '}';
  }
  return JSON.stringify(ev);
}

// The file-event template is only used when the event has exactly the keys the engine writes,
// in its order (anything else, such as an edited event read back, goes through JSON.stringify).
const FILE_KEYS = ['id', 'at', 'tick', 'decky', 'kind', 'action', 'topic', 'persona', 'contentClass', 'path', 'mode', 'owner', 'mtime', 'content', 'previousSha256', 'canary'];
const CONTENT_KEYS = ['encoding', 'data', 'bytes', 'sha256'];

function hasOnlyFileKeys(ev: TimelineEvent): boolean {
  let i = 0;
  for (const k in ev) {
    while (i < FILE_KEYS.length && FILE_KEYS[i] !== k) i++;
    if (i === FILE_KEYS.length) return false;
    i++;
  }
  let j = 0;
  for (const k in ev.content) if (CONTENT_KEYS[j++] !== k) return false;
  return j === 4 && typeof ev.tick === 'number' && typeof ev.content!.bytes === 'number' && typeof ev.topic === 'string' && typeof ev.path === 'string';
}

export type { DeckyRef };
