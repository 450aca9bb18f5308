// Login rule (issue 13 item 5): transliterate the name to ASCII (any-ascii, pinned: its tables
// feed the timeline), lower-case it and keep letters and digits, so "Ana López" becomes
// `analopez` and "Björn Åström" `bjornastrom`. `user` only when nothing usable is left. A login
// must start with a letter: leading digits are dropped. At most 32 characters.
import anyAscii from 'any-ascii';

export function deriveLogin(name: string): string {
  const login = anyAscii(name).toLowerCase().replace(/[^a-z0-9]+/g, '').replace(/^[0-9]+/, '');
  if (login === '') return 'user';
  return login.slice(0, 32);
}

export const LOGIN_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Logins that give a honeypot away or collide with the system's own accounts. */
export const SUSPECT_LOGINS: ReadonlySet<string> = new Set(['user', 'root']);
