// Where a live run's events come from: always the pure planner. With plan flags it plans; with
// a recorded timeline it re-derives the plan from the file's header and checks the file against
// it, event by event, before anything runs (any defect is an input error, exit 2, and nothing
// is touched), then executes the re-derived events, never the file's.
import { InputError } from '../errors.js';
import { inputsFromHeader } from '../inputs/resolve.js';
import type { Decky, PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { planEvents } from '../sim/plan.js';
import { encodeEngineEvent } from '../timeline/encode.js';
import { headerSha256 } from '../timeline/render.js';
import { openTimeline } from '../timeline/read.js';
import type { TimelineEvent } from '../timeline/types.js';
import { sha256Hex } from '../util/hash.js';
import { ENGINE_VERSION, GENERATOR_VERSION } from '../version.js';
import { UnsafeValue, checkAddress, checkContainer, checkMode, checkOwner, checkPath, endpointArgs } from './validate.js';

export interface EventSource {
  kind: 'plan' | 'timeline';
  seed: string;
  inputs: PlanInputs;
  inputsSha256: string;
  deckies: ReadonlyMap<string, Decky>;
  startMs: number;
  endMs: number;
  warnings: string[];
  /** The events in timeline order (each call starts from the beginning). */
  events(): AsyncGenerator<TimelineEvent>;
}

function deckyMap(inputs: PlanInputs): Map<string, Decky> {
  return new Map(inputs.fleet.map((d) => [d.uuid, d]));
}

/** Decky fields that reach the docker command line, checked before anything runs. */
export function checkFleetForLive(inputs: PlanInputs, where: string): void {
  for (const d of inputs.fleet) {
    try {
      checkContainer(d.container);
      endpointArgs(d.docker);
      if (d.address !== null) checkAddress(d.address);
    } catch (e) {
      if (e instanceof UnsafeValue) throw new InputError(`${where}: decky ${d.name}: ${e.message}`);
      throw e;
    }
  }
}

export function planSource(seed: string, inputs: PlanInputs, warnings: string[] = []): EventSource {
  checkFleetForLive(inputs, 'fleet');
  const ctx = buildContext(seed, inputs);
  return {
    kind: 'plan',
    seed,
    inputs,
    inputsSha256: sha256Hex(JSON.stringify(inputs)),
    deckies: deckyMap(inputs),
    startMs: Date.parse(inputs.start),
    endMs: Date.parse(inputs.end),
    warnings: [...warnings, ...ctx.diagnostics],
    async *events() {
      const keepQuiet = inputs.quiet;
      for (const ev of planEvents(buildContext(seed, inputs))) {
        if (!keepQuiet && ev.kind === 'quiet') continue;
        yield ev;
      }
    },
  };
}

function checkEventForLive(file: string, n: number, ev: TimelineEvent, deckies: ReadonlyMap<string, Decky>): void {
  const where = `${file}: event ${n} (${ev.id})`;
  const d = deckies.get(ev.decky.uuid);
  if (!d || d.name !== ev.decky.name) throw new InputError(`${where}: decky ${JSON.stringify(ev.decky.name)} is not in the header's fleet`);
  if (Number.isNaN(Date.parse(ev.at)) || !/Z$/.test(ev.at)) throw new InputError(`${where}: at: expected an ISO 8601 UTC instant`);
  try {
    if (ev.kind === 'file' && (ev.action === 'file:rename' || ev.action === 'file:delete')) {
      checkPath(ev.path!);
      if (ev.action === 'file:rename') checkPath(ev.to ?? '');
    } else if (ev.kind === 'file') {
      const c = ev.content!;
      const bytes = Buffer.from(c.data, c.encoding === 'base64' ? 'base64' : 'utf8');
      if (c.encoding === 'base64' && bytes.toString('base64') !== c.data) throw new InputError(`${where}: content.data is not canonical base64 (edited?)`);
      if (bytes.length !== c.bytes || sha256Hex(bytes) !== c.sha256) throw new InputError(`${where}: content does not match its sha256 or size (edited or truncated?)`);
      checkPath(ev.path!);
      checkMode(ev.mode ?? '');
      checkOwner(ev.owner ?? '');
      if (ev.mtime !== undefined && Number.isNaN(Date.parse(ev.mtime))) throw new InputError(`${where}: mtime is not an instant`);
      if (ev.action === 'file:edit' && typeof ev.previousSha256 !== 'string') throw new InputError(`${where}: an edit without previousSha256`);
      if (ev.action !== 'file:create' && ev.action !== 'file:edit') throw new InputError(`${where}: a file event with action ${ev.action}`);
    } else if (ev.kind === 'traffic') {
      const t = ev.traffic;
      if (!t || typeof t.dst?.address !== 'string' || t.src?.uuid !== ev.decky.uuid) throw new InputError(`${where}: traffic event without a valid src and dst`);
      const dst = deckies.get(t.dst.uuid);
      if (!dst || dst.address !== t.dst.address) throw new InputError(`${where}: traffic destination ${JSON.stringify(t.dst.name)} does not match the header's fleet`);
      checkAddress(t.dst.address);
      if (t.port !== 22) throw new InputError(`${where}: traffic port must be 22`);
    }
  } catch (e) {
    if (e instanceof UnsafeValue) throw new InputError(`${where}: ${e.message}`);
    throw e;
  }
}

/**
 * Open and check a recorded timeline, then replay what this engine derives from its header.
 * The file is read once, here, before anything runs: a timeline recorded by another engine or
 * generator version is refused, and every event must be byte for byte what the header's seed
 * and inputs give now. The source it returns never reads the file again: it executes the
 * re-derived events, so neither an edited event (with its hashes fixed up) nor an edit of the
 * file while the run goes can put anything into a container that this engine would not plan.
 */
export async function timelineSource(file: string): Promise<EventSource> {
  const reader = await openTimeline(file);
  const h = reader.header;
  // The integrity hash covers the versions and the seed (run checks it; the review commands
  // report drift of files with edited headers instead).
  if (typeof h.headerSha256 !== 'string') throw new InputError(`${file}: header has no headerSha256 (recorded by engine ${JSON.stringify(h.engineVersion)}, generator ${h.generatorVersion}): re-plan it with this engine`);
  if (headerSha256(h) !== h.headerSha256) throw new InputError(`${file}: header.headerSha256 does not match the header (versions or seed edited?)`);
  if (h.engineVersion !== ENGINE_VERSION || h.generatorVersion !== GENERATOR_VERSION) {
    throw new InputError(
      `${file}: recorded by engine ${JSON.stringify(h.engineVersion)} (generator ${h.generatorVersion}); this engine (${ENGINE_VERSION}, generator ${GENERATOR_VERSION}) replays only what it plans itself: ` +
        `re-plan with \`decnet-sim plan\` from the same fleet, seed and dates, or replay it with engine ${JSON.stringify(h.engineVersion)}`,
    );
  }
  const inputs = inputsFromHeader(file, h.inputs);
  const inputsSha256 = sha256Hex(JSON.stringify(inputs));
  if (h.inputsSha256 !== inputsSha256) throw new InputError(`${file}: header.inputsSha256 does not match header.inputs (edited?)`);
  checkFleetForLive(inputs, file);
  const deckies = deckyMap(inputs);
  const replanned = planSource(h.seed, inputs);
  const expected = replanned.events();
  // Equality with the re-derived events implies unique ids and order; these checks only give
  // clearer messages for the common defects.
  let n = 0;
  let last = -Infinity;
  let lastKey = '';
  for await (const ev of reader.events()) {
    n++;
    checkEventForLive(file, n, ev, deckies);
    const t = Date.parse(ev.at);
    const key = `${ev.decky.uuid}\u0000${String(ev.tick).padStart(12, '0')}`;
    if (t < last || (t === last && key < lastKey)) throw new InputError(`${file}: event ${n} (${ev.id}) is out of order`);
    last = t;
    lastKey = key;
    const want = await expected.next();
    if (want.done || encodeEngineEvent(want.value) !== JSON.stringify(ev)) {
      throw new InputError(`${file}: event ${n} (${ev.id}) is not what this engine plans from the header's seed and inputs (edited?)`);
    }
  }
  if (!(await expected.next()).done) throw new InputError(`${file}: the timeline ends early (truncated?)`);
  return { ...replanned, kind: 'timeline', warnings: [] };
}
