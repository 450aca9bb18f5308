// `bake`: a timeline's history up to a bake point, as one deterministic tar layer per decky
// (`<out-dir>/<decky>.tar`), optionally built into an image per decky (the decky's base image plus
// the layer, through the decky's own Docker endpoint), and recorded in the live state so that a
// following `run` on the same timeline never applies a baked event again.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { type RawInputs, resolveInputs } from '../inputs/resolve.js';
import type { Decky } from '../inputs/types.js';
import { type EventSource, planSource, timelineSource } from '../live/source.js';
import { LiveState } from '../state/records.js';
import type { Op } from '../state/store.js';
import type { TimelineEvent } from '../timeline/types.js';
import { StateStore } from '../state/store.js';
import { isoSeconds, parseInstant } from '../util/time.js';
import { type DeckyLayer, LayerBuilder } from './layer.js';
import { buildLayered, containerImage } from './image.js';
import { packLayer } from './tar.js';
import { PROGRESS_EVERY, type ProgressFn } from '../cli/progress.js';

export interface BakeOptions {
  timeline?: string;
  seed: string;
  raw: RawInputs;
  /** Bake point (ISO); default the end of the timeline. With plan flags, the plan's --until. */
  until?: string;
  outDir: string;
  /** Record the baked events in this state file (default: none). */
  state?: string;
  force?: boolean;
  /** Image tag per decky; `{name}` is replaced by the decky's name. */
  image?: string;
  /** Base image; default the image the decky's container runs. */
  base?: string;
  err?: NodeJS.WritableStream;
  /** Progress: events read (share of the bake span), then events in the layers written. */
  progress?: ProgressFn;
  /** Wall clock for the state's bookkeeping columns (the layer never depends on it). */
  now?: () => number;
}

export interface BakedDecky {
  decky: string;
  file: string;
  tarBytes: number;
  files: number;
  bodyBytes: number;
  entries: number;
  events: number;
  image?: string;
}

export interface BakeReport {
  seed: string;
  inputsSha256: string;
  source: 'plan' | 'timeline';
  start: string;
  until: string;
  outDir: string;
  state: string | null;
  deckies: BakedDecky[];
  tarBytes: number;
  seconds: number;
}

const TAG = /^[a-z0-9][a-z0-9._/:-]{0,200}$/;

function tagFor(pattern: string, decky: Decky): string {
  const tag = pattern.replaceAll('{name}', decky.name.toLowerCase());
  if (!TAG.test(tag) || tag.includes('..') || tag.endsWith(':') || tag.endsWith('/')) throw new InputError(`--image: ${JSON.stringify(tag)} is not a valid image tag`);
  return tag;
}

/** Write a layer to `file` atomically (temporary file, fsync, rename). */
async function writeLayer(layer: DeckyLayer, file: string): Promise<number> {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const n = await packLayer(layer.entries, (chunk) => {
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
    });
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    return n;
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function openSource(o: BakeOptions): Promise<EventSource> {
  if (o.timeline) {
    const r = o.raw;
    if (r.fleet || r.personas || r.config || r.start !== undefined || r.days !== undefined || r.interval !== undefined) {
      throw new InputError('bake FILE takes the plan from the file: --fleet, --personas, --config, --start, --days and --interval do not apply');
    }
    return timelineSource(o.timeline);
  }
  const { inputs, warnings } = resolveInputs({ ...o.raw, until: o.until ?? o.raw.until });
  return planSource(o.seed, inputs, warnings);
}

export async function bake(o: BakeOptions): Promise<BakeReport> {
  const t0 = performance.now();
  const err = o.err ?? process.stderr;
  if (!existsSync(o.outDir) || !statSync(o.outDir).isDirectory()) {
    if (existsSync(o.outDir)) throw new InputError(`--out-dir: ${o.outDir} is not a folder`);
    mkdirSync(o.outDir, { recursive: true });
  }
  if (o.state !== undefined && !existsSync(dirname(o.state))) throw new InputError(`--state: the folder ${dirname(o.state)} does not exist`);
  const source = await openSource(o);
  for (const w of source.warnings) err.write(`note: ${w}\n`);
  let untilMs = source.endMs;
  if (o.until !== undefined && o.timeline) {
    const t = parseInstant(o.until);
    if (t === null) throw new InputError(`--until: expected an ISO 8601 instant, got ${JSON.stringify(o.until)}`);
    if (t < source.startMs || t > source.endMs) throw new InputError(`--until: ${o.until} is outside the timeline (${source.inputs.start} to ${source.inputs.end})`);
    untilMs = t;
  }
  const fleet = source.inputs.fleet;
  if (o.image !== undefined) {
    if (fleet.length > 1 && !o.image.includes('{name}')) throw new InputError(`--image: ${fleet.length} deckies need ${JSON.stringify('{name}')} in the tag (for example lived/{name}:1)`);
    for (const d of fleet) tagFor(o.image, d);
  }

  // The state is bound before the layers are written: a state of another run is refused first.
  let state: LiveState | null = null;
  if (o.state !== undefined) {
    const store = await StateStore.open(o.state);
    state = new LiveState(store, o.now ?? (() => Date.now()));
    try {
      state.bind({ seed: source.seed, inputsSha256: source.inputsSha256, source: source.kind, start: source.inputs.start, end: source.inputs.end, inputs: JSON.stringify(source.inputs) }, Boolean(o.force));
    } catch (e) {
      store.close({ save: false });
      throw e;
    }
  }

  try {
    const builder = new LayerBuilder(untilMs, source.startMs);
    // End exclusive in `run`'s sense: an event at the bake point itself is baked.
    const baked: Array<{ ev: TimelineEvent; ops: () => Op[] }> = [];
    const tick = o.progress ?? (() => {});
    const span = Math.max(1, untilMs - source.startMs);
    let read = 0;
    for await (const ev of source.events()) {
      if (!builder.holds(ev)) break;
      builder.apply(ev);
      if (++read % PROGRESS_EVERY === 0) tick({ done: read, fraction: (Date.parse(ev.at) - source.startMs) / span });
      if (state && !state.isDone(ev)) {
        const s = state;
        const e = ev;
        baked.push({
          ev,
          ops: () => {
            const ops: Op[] = [s.eventOp(e, 'baked', null)];
            if (e.kind === 'file') {
              if (e.action === 'file:create' || e.action === 'file:edit') ops.push(s.fileOp(e, s.lastFile(e.decky.name, e.path!)));
              else ops.push(...s.moveFileOps(e, e.action === 'file:rename' ? e.to! : null));
              if (e.canary) ops.push(s.canaryOp(e, 'planted', null));
            }
            return ops;
          },
        });
      }
    }
    const layers = builder.layers(fleet, source.inputs.personas);
    const out: BakedDecky[] = [];
    const inLayers = layers.reduce((n, l) => n + l.eventIds.length, 0);
    let written = 0;
    tick({ phase: 'layers', done: 0, total: inLayers });
    for (const layer of layers) {
      const file = join(o.outDir, `${layer.decky.name}.tar`);
      const n = await writeLayer(layer, file);
      out.push({ decky: layer.decky.name, file, tarBytes: n, files: layer.files, bodyBytes: layer.bytes, entries: layer.entries.length, events: layer.eventIds.length });
      written += layer.eventIds.length;
      tick({ phase: 'layers', done: written, total: inLayers });
    }
    if (o.image !== undefined) {
      for (let i = 0; i < layers.length; i++) {
        const d = layers[i]!.decky;
        const tag = tagFor(o.image, d);
        const base = o.base ?? (await containerImage(d));
        await buildLayered(d, base, out[i]!.file, tag);
        out[i]!.image = tag;
        err.write(`built ${tag} (${base} + ${out[i]!.file})\n`);
      }
    }
    if (state) {
      // One group per event, as a run records them (the decky's cursor moves past it, so `run`
      // never applies it again); saved once at the end.
      let recorded = 0;
      for (const b of baked) {
        state.record(b.ev, 'baked', b.ops());
        if (++recorded % PROGRESS_EVERY === 0) tick({ phase: 'state', done: recorded, total: baked.length });
      }
      state.store.save();
    }
    return {
      seed: source.seed,
      inputsSha256: source.inputsSha256,
      source: source.kind,
      start: source.inputs.start,
      until: isoSeconds(Math.floor(untilMs / 1000) * 1000),
      outDir: o.outDir,
      state: o.state ?? null,
      deckies: out,
      tarBytes: out.reduce((a, d) => a + d.tarBytes, 0),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    state?.store.close();
  }
}
