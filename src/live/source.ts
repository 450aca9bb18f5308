// Where a live run's events come from: the pure planner (plan flags) or a recorded timeline
// file. A timeline is checked whole before anything runs: structure, order, ids, content hashes,
// paths and, when it was written by this engine version, event by event against a re-plan of its
// header. Any defect is an input error (exit 2) and nothing is touched.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InputError } from '../errors.js';
import { inputsFromHeader } from '../inputs/resolve.js';
import type { Decky, PlanInputs } from '../inputs/types.js';
import { buildContext } from '../sim/context.js';
import { planEvents } from '../sim/plan.js';
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
    if (ev.kind === 'file') {
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

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Open and check a recorded timeline; the returned source re-reads the (checked) file. */
export async function timelineSource(file: string): Promise<EventSource> {
  const fileSha = await fileSha256(file).catch(() => null);
  const reader = await openTimeline(file);
  const h = reader.header;
  const inputs = inputsFromHeader(file, h.inputs);
  const inputsSha256 = sha256Hex(JSON.stringify(inputs));
  if (h.inputsSha256 !== inputsSha256) throw new InputError(`${file}: header.inputsSha256 does not match header.inputs (edited?)`);
  checkFleetForLive(inputs, file);
  const deckies = deckyMap(inputs);
  const warnings: string[] = [];
  const replan = h.engineVersion === ENGINE_VERSION && h.generatorVersion === GENERATOR_VERSION;
  if (!replan) warnings.push(`${file} was recorded by engine ${h.engineVersion} (generator ${h.generatorVersion}); it is checked for integrity but not re-planned`);
  const expected = replan ? planSource(h.seed, inputs).events() : null;
  const ids = new Set<string>();
  let n = 0;
  let last = -Infinity;
  let lastKey = '';
  for await (const ev of reader.events()) {
    n++;
    checkEventForLive(file, n, ev, deckies);
    if (ids.has(ev.id)) throw new InputError(`${file}: event ${n}: duplicate id ${ev.id}`);
    ids.add(ev.id);
    const t = Date.parse(ev.at);
    const key = `${ev.decky.uuid}\u0000${String(ev.tick).padStart(12, '0')}`;
    if (t < last || (t === last && key < lastKey)) throw new InputError(`${file}: event ${n} (${ev.id}) is out of order`);
    last = t;
    lastKey = key;
    if (expected) {
      const want = await expected.next();
      if (want.done || JSON.stringify(want.value) !== JSON.stringify(ev)) {
        throw new InputError(`${file}: event ${n} (${ev.id}) is not what the header's seed and inputs produce (tampered?)`);
      }
    }
  }
  if (expected && !(await expected.next()).done) throw new InputError(`${file}: the timeline ends early (truncated?)`);
  return {
    kind: 'timeline',
    seed: h.seed,
    inputs,
    inputsSha256,
    deckies,
    startMs: Date.parse(inputs.start),
    endMs: Date.parse(inputs.end),
    warnings,
    async *events() {
      if ((await fileSha256(file).catch(() => null)) !== fileSha) throw new InputError(`${file}: the file changed after it was checked`);
      const r = await openTimeline(file);
      yield* r.events();
    },
  };
}
