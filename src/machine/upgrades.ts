// unattended-upgrades, as Debian 12 runs it from apt-daily-upgrade.service every morning: its own
// log (Python's logging format, to the millisecond) says what it was allowed to take and what it
// found; on the morning after the archive publishes a kernel it installs it (dpkg's output goes to
// a log of its own), finds /var/run/reboot-required, and schedules the reboot the boot model
// planned (boot.ts). The logs rotate monthly and keep six, as its logrotate file says.
import { type Rng, between } from '../rng/stream.js';
import { isoSeconds } from '../util/time.js';
import type { Boot } from './boot.js';
import { type KernelRelease, kernelName, kernelVersion } from './kernels.js';
import type { LogDef } from './logs.js';

const SEC = 1000;

export const UPGRADES_LOG = '/var/log/unattended-upgrades/unattended-upgrades.log';
export const UPGRADES_DPKG_LOG = '/var/log/unattended-upgrades/unattended-upgrades-dpkg.log';
/** apt's record of what it installed (a blank line, then `Start-Date:` to `End-Date:`), and dpkg's own log. */
export const APT_HISTORY_LOG = '/var/log/apt/history.log';
export const DPKG_LOG = '/var/log/dpkg.log';

// unattended-upgrades' logrotate file: monthly, six kept; apt's and dpkg's: monthly, twelve kept.
export const UPGRADE_LOGS: readonly LogDef[] = [
  { path: UPGRADES_LOG, cls: 'log_daemon', facilities: ['upgrades'], every: 'monthly', keep: 6, owner: 'root', mode: '0644', writer: 'unattended-upgrades' },
  { path: UPGRADES_DPKG_LOG, cls: 'log_daemon', facilities: ['upgrades-dpkg'], every: 'monthly', keep: 6, owner: 'root', mode: '0644', writer: 'unattended-upgrades' },
  { path: APT_HISTORY_LOG, cls: 'log_daemon', facilities: ['apt-history'], every: 'monthly', keep: 12, owner: 'root', mode: '0644', writer: 'apt' },
  { path: DPKG_LOG, cls: 'log_daemon', facilities: ['dpkg'], every: 'monthly', keep: 12, owner: 'root', mode: '0644', writer: 'dpkg' },
];

/** Logs whose lines between two stamped ones carry none (dpkg's output, apt's history entries). */
export function unstampedLinesAllowed(path: string): boolean {
  return path.startsWith(UPGRADES_DPKG_LOG) || path.startsWith(APT_HISTORY_LOG);
}

// The origins Debian 12's 50unattended-upgrades enables, as the script lists them.
const ORIGINS = 'origin=Debian,codename=bookworm,label=Debian, origin=Debian,codename=bookworm,label=Debian-Security, origin=Debian,codename=bookworm-security,label=Debian-Security';

/** A line as the unattended-upgrades log holds it, and the instant it was written (to the ms). */
export interface UpgradeLine {
  ms: number;
  facility: 'upgrades' | 'upgrades-dpkg' | 'apt-history' | 'dpkg';
  text: string;
}

/** `2026-01-05 06:31:54,123`: Python's logging asctime (UTC: deckies keep UTC). */
function asctime(ms: number): string {
  const iso = isoSeconds(ms);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${String(ms % 1000).padStart(3, '0')}`;
}

/** `2026-01-05  06:31:54`: dpkg's log stamp (two spaces). */
function dpkgStamp(ms: number): string {
  const s = asctime(ms);
  return `${s.slice(0, 10)}  ${s.slice(11, 19)}`;
}

/**
 * The lines of one run that starts at `at` (whole second) on `boot`, and how long the run took.
 * A run that installs the next kernel is the one the boot model scheduled.
 */
export function upgradeRun(r: Rng, at: number, boot: Boot, dbFiles: number): { lines: UpgradeLine[]; lengthMs: number } {
  const lines: UpgradeLine[] = [];
  // Lines of one second come some milliseconds apart.
  let t = at + between(r, 1, 3) * SEC + between(r, 40, 700);
  const log = (msg: string, gapMs = between(r, 0, 2)): void => {
    t += gapMs;
    lines.push({ ms: t, facility: 'upgrades', text: `${asctime(t)} ${msg}\n` });
  };
  log('INFO Checking if system is running on battery is skipped. Please install powermgmt-base package to check power status and skip installing updates when the system is running on battery.', 0);
  log('INFO Starting unattended upgrades script');
  log(`INFO Allowed origins are: ${ORIGINS}`);
  log('INFO Initial blacklist: ');
  log('INFO Initial whitelist (not strict): ');
  if (boot.upgrade.ms !== at) {
    log('INFO No packages found that can be upgraded unattended and no pending auto-removals', between(r, 1500, 8000));
    return { lines, lengthMs: t - at + between(r, 200, 900) };
  }
  log('INFO Packages that will be upgraded: linux-image-amd64', between(r, 2500, 9000));
  log(`INFO Writing dpkg log to ${UPGRADES_DPKG_LOG}`);
  const started = t + between(r, 300, 2000);
  const end = at + boot.upgrade.lengthMs - between(r, 1, 3) * SEC;
  lines.push({ ms: end, facility: 'upgrades-dpkg', text: dpkgLog(boot.kernel, boot.upgrade.kernel, started, end, dbFiles) });
  lines.push(...dpkgStatus(r, boot.kernel, boot.upgrade.kernel, started, end));
  const [n, nv, cv] = [kernelName(boot.upgrade.kernel), kernelVersion(boot.upgrade.kernel), kernelVersion(boot.kernel)];
  lines.push({ ms: end, facility: 'apt-history', text: `\nStart-Date: ${dpkgStamp(started)}\nInstall: linux-image-${n}:amd64 (${nv}, automatic)\nUpgrade: linux-image-amd64:amd64 (${cv}, ${nv})\nEnd-Date: ${dpkgStamp(end)}\n` });
  t = end;
  log('INFO All upgrades installed', between(r, 200, 900));
  log('WARNING Found /var/run/reboot-required, rebooting', between(r, 5, 60));
  return { lines, lengthMs: boot.upgrade.lengthMs };
}

/** dpkg's own log of the same install: its status changes, each stamped to the second. */
function dpkgStatus(r: Rng, cur: KernelRelease, next: KernelRelease, started: number, ended: number): UpgradeLine[] {
  const img = `linux-image-${kernelName(next)}:amd64`;
  const meta = 'linux-image-amd64:amd64';
  const [nv, cv] = [kernelVersion(next), kernelVersion(cur)];
  const out: UpgradeLine[] = [];
  const at = (ms: number, text: string): void => {
    const s = asctime(ms);
    out.push({ ms: Math.floor(ms / SEC) * SEC, facility: 'dpkg', text: `${s.slice(0, 19)} ${text}\n` });
  };
  const unpack = started + between(r, 1, 2) * SEC;
  const unpacked = unpack + between(r, 3, 8) * SEC;
  // Configuring the image runs update-initramfs and update-grub: most of the install.
  const configured = Math.max(unpacked + SEC, ended - between(r, 1, 2) * SEC);
  at(unpack, 'startup archives unpack');
  at(unpack, `install ${img} <none> ${nv}`);
  at(unpack, `status half-installed ${img} ${nv}`);
  at(unpacked, `status unpacked ${img} ${nv}`);
  at(unpacked, `upgrade ${meta} ${cv} ${nv}`);
  at(unpacked, `status half-configured ${meta} ${cv}`);
  at(unpacked, `status unpacked ${meta} ${cv}`);
  at(unpacked, `status half-installed ${meta} ${cv}`);
  at(unpacked, `status unpacked ${meta} ${nv}`);
  at(unpacked + SEC, 'startup packages configure');
  at(unpacked + SEC, `configure ${img} ${nv} <none>`);
  at(unpacked + SEC, `status unpacked ${img} ${nv}`);
  at(unpacked + SEC, `status half-configured ${img} ${nv}`);
  at(configured, `status installed ${img} ${nv}`);
  at(configured, `configure ${meta} ${nv} <none>`);
  at(configured, `status unpacked ${meta} ${nv}`);
  at(configured, `status half-configured ${meta} ${nv}`);
  at(configured, `status installed ${meta} ${nv}`);
  return out;
}

/** What dpkg printed installing `next` over `cur` (written as one block when it ends). */
function dpkgLog(cur: KernelRelease, next: KernelRelease, started: number, ended: number, dbFiles: number): string {
  const [n, nv, c, cv] = [kernelName(next), kernelVersion(next), kernelName(cur), kernelVersion(cur)];
  return [
    `Log started: ${dpkgStamp(started)}`,
    `Selecting previously unselected package linux-image-${n}.`,
    `(Reading database ... ${dbFiles} files and directories currently installed.)`,
    `Preparing to unpack .../linux-image-${n}_${nv}_amd64.deb ...`,
    `Unpacking linux-image-${n} (${nv}) ...`,
    `Preparing to unpack .../linux-image-amd64_${nv}_amd64.deb ...`,
    `Unpacking linux-image-amd64 (${nv}) over (${cv}) ...`,
    `Setting up linux-image-${n} (${nv}) ...`,
    `I: /vmlinuz.old is now a symlink to boot/vmlinuz-${c}`,
    `I: /initrd.img.old is now a symlink to boot/initrd.img-${c}`,
    `I: /vmlinuz is now a symlink to boot/vmlinuz-${n}`,
    `I: /initrd.img is now a symlink to boot/initrd.img-${n}`,
    '/etc/kernel/postinst.d/initramfs-tools:',
    `update-initramfs: Generating /boot/initrd.img-${n}`,
    '/etc/kernel/postinst.d/zz-update-grub:',
    'Generating grub configuration file ...',
    `Found linux image: /boot/vmlinuz-${n}`,
    `Found initrd image: /boot/initrd.img-${n}`,
    `Found linux image: /boot/vmlinuz-${c}`,
    `Found initrd image: /boot/initrd.img-${c}`,
    'done',
    `Setting up linux-image-amd64 (${nv}) ...`,
    `Log ended: ${dpkgStamp(ended)}`,
    '',
  ].join('\n') + '\n';
}
