// A decky's boots and the processes they start (one fact, one owner: every log line that names
// a daemon's PID asks this model). Each boot has a seeded instant, a kernel, and one PID per
// long-running daemon that holds until the next boot; short-lived processes (cron jobs, ssh
// sessions, sudo) take fresh, increasing PIDs from the boot's counter, asked in time order.
// Connections other deckies open to sshd take PIDs too, from a lane of the counter the
// machine's own processes skip (see inboundPid), so adding a decky to the fleet moves no PID of
// a cron job or a session.
// The first boot is before the horizon. Later ones follow Debian's kernel updates: the morning
// after the archive publishes a new kernel, unattended-upgrades (the apt-daily-upgrade run)
// installs it and schedules a reboot for its Automatic-Reboot-Time, a fixed time of night per
// decky; the machine logs all of it (machine.ts).
import { type Rng, between, fmix, stream } from '../rng/stream.js';
import { APP_LOGS } from '../realism/words.js';
import { fnv1a } from '../util/hash.js';
import { type KernelRelease, kernelAfter, kernelAt } from './kernels.js';
import { UPGRADE_TIMER, timerAfter } from './timers.js';

/** Long-running daemons in the order systemd starts them (their PIDs ascend in that order). */
export const DAEMONS = ['systemd-journald', 'systemd-udevd', 'systemd-timesyncd', 'dbus-daemon', 'systemd-logind', 'rsyslogd', 'cron', 'sshd'] as const;
export type Daemon = (typeof DAEMONS)[number];

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Highest PID before the counter wraps (the 64-bit default of kernel.pid_max). */
const PID_MAX = 4_194_304;

export interface Boot {
  index: number;
  ms: number;
  /** The next boot's instant. */
  endMs: number;
  /** The shutdown that ends this boot (the machine is down from then until endMs). */
  downMs: number;
  kernel: KernelRelease;
  /** unattended-upgrades' run that installs the next boot's kernel, and how long it takes. */
  upgrade: { availMs: number; ms: number; lengthMs: number; kernel: KernelRelease };
  pids: Readonly<Record<Daemon, number>>;
  /** PIDs of application daemons by name, assigned on first ask (stable for the boot). */
  appPids: Map<string, number>;
  /** Next short-lived PID and the time it was last advanced. */
  nextPid: number;
  pidAtMs: number;
  rng: Rng;
  /** Keys the lane of PIDs left to inbound connections (inboundLane). */
  laneKey: number;
  /** The machine's own processes started lately: (ms, pid) pairs (null: not recorded). */
  recent: number[] | null;
  /** The last PID an inbound connection took (0: none yet). */
  inboundPid: number;
}

export class BootModel {
  private readonly seed: string;
  private readonly uuid: string;
  private readonly boots: Boot[] = [];
  /** Automatic-Reboot-Time: ms after UTC midnight (deckies keep UTC). */
  readonly rebootAt: number;
  /** Whether boots record their processes' PIDs for inbound connections (see inboundPid). */
  private recording = false;

  /** `startMs`: the horizon start; the first boot is 2 to 45 days before it. */
  constructor(seed: string, uuid: string, startMs: number, avoid: { fromMin: number; toMin: number } | null = null) {
    this.seed = seed;
    this.uuid = uuid;
    const r = stream(seed, uuid, 'boot', 0);
    const first = startMs - between(r, 2 * 86_400, 45 * 86_400) * 1000;
    // Admins write a round time: 02:00 to 05:30, on the hour or the half hour, clear of a job
    // that must not be cut short (minutes of the day).
    const times = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => 2 * 60 + 30 * k).filter((m) => avoid === null || m < avoid.fromMin || m > avoid.toMin);
    this.rebootAt = times[between(stream(seed, uuid, 'upgrades', 'reboot-time'), 0, times.length - 1)]! * MIN;
    // Installed when the machine was set up: the kernel the archive had a couple of days before.
    this.boots.push(this.make(0, first, kernelAt(first - 2 * DAY)));
  }

  private make(index: number, ms: number, kernel: KernelRelease): Boot {
    const r = stream(this.seed, this.uuid, 'boot', index, 'pids');
    const pids = {} as Record<Daemon, number>;
    let pid = between(r, 180, 330);
    for (const d of DAEMONS) {
      pids[d] = pid;
      pid += between(r, 8, 90);
    }
    // The next kernel reaches the mirror some hours into its publication day (never before this
    // boot has settled); the next upgrade run installs it; the reboot waits for the night.
    const u = stream(this.seed, this.uuid, 'boot', index, 'upgrade');
    const next = kernelAfter(kernel.abi);
    const availMs = Math.max(next.ms + between(u, 8, 30) * HOUR, ms + 10 * MIN);
    const upgradeMs = timerAfter(this.seed, this.uuid, UPGRADE_TIMER, availMs);
    const lengthMs = between(u, 45, 160) * SEC;
    let downMs = Math.floor(upgradeMs / DAY) * DAY + this.rebootAt;
    while (downMs <= upgradeMs + lengthMs) downMs += DAY;
    const endMs = downMs + between(u, 20, 90) * SEC;
    const laneKey = stream(this.seed, this.uuid, 'boot', index, 'lanes').int32() >>> 0;
    return { index, ms, endMs, downMs, kernel, upgrade: { availMs, ms: upgradeMs, lengthMs, kernel: next }, pids, appPids: new Map(), nextPid: pid + between(r, 200, 900), pidAtMs: ms + 60_000, rng: r, laneKey, recent: this.recording ? [] : null, inboundPid: 0 };
  }

  /** From now on, boots record the PIDs their processes take (a machine that logs inbound probes). */
  record(): void {
    this.recording = true;
    for (const b of this.boots) b.recent ??= [];
  }

  /** The boot running at t (boots are made as time reaches them; old ones are dropped). */
  at(t: number): Boot {
    let last = this.boots[this.boots.length - 1]!;
    while (t >= last.endMs) {
      last = this.make(last.index + 1, last.endMs, last.upgrade.kernel);
      this.boots.push(last);
      // A few kept: the pre-history asks about boots weeks back (the boot at t for any t since).
      if (this.boots.length > 4) this.boots.shift();
    }
    for (let i = this.boots.length - 1; i >= 0; i--) if (this.boots[i]!.ms <= t) return this.boots[i]!;
    return this.boots[0]!;
  }

  /** The first boot instant after t. */
  nextBootAfter(t: number): number {
    return this.at(t).endMs;
  }
}

/** Seconds since boot as the kernel prints them: `[  12345.678901]`. */
export function uptimeStamp(boot: Boot, t: number, micro: number): string {
  const s = Math.floor((t - boot.ms) / 1000);
  return `[${String(s).padStart(5, ' ')}.${String(micro).padStart(6, '0')}]`;
}

/**
 * A fresh PID for a process started at t (t never decreases between calls on one boot): other
 * processes fork in between at a machine's usual pace, so the counter moves on by a few per
 * minute, and wraps at pid_max as Linux does.
 */
export function freshPid(boot: Boot, t: number): number {
  const idleMin = Math.max(0, (t - boot.pidAtMs) / 60_000);
  boot.pidAtMs = Math.max(boot.pidAtMs, t);
  boot.nextPid += 1 + Math.floor(idleMin * (1 + boot.rng() * 3));
  if (boot.nextPid >= PID_MAX) boot.nextPid = 300 + (boot.nextPid % 1000);
  while (inboundLane(boot, boot.nextPid)) boot.nextPid++;
  boot.recent?.push(t, boot.nextPid);
  return boot.nextPid;
}

/**
 * Whether PID n is left to connections from outside (a third of the numbers, scattered by a
 * per-boot hash): the machine's own processes never take one, inbound connections take only
 * those, so neither moves the other's numbers.
 */
export function inboundLane(boot: Boot, n: number): boolean {
  return fmix((n ^ boot.laneKey) >>> 0) % 3 === 0;
}

/**
 * The PID of sshd's child for a connection accepted at t (t non-decreasing between calls on a
 * boot): the next inbound-lane number above the machine's last process started at or before t
 * and above the previous connection's. Forgets the processes recorded before t but the last.
 */
export function inboundPid(boot: Boot, t: number): number {
  const rec = boot.recent ?? [];
  forgetBefore(boot, t);
  let floor = boot.pids.sshd + 640; // above any application daemon's PID (appPid)
  if (rec.length >= 2 && rec[0]! <= t && rec[1]! > floor) floor = rec[1]!;
  let pid = Math.max(floor, boot.inboundPid) + 1;
  while (!inboundLane(boot, pid)) pid++;
  boot.inboundPid = pid;
  return pid;
}

/** Drop recorded processes started at or before t except the last of them. */
export function forgetBefore(boot: Boot, t: number): void {
  const rec = boot.recent;
  if (rec === null) return;
  let k = 0;
  while (k + 2 < rec.length && rec[k + 2]! <= t) k += 2;
  if (k > 0) rec.splice(0, k);
}

/**
 * mariadbd's PID for a boot: the machine takes it from the boot's counter when it writes the
 * server's start (machine.ts); a boot whose start lies before the kept logs gets one below the
 * counter's first number (so no later process of that boot takes it), above nginx's band.
 */
export function mariadbPid(boot: Boot): number {
  let pid = boot.appPids.get('mariadbd');
  if (pid === undefined) {
    pid = boot.pids.sshd + 198 + (fnv1a('mariadbd', 2166136261 ^ boot.index) % 6);
    boot.appPids.set('mariadbd', pid);
  }
  return pid;
}

/**
 * nginx's two worker PIDs for a boot: its master (which forks them next) sits in a band of its
 * own above the applications' and below the first PID a short-lived process takes.
 */
export function nginxWorkers(boot: Boot): readonly [number, number] {
  let master = boot.appPids.get('nginx');
  if (master === undefined) {
    master = boot.pids.sshd + 190 + (fnv1a('nginx', 2166136261 ^ boot.index) % 5);
    boot.appPids.set('nginx', master);
  }
  return [master + 1, master + 2];
}

/** A long-running application daemon's PID for this boot (assigned when first asked). */
export function appPid(boot: Boot, app: string): number {
  let p = boot.appPids.get(app);
  if (p === undefined) {
    // From the name, not from the stream: the PID must not depend on which line asked first.
    const h = fnv1a(app, 2166136261 ^ boot.index);
    // Each application in a band of its own just above sshd, and below the first PID the boot
    // hands to short-lived processes (at least sshd + 208): no two daemons and no cron job
    // share a PID within a boot.
    const k = APP_LOGS.indexOf(app);
    p = boot.pids.sshd + 10 + (k < 0 ? APP_LOGS.length : k) * 30 + (h % 25);
    boot.appPids.set(app, p);
  }
  return p;
}

