// The wire between the live driver and the fixed script (scripts.ts). Every container call is
// `docker [endpoint] exec -i -u <user> <container> sh -s`; stdin carries the script, then a call
// of its `main` with the request in a quoted here-document:
//
//   op write
//   dir /home/johnsmith/notes
//   ...                      one "key value" line per field (values never hold a newline)
//   body                     optional: the payload follows in base64 lines
//   <base64>...
//   .E.                      the delimiter: never a "key value" line, never base64
//
// The operations the script knows are listed here, once; a new one (a delete, say) is a new
// entry here and an `op_<name>` function in the script.
import { sha256Hex } from '../util/hash.js';
import { SCRIPT } from './scripts.js';
import { UnsafeValue } from './validate.js';

export const OPERATIONS = {
  /** Atomic write with directory checks and a read-back before edits. */
  write: ['dir', 'base', 'mode', 'mtime', 'atime', 'dtime', 'expect', 'new', 'tmp', 'dmode'],
  /** Which logins exist (read from /etc/passwd by the shell). */
  logins: ['names'],
  /** The container's hostname and /etc/passwd logins (host facts for planning). */
  facts: [],
  /** Create a login and its home (--create-users). */
  adduser: ['name', 'home'],
  /** SSH banner probe from inside the source decky. */
  probe: ['address', 'port', 'timeout'],
  /** Rename a file we wrote within its folder (logrotate), or delete it (to '-'). */
  move: ['dir', 'base', 'to', 'expect', 'dtime'],
} as const;

export type Operation = keyof typeof OPERATIONS;
export type Fields<O extends Operation> = Record<(typeof OPERATIONS)[O][number], string>;

/** Ends the here-document: a "key value" line always has a space, base64 never has a dot. */
export const REQUEST_END = '.E.';

/** The argv of every container call (the user is `0` for root). */
export function execArgs(container: string, user: string): string[] {
  return ['exec', '-i', '-u', user, container, 'sh', '-s'];
}

function base64Lines(body: Uint8Array): string {
  const b = Buffer.from(body).toString('base64');
  let out = '';
  for (let i = 0; i < b.length; i += 76) out += b.slice(i, i + 76) + '\n';
  return out;
}

/** stdin of one call: the script, then the request (fields in the listed order). */
export function requestText<O extends Operation>(op: O, fields: Fields<O>, body?: Uint8Array): string {
  let req = `op ${op}\n`;
  for (const k of OPERATIONS[op]) {
    const v = (fields as Record<string, string>)[k]!;
    // eslint-disable-next-line no-control-regex
    if (typeof v !== 'string' || /[\u0000-\u001f\u007f]/.test(v)) throw new UnsafeValue(`request field ${k} holds a control character`);
    req += `${k} ${v}\n`;
  }
  if (body !== undefined) req += 'body\n' + base64Lines(body);
  return `${SCRIPT}main <<'${REQUEST_END}'\n${req}${REQUEST_END}\n`;
}

/** The request part of a stdin text (for dry runs and tests): everything after the script. */
export function requestOf(stdin: string): { op: string; fields: Record<string, string>; body: Buffer | null } {
  const at = stdin.indexOf(`main <<'${REQUEST_END}'\n`);
  const lines = stdin.slice(at).split('\n').slice(1);
  const fields: Record<string, string> = {};
  let op = '';
  let body: Buffer | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === REQUEST_END) break;
    if (l === 'body') {
      const end = lines.indexOf(REQUEST_END, i);
      body = Buffer.from(lines.slice(i + 1, end).join(''), 'base64');
      break;
    }
    const sp = l.indexOf(' ');
    const k = sp < 0 ? l : l.slice(0, sp);
    const v = sp < 0 ? '' : l.slice(sp + 1);
    if (k === 'op') op = v;
    else fields[k] = v;
  }
  return { op, fields, body };
}

/**
 * What a call's stdin holds, for dry runs: its size and sha256, the fixed script (the same for
 * every call, so only its size and sha256), the request lines as sent, and the body (size and
 * sha256; it travels in base64 lines of 76 after the `body` line, then the closing `.E.`).
 */
export function describeStdin(stdin: string): { chars: number; sha256: string; script: { chars: number; sha256: string }; request: string[]; body: { bytes: number; sha256: string } | null } {
  const head = `main <<'${REQUEST_END}'\n`;
  const at = stdin.indexOf(head);
  const lines = stdin.slice(at + head.length).split('\n');
  const request: string[] = [];
  for (const l of lines) {
    if (l === REQUEST_END) break;
    request.push(l);
    if (l === 'body') break;
  }
  const { body } = requestOf(stdin);
  return {
    chars: stdin.length,
    sha256: sha256Hex(stdin),
    script: { chars: at, sha256: sha256Hex(stdin.slice(0, at)) },
    request,
    body: body === null ? null : { bytes: body.length, sha256: sha256Hex(body) },
  };
}
