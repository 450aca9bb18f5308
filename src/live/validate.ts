// Checks on every value that reaches a `docker` command line. Values are passed as separate
// argv entries and, inside the container, as positional parameters ("$1" ...): they are never
// parsed by a shell. These checks add a second line of defence and turn nonsense into a clear,
// recorded error instead of a confusing Docker one.

export class UnsafeValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeValue';
  }
}

/** Container names as Docker accepts them (no leading dash, so never mistaken for an option). */
export const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** A Docker context name. */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;
/** A DOCKER_HOST-style URL. */
export const HOST_URL = /^(?:unix|tcp|ssh|npipe):\/\/[A-Za-z0-9_.@:/[\]%+-]{1,250}$/;
/** A login or group name (the file's owner). */
export const OWNER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;
export const MODE = /^0?[0-7]{3}$/;
export const SHA256 = /^[0-9a-f]{64}$/;
/** A host name or IP address (the traffic destination). */
export const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const show = (s: string): string => JSON.stringify(s.length > 80 ? s.slice(0, 80) + '...' : s);

export function checkContainer(name: string): string {
  if (!CONTAINER_NAME.test(name)) throw new UnsafeValue(`container name ${show(name)} is not a valid Docker container name`);
  return name;
}

/** Docker endpoint options for a decky: [] (default engine), --context NAME or -H URL. */
export function endpointArgs(docker: string | null | undefined): string[] {
  if (docker === null || docker === undefined || docker === '') return [];
  if (HOST_URL.test(docker)) return ['-H', docker];
  if (CONTEXT_NAME.test(docker)) return ['--context', docker];
  throw new UnsafeValue(`docker endpoint ${show(docker)} is neither a context name nor a unix://, tcp://, ssh:// host URL`);
}

/**
 * A path we may write: absolute, at most 4096 bytes, no control characters (newlines
 * included), no empty, `.` or `..` segment, not ending in `/`. Spaces, quotes, `$`, backticks and
 * leading dashes in a name are fine: the value is never parsed by a shell, and an absolute path
 * can never be taken for an option.
 */
export function checkPath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new UnsafeValue(`path ${show(String(path))} is not absolute`);
  if (CONTROL.test(path)) throw new UnsafeValue(`path ${show(path)} contains a control character`);
  if (Buffer.byteLength(path) > 4096) throw new UnsafeValue('path is longer than 4096 bytes');
  const segs = path.slice(1).split('/');
  if (segs.length < 2 && segs[0] === '') throw new UnsafeValue('path "/" is a directory');
  for (const s of segs) {
    if (s === '' || s === '.' || s === '..') throw new UnsafeValue(`path ${show(path)} has an empty, "." or ".." segment`);
    if (Buffer.byteLength(s) > 255) throw new UnsafeValue(`path ${show(path)} has a name longer than 255 bytes`);
  }
  return path;
}

export function checkOwner(owner: string): string {
  if (!OWNER.test(owner)) throw new UnsafeValue(`owner ${show(owner)} is not a valid login`);
  return owner;
}

export function checkMode(mode: string): string {
  if (!MODE.test(mode)) throw new UnsafeValue(`mode ${show(mode)} is not an octal file mode such as 0644`);
  return mode.length === 3 ? '0' + mode : mode;
}

export function checkSha(sha: string, what: string): string {
  if (!SHA256.test(sha)) throw new UnsafeValue(`${what} ${show(sha)} is not a sha256 hex digest`);
  return sha;
}

export function checkAddress(address: string): string {
  if (!ADDRESS.test(address)) throw new UnsafeValue(`address ${show(address)} is not a host name or IP address`);
  return address;
}

/**
 * ISO instant to the `YYYY-MM-DD HH:MM:SS[.NNNNNNNNN]` form `touch -d` reads (UTC). GNU touch takes
 * the fraction; busybox touch rejects it, and the write script then retries without it.
 */
export function touchStamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,9})?Z$/.exec(iso);
  if (!m || !Number.isFinite(Date.parse(iso))) throw new UnsafeValue(`time ${show(iso)} is not an ISO 8601 UTC instant`);
  return `${m[1]} ${m[2]}${m[3] ?? ''}`;
}

/** ISO instant to epoch seconds with its fraction (up to nanoseconds), as the write script takes it. */
export function epochSeconds(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(iso);
  const ms = m ? Date.parse(m[1] + 'Z') : NaN;
  if (!m || !Number.isFinite(ms)) throw new UnsafeValue(`time ${JSON.stringify(iso.slice(0, 80))} is not an ISO 8601 UTC instant`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return `${Math.floor(ms / 1000)}${frac ? '.' + frac : ''}`;
}
