// The kernels Debian 12 publishes, as a decky's package manager sees them arrive: one fact for
// every deployment (all machines of a release get the same kernel on the same day), so it
// depends on no seed. The ABI (the `-N` in `6.1.0-N-amd64`) and the upstream point release
// climb together; a new ABI comes about monthly. Releases up to late 2025 follow the archive's
// history; later ones continue that cadence from a fixed stream.
import { between, indexedStream } from '../rng/stream.js';

export interface KernelRelease {
  /** ABI number: the package is linux-image-6.1.0-<abi>-amd64. */
  abi: number;
  /** Upstream point release: 6.1.<patch>. */
  patch: number;
  /** Publication day (UTC midnight, ms). */
  ms: number;
}

const DAY = 86_400_000;

// ABI, upstream patch, publication day.
const KNOWN: ReadonlyArray<readonly [number, number, string]> = [
  [9, 27, '2023-05-13'], [10, 38, '2023-07-12'], [11, 38, '2023-07-30'], [12, 52, '2023-09-15'],
  [13, 55, '2023-10-07'], [15, 66, '2023-12-08'], [16, 67, '2023-12-19'], [17, 69, '2024-01-02'],
  [18, 76, '2024-02-03'], [20, 85, '2024-04-11'], [21, 90, '2024-05-18'], [22, 94, '2024-06-21'],
  [23, 99, '2024-07-20'], [25, 106, '2024-08-31'], [26, 112, '2024-10-13'], [27, 115, '2024-11-04'],
  [28, 119, '2024-11-22'], [29, 123, '2025-01-04'], [30, 124, '2025-01-11'], [31, 128, '2025-02-08'],
  [32, 129, '2025-03-01'], [33, 133, '2025-04-13'], [34, 135, '2025-04-25'], [35, 137, '2025-05-22'],
  [37, 140, '2025-06-28'], [38, 147, '2025-08-03'], [39, 148, '2025-08-20'], [40, 153, '2025-09-27'],
];

const releases: KernelRelease[] = KNOWN.map(([abi, patch, day]) => ({ abi, patch, ms: Date.parse(`${day}T00:00:00Z`) }));

/** Release i (0: the first known); later ones are made as asked, from a stream of their own. */
function release(i: number): KernelRelease {
  while (releases.length <= i) {
    const prev = releases[releases.length - 1]!;
    const r = indexedStream(releases.length, 'debian-12-kernels');
    releases.push({ abi: prev.abi + (r() < 0.2 ? 2 : 1), patch: prev.patch + between(r, 2, 7), ms: prev.ms + between(r, 18, 48) * DAY });
  }
  return releases[i]!;
}

/** The newest release published at or before t (the first known one for earlier instants). */
export function kernelAt(t: number): KernelRelease {
  let i = 0;
  while (release(i + 1).ms <= t) i++;
  return release(i);
}

/** The first release with a higher ABI than `abi`. */
export function kernelAfter(abi: number): KernelRelease {
  let i = 0;
  while (release(i).abi <= abi) i++;
  return release(i);
}

/** The package name of a release's image, and the name `uname -r` prints. */
export function kernelName(k: KernelRelease): string {
  return `6.1.0-${k.abi}-amd64`;
}

/** The Debian package version of a release (6.1.<patch>-1). */
export function kernelVersion(k: KernelRelease): string {
  return `6.1.${k.patch}-1`;
}

/** The kernel's build line as `Linux version` and `uname -v` print it. */
export function kernelBanner(k: KernelRelease): string {
  const day = new Date(k.ms - 2 * DAY).toISOString().slice(0, 10);
  return `Linux version ${kernelName(k)} (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian ${kernelVersion(k)} (${day})`;
}
