// Directories as a user's own tools leave them: what the engine creates on a decky (live, or in a
// baked layer) gets the mode ssh-keygen, gpg and a shell's mkdir would give it, and a directory's
// mtime moves only when an entry in it is added or replaced, never on an in-place append.
import type { TimelineEvent } from '../timeline/types.js';

// ssh and gpg refuse (or warn about) keys in a directory others can read: their tools make it 0700.
const PRIVATE_DIRS: ReadonlySet<string> = new Set(['.ssh', '.gnupg']);

// Debian 12's adduser makes a home 0700 (DIR_MODE in /etc/adduser.conf); 0755 is the old default.
const HOME = /^\/home\/[^/]+$/;

/** Mode of a directory the engine creates at `dir` (absolute). */
export function dirModeFor(dir: string): string {
  const base = dir.slice(dir.lastIndexOf('/') + 1);
  return PRIVATE_DIRS.has(base) || HOME.test(dir) ? '0700' : '0755';
}

/**
 * Whether a file event changes its parent directory's entries (and so its mtime): a create adds
 * an entry; an editor saving a user file replaces it (write to a new file, rename over); a log
 * grows in place (appends). A backdated lure's create does not move an existing directory
 * forward (it claims to have been there since its mtime).
 */
export function movesParent(ev: Pick<TimelineEvent, 'action' | 'contentClass' | 'canary'>): boolean {
  if (ev.action === 'file:create') return ev.canary === undefined;
  return ev.contentClass !== 'log_cron' && ev.contentClass !== 'log_daemon';
}
