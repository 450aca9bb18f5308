// SSH banner probes between deckies, seen from both ends (issue 12 item 5).
//
// A decky's tick may be a probe of a peer's sshd (`exec:tcp_connect:22`); the peer's sshd logs
// the connection. The destination must not read the source's simulation (a shard plans only
// some deckies, and adding a decky may change the others only in what lists the fleet), so
// this module re-derives every source's probes from pure facts: a decky's ticks are the horizon
// start plus cumulative exponentials of its own `clock` stream, and whether a tick is a probe,
// and of which peer, follows from the first draws of that tick's decide stream and the
// personas' calendars. `probeRoute` is the one rule both the source (DeckySim.step) and this
// model apply, so the two cannot disagree.
//
// The model is lazy: it runs every source's ticks forward only as far as a destination asks
// (in chunks), and keeps, per destination planned here, the probes not yet written to its
// auth.log: memory follows the fleet, not the horizon.
import type { Decky } from '../inputs/types.js';
import { type AleaStream, aleaFromState } from '../rng/alea.js';
import { type Rng, StreamFamily, between, exponential, fastStream, fmix } from '../rng/stream.js';
import { untaken } from '../util/queue.js';
import { presenceSalt } from '../world/calendar.js';
import { type SimContext, isSsh } from './context.js';
import { Schedule, TrafficShare } from './schedule.js';

/** Linux's default ephemeral port range (net.ipv4.ip_local_port_range). */
const EPHEMERAL_LO = 32_768;
const EPHEMERAL_HI = 60_999;
/** How far past a request the sources are run at once (one pass over the fleet per chunk). */
const CHUNK_MS = 20 * 60_000;

/** One probe as its destination's sshd sees it. */
export interface InboundProbe {
  /** The tick's instant (the source's `at`). */
  ms: number;
  /** When sshd logs it: the same second or the next. */
  lineMs: number;
  /** The source decky's address and the client's ephemeral port. */
  address: string;
  port: number;
  /** A person's typed `ssh <peer>`: who logs in (they have an account here), else null. */
  login: string | null;
  /** With `login`: when they log out again. */
  endMs: number;
}

/** Of the connections a present person's decky makes, the share they type (the rest are tools and jobs). */
export const TYPED_SHARE = 0.15;

/**
 * The client's side of a probe, drawn on the tick's decide stream right after probeRoute by
 * the source and by the destination's model alike: its ephemeral port, whether sshd logs it a
 * second later, the draw that says whether it is typed, and how long a typed session lasts.
 */
export function probeClient(r: Rng, ms: number): { port: number; lineMs: number; typed: number; lengthMs: number } {
  const port = between(r, EPHEMERAL_LO, EPHEMERAL_HI);
  const lineMs = ms + (r() < 0.3 ? 1000 : 0);
  const typed = r();
  // A hop to look at something: under a minute to most of an hour, mostly a few minutes.
  const lengthMs = Math.round(Math.min(55 * 60, 25 + exponential(r, 6 * 60)) * 1000);
  return { port, lineMs, typed, lengthMs };
}

/**
 * Who is at the keyboard for a probe at `ms` that its draw says is typed: one of the logins
 * present on the source (`here`, in its personas' order), picked by the second; null when the
 * connection is a tool's. Whether they have an account on the peer is not asked here: what the
 * source's people do must not depend on which peers the fleet has (see hopLogin).
 */
export function typist(here: readonly string[], ms: number, typed: number): string | null {
  if (here.length === 0 || typed >= TYPED_SHARE) return null;
  return here[Math.floor((fmix(Math.floor(ms / 1000) ^ 0x5bd1e995) / 4294967296) * here.length)]!;
}

/** Who logs in on the peer for a probe at `ms`: the typist, when they have an account there. */
export function hopLogin(here: readonly string[], ms: number, typed: number, accounts: ReadonlySet<string>): string | null {
  const login = typist(here, ms, typed);
  return login !== null && accounts.has(login) ? login : null;
}

/**
 * Whether a tick is a probe, and of which destination: an index into ctx.sshRoutes, or -1.
 * Called on the tick's decide stream right after the event id's two words. The index is
 * drawn over the peers without the decky itself (`self`: its index in ctx.sshPeers, or -1).
 */
export function probeRoute(r: Rng, share: number, peerCount: number, self: number): number {
  if (!(r() < share && peerCount > 0)) return -1;
  let i = Math.floor(r() * peerCount);
  if (self >= 0 && i >= self) i++;
  return i;
}

/** A decky's place among the traffic destinations, and how many peers it can probe. */
export function peerSlot(ctx: SimContext, decky: Decky): { self: number; peerCount: number } {
  const self = ctx.sshPeers.findIndex((d) => d.uuid === decky.uuid);
  return { self, peerCount: isSsh(decky) ? ctx.sshPeers.length - (self >= 0 ? 1 : 0) : 0 };
}

/** The share of a decky's ticks that are probes (its personas' schedules, its own jitter). */
export function trafficShareOf(ctx: SimContext, decky: Decky, schedules: readonly Schedule[]): TrafficShare {
  return new TrafficShare(schedules, presenceSalt(ctx.seed, decky.uuid, ''));
}

interface Source {
  address: string;
  /** Its personas' logins and schedules, in its personas' order, once per login. */
  people: Array<{ login: string; schedule: Schedule }>;
  clock: AleaStream;
  ticks: StreamFamily;
  share: TrafficShare;
  self: number;
  peerCount: number;
  tick: number;
  nextMs: number;
}

/** Probes waiting for one destination's machine, in (time, source uuid) order. */
export class ProbeInbox {
  /** @internal */ queue: InboundProbe[] = [];
  /** @internal */ head = 0;

  constructor(private readonly model: FleetTraffic) {}

  /** Remove and return, in order, the probes whose tick is at or before `upTo`. */
  take(upTo: number): InboundProbe[] {
    this.model.runTo(upTo);
    const q = this.queue;
    let i = this.head;
    while (i < q.length && q[i]!.ms <= upTo) i++;
    const out = q.slice(this.head, i);
    this.head = i;
    const rest = untaken(q, i);
    if (rest !== null) {
      this.queue = rest;
      this.head = 0;
    }
    return out;
  }
}

/**
 * Every SSH decky's outbound probes, delivered to the destinations planned in this process.
 * One per plan (EventCursor): its destinations register before the first event.
 */
export class FleetTraffic {
  private sources: Source[] | null = null;
  private readonly inboxes = new Map<string, ProbeInbox>();
  /** Inbox per route index (null: that destination is planned elsewhere). */
  private byRoute: Array<ProbeInbox | null> = [];
  /** Every source tick at or before this instant has been looked at. */
  private frontier: number;

  constructor(
    private readonly ctx: SimContext,
    planned: readonly Decky[],
  ) {
    this.frontier = ctx.startMs - 1;
    for (const d of planned) if (isSsh(d) && d.address !== null) this.inboxes.set(d.uuid, new ProbeInbox(this));
  }

  /** The probes bound for `uuid` (null: it cannot be a destination, or is not planned here). */
  inbox(uuid: string): ProbeInbox | null {
    return this.inboxes.get(uuid) ?? null;
  }

  private build(): Source[] {
    const { ctx } = this;
    this.byRoute = ctx.sshPeers.map((d) => this.inboxes.get(d.uuid) ?? null);
    const out: Source[] = [];
    // Sources in uuid order (ctx.sshPeers' order): probes at one instant reach a log in that order.
    // A decky without an address has none to log; its probes are left out here.
    for (const d of ctx.sshPeers) {
      const slot = peerSlot(ctx, d);
      if (slot.peerCount === 0) continue;
      // The very schedules the source builds (DeckySim), presence salt included.
      const schedules = d.personas.map((n) => new Schedule(ctx.calendars.get(n)!, presenceSalt(ctx.seed, d.uuid, n)));
      const people: Source['people'] = [];
      d.personas.forEach((n, i) => {
        const login = ctx.personas.get(n)!.login;
        if (!people.some((p) => p.login === login)) people.push({ login, schedule: schedules[i]! });
      });
      out.push({ address: d.address!, people, clock: fastStream(ctx.seed, d.uuid, 'clock'), ticks: new StreamFamily(ctx.seed, d.uuid, 'tick'), share: trafficShareOf(ctx, d, schedules), self: slot.self, peerCount: slot.peerCount, tick: -1, nextMs: NaN });
    }
    for (const s of out) s.nextMs = ctx.startMs + exponential(s.clock, ctx.inputs.interval) * 1000;
    return out;
  }

  /** Look at every source tick up to `t` (and a chunk beyond), filing probes in their inboxes. */
  runTo(t: number): void {
    if (t <= this.frontier) return;
    const sources = (this.sources ??= this.build());
    const to = Math.min(t + CHUNK_MS, this.ctx.endMs - 1);
    const fresh = new Set<ProbeInbox>();
    const decide = aleaFromState(1, 0, 0, 0);
    const { endMs } = this.ctx;
    const interval = this.ctx.inputs.interval;
    for (const s of sources) {
      while (s.nextMs <= to && s.nextMs < endMs) {
        const ms = s.nextMs;
        s.tick++;
        const r = s.ticks.restart(decide, s.tick, 0);
        r.int32(); // the event id's two words (DeckySim.base)
        r.int32();
        const route = probeRoute(r, s.share.at(ms), s.peerCount, s.self);
        const box = route >= 0 ? this.byRoute[route]! : null;
        if (box !== null) {
          const c = probeClient(r, ms);
          // Who is at the source's keyboard: the source's own rule (DeckySim.homesAfter).
          let login: string | null = null;
          if (c.typed < TYPED_SHARE) {
            const here: string[] = [];
            for (const p of s.people) if (p.schedule.present(ms)) here.push(p.login);
            login = hopLogin(here, ms, c.typed, this.ctx.sshAccounts[route]!);
          }
          const probe: InboundProbe = { ms, lineMs: c.lineMs, address: s.address, port: c.port, login, endMs: c.lineMs + c.lengthMs };
          box.queue.push(probe);
          fresh.add(box);
        }
        s.nextMs = ms + exponential(s.clock, interval) * 1000;
      }
    }
    // Each inbox got this chunk's probes source by source: put them in time order (a stable
    // sort keeps the sources' uuid order at equal instants).
    for (const box of fresh) {
      const q = box.queue;
      let from = q.length;
      while (from > box.head && q[from - 1]!.ms > this.frontier) from--;
      if (q.length - from > 1) {
        const chunk = q.slice(from).sort((a, b) => a.ms - b.ms);
        for (let k = 0; k < chunk.length; k++) q[from + k] = chunk[k]!;
      }
    }
    this.frontier = to;
  }
}
