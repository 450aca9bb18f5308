// A decky's boots and the processes they start (one fact, one owner: every log line that names
// a daemon's PID asks this model). Each boot has a seeded instant, a kernel, and one PID per
// long-running daemon that holds until the next boot; short-lived processes (cron jobs, ssh
// sessions, sudo) take fresh, increasing PIDs from the boot's counter, asked in time order.
// The first boot is before the horizon; later ones come every few weeks to months (a kernel
// update), and are logged by the machine (see logs.ts).
import { type Rng, between, stream } from '../rng/stream.js';

/** Long-running daemons in the order systemd starts them (their PIDs ascend in that order). */
export const DAEMONS = ['systemd-journald', 'systemd-udevd', 'systemd-timesyncd', 'dbus-daemon', 'systemd-logind', 'rsyslogd', 'cron', 'sshd'] as const;
export type Daemon = (typeof DAEMONS)[number];

const KERNELS = ['6.1.0-18-amd64', '6.1.0-21-amd64', '6.1.0-25-amd64', '6.1.0-28-amd64', '6.1.0-31-amd64'];
/** Highest PID before the counter wraps (the 64-bit default of kernel.pid_max). */
const PID_MAX = 4_194_304;

export interface Boot {
  index: number;
  ms: number;
  /** The next boot's instant (Infinity: none planned). */
  endMs: number;
  kernel: string;
  pids: Readonly<Record<Daemon, number>>;
  /** PIDs of application daemons by name, assigned on first ask (stable for the boot). */
  appPids: Map<string, number>;
  /** Next short-lived PID and the time it was last advanced. */
  nextPid: number;
  pidAtMs: number;
  rng: Rng;
}

export class BootModel {
  private readonly seed: string;
  private readonly uuid: string;
  private readonly boots: Boot[] = [];

  /** `startMs`: the horizon start; the first boot is 2 to 45 days before it. */
  constructor(seed: string, uuid: string, startMs: number) {
    this.seed = seed;
    this.uuid = uuid;
    const r = stream(seed, uuid, 'boot', 0);
    const first = startMs - between(r, 2 * 86_400, 45 * 86_400) * 1000;
    this.boots.push(this.make(0, first, 0));
  }

  private make(index: number, ms: number, kernelIndex: number): Boot {
    const r = stream(this.seed, this.uuid, 'boot', index, 'pids');
    const pids = {} as Record<Daemon, number>;
    let pid = between(r, 180, 330);
    for (const d of DAEMONS) {
      pids[d] = pid;
      pid += between(r, 8, 90);
    }
    const gap = between(r, 25 * 86_400, 110 * 86_400) * 1000;
    return { index, ms, endMs: ms + gap, kernel: KERNELS[Math.min(kernelIndex, KERNELS.length - 1)]!, pids, appPids: new Map(), nextPid: pid + between(r, 200, 900), pidAtMs: ms + 60_000, rng: r };
  }

  /** The boot running at t (boots are made as time reaches them; old ones are dropped). */
  at(t: number): Boot {
    let last = this.boots[this.boots.length - 1]!;
    while (t >= last.endMs) {
      const r = stream(this.seed, this.uuid, 'boot', last.index + 1);
      const kernel = KERNELS.indexOf(last.kernel) + (r() < 0.6 ? 1 : 0);
      last = this.make(last.index + 1, last.endMs, kernel);
      this.boots.push(last);
      if (this.boots.length > 2) this.boots.shift();
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
  return boot.nextPid;
}

/** A long-running application daemon's PID for this boot (assigned when first asked). */
export function appPid(boot: Boot, app: string): number {
  let p = boot.appPids.get(app);
  if (p === undefined) {
    // From the name, not from the stream: the PID must not depend on which line asked first.
    let h = 2166136261 ^ boot.index;
    for (let i = 0; i < app.length; i++) h = Math.imul(h ^ app.charCodeAt(i), 16777619) >>> 0;
    p = boot.pids.sshd + 30 + (h % 600);
    boot.appPids.set(app, p);
  }
  return p;
}

