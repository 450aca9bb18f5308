// The timers systemd runs on every decky (Debian 12's units): each fires once a day (or week) at
// an instant drawn per decky and day inside its window. Pure: the machine's producers and the
// boot model (which reboots after the upgrade run installs a kernel) ask the same instants.
import { indexedStream } from '../rng/stream.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A systemd timer: a service that runs at a time drawn per day inside a window. */
export interface Timer {
  unit: string;
  description: string;
  /** Window start (ms after UTC midnight) and length. */
  from: number;
  span: number;
  /** Days of the week it runs (0 = Sunday); null every day. */
  dow: number | null;
}

export const TIMERS: readonly Timer[] = [
  { unit: 'apt-daily.service', description: 'Daily apt download activities', from: 6 * HOUR, span: 60 * MIN, dow: null },
  { unit: 'apt-daily.service', description: 'Daily apt download activities', from: 17 * HOUR, span: 120 * MIN, dow: null },
  { unit: 'apt-daily-upgrade.service', description: 'Daily apt upgrade and clean activities', from: 6 * HOUR + 10 * MIN, span: 50 * MIN, dow: null },
  { unit: 'man-db.service', description: 'Daily man-db regeneration', from: 1 * HOUR, span: 90 * MIN, dow: null },
  { unit: 'systemd-tmpfiles-clean.service', description: 'Cleanup of Temporary Directories', from: 9 * HOUR, span: 4 * HOUR, dow: null },
  { unit: 'fstrim.service', description: 'Discard unused blocks on filesystems from /etc/fstab', from: 0, span: 100 * MIN, dow: 1 },
];

/** The apt-daily-upgrade run (unattended-upgrades installs what the archive published). */
export const UPGRADE_TIMER = TIMERS.findIndex((t) => t.unit === 'apt-daily-upgrade.service');

/** Timer i's run on UTC day d (null: it does not run that day). */
export function timerInstant(seed: string, uuid: string, i: number, d: number): number | null {
  const tm = TIMERS[i]!;
  if (tm.dow !== null && new Date(d * DAY).getUTCDay() !== tm.dow) return null;
  return d * DAY + tm.from + Math.floor(indexedStream(d, seed, uuid, 'timer', i)() * tm.span / SEC) * SEC;
}

/** The first run of timer i strictly after t. */
export function timerAfter(seed: string, uuid: string, i: number, t: number): number {
  for (let d = Math.floor(t / DAY); ; d++) {
    const at = timerInstant(seed, uuid, i, d);
    if (at !== null && at > t) return at;
  }
}
