// The intruder's view of a timeline: what is on each decky's disk once the events up to some
// point have run. Pure: events in, per-decky file trees out (final bodies, modes, owners,
// mtimes). Tests run `ls`, `find` and `sort` against a tree written out; `bake` writes the same
// trees into image layers; `check` can ask what a path holds. Directories are implied by paths.
//
//   const m = new Materialiser();
//   for (const ev of events) m.apply(ev);        // or materialise(events)
//   for (const tree of m.trees()) for (const f of tree.files) ... f.path, f.body(), f.mtimeMs
//
// apply() throws MaterialiseError on an event that cannot happen on the tree as it stands (an
// edit or rename of a missing file, a create over an existing one, a rename onto a taken path):
// a consistent timeline never does that.
import type { ContentClass } from '../inputs/types.js';
import type { CanaryRef, Content, DeckyRef, TimelineEvent } from './types.js';

export interface MaterialFile {
  path: string;
  contentClass: ContentClass;
  /** Login or `root`. */
  owner: string;
  /** Octal string such as `0644`. */
  mode: string;
  mtime: string;
  mtimeMs: number;
  /** The final body as the timeline carries it (decode with bodyOf). */
  content: Content;
  persona?: string;
  canary?: CanaryRef;
  /** Event id of the last create or edit. */
  lastEventId: string;
}

export interface DeckyTree {
  decky: DeckyRef;
  /** Every file, sorted by path (byte order). */
  files: MaterialFile[];
}

export class MaterialiseError extends Error {}

/** The bytes of a body. */
export function bodyOf(c: Content): Buffer {
  return Buffer.from(c.data, c.encoding === 'base64' ? 'base64' : 'utf8');
}

export class Materialiser {
  private readonly byDecky = new Map<string, { decky: DeckyRef; files: Map<string, MaterialFile> }>();

  /** The files of one decky (by uuid) as they stand, keyed by path. */
  files(uuid: string): ReadonlyMap<string, MaterialFile> {
    return this.byDecky.get(uuid)?.files ?? new Map();
  }

  apply(ev: TimelineEvent): void {
    if (ev.kind !== 'file') return;
    let d = this.byDecky.get(ev.decky.uuid);
    if (!d) this.byDecky.set(ev.decky.uuid, (d = { decky: { uuid: ev.decky.uuid, name: ev.decky.name }, files: new Map() }));
    const path = ev.path!;
    const cur = d.files.get(path);
    const fail = (why: string): never => {
      throw new MaterialiseError(`event ${ev.id} on ${ev.decky.name}: ${ev.action} ${path}: ${why}`);
    };
    switch (ev.action) {
      case 'file:create':
      case 'file:edit': {
        if (ev.action === 'file:create' && cur) fail('the path already holds a file');
        if (ev.action === 'file:edit' && !cur) fail('no such file');
        const f: MaterialFile = {
          path,
          contentClass: ev.contentClass!,
          owner: ev.owner ?? cur?.owner ?? 'root',
          mode: ev.mode ?? cur?.mode ?? '0644',
          mtime: ev.mtime ?? ev.at,
          mtimeMs: Date.parse(ev.mtime ?? ev.at),
          content: ev.content!,
          lastEventId: ev.id,
        };
        const persona = ev.persona ?? cur?.persona;
        if (persona !== undefined) f.persona = persona;
        const canary = ev.canary ?? cur?.canary;
        if (canary !== undefined) f.canary = canary;
        d.files.set(path, f);
        // Files planted with a lure: same owner, their own mode, body and (generator 20 on) mtime.
        for (const c of ev.companions ?? []) {
          if (d.files.has(c.path)) fail(`companion ${c.path} already holds a file`);
          const own = c.mtime === undefined ? {} : { mtime: c.mtime, mtimeMs: Date.parse(c.mtime) };
          d.files.set(c.path, { ...f, path: c.path, mode: c.mode, ...own, content: c.content });
        }
        return;
      }
      case 'file:rename': {
        if (!cur) fail('no such file');
        const to = ev.to!;
        if (d.files.has(to)) fail(`the target ${to} already holds a file`);
        d.files.delete(path);
        d.files.set(to, { ...cur!, path: to });
        return;
      }
      case 'file:delete':
        if (!cur) fail('no such file');
        d.files.delete(path);
        return;
      default:
        fail('not a file action');
    }
  }

  /** Every decky that has files, by uuid, each with its files sorted by path. */
  trees(): DeckyTree[] {
    const out: DeckyTree[] = [];
    for (const uuid of [...this.byDecky.keys()].sort()) {
      const d = this.byDecky.get(uuid)!;
      const files = [...d.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      out.push({ decky: d.decky, files });
    }
    return out;
  }
}

/** The trees the events leave behind. */
export function materialise(events: Iterable<TimelineEvent>): DeckyTree[] {
  const m = new Materialiser();
  for (const ev of events) m.apply(ev);
  return m.trees();
}
