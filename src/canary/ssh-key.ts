// ~/.ssh/id_ed25519: an unencrypted openssh-key-v1 private key whose seed comes from the stream.
// The public half is computed with node:crypto, so ssh-keygen accepts and fingerprints it. The
// DNS name sits in the key comment (`login@<slug>.<zone>`), which ssh-keygen -l and -y print.
import { type KeyObject, createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import { bytes, pick } from '../rng/stream.js';
import { dnsCallback } from './callback.js';
import { ageDays, ownerLogin } from './common.js';
import type { CanaryContext, CanarySpec, PlantedFile } from './types.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_TYPE = 'ssh-ed25519';

function publicFromPrivate(priv: KeyObject): Buffer {
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

function viaDer(seed: Uint8Array): Buffer {
  return publicFromPrivate(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

// A JWK import builds the key from the raw seed, about 4x faster than decoding PKCS#8 (OpenSSL
// 3's decoder set-up dominates). Node requires an `x` member but derives the public half from
// `d`; in case a runtime ever checks or uses `x`, the first key is compared with the PKCS#8
// route and any difference (or error) switches to it for good.
let jwkWorks: boolean | undefined;

function viaJwk(seed: Uint8Array): Buffer {
  return publicFromPrivate(createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(seed).toString('base64url'), x: '' }, format: 'jwk' }));
}

/** The 32-byte ed25519 public key for a 32-byte seed. */
export function ed25519PublicKey(seed: Uint8Array): Buffer {
  if (jwkWorks === undefined) {
    const sure = viaDer(seed);
    try {
      jwkWorks = viaJwk(seed).equals(sure);
    } catch {
      jwkWorks = false;
    }
    return sure;
  }
  return jwkWorks ? viaJwk(seed) : viaDer(seed);
}

/** A big-endian uint32, as SSH wire formats write lengths. */
export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** An SSH `string`: its length, then its bytes. */
export function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([u32(b.length), b]);
}

export function generateSshKey(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const seed = Buffer.from(bytes(rng, 32));
  const check = rng.int32() >>> 0;
  const pub = ed25519PublicKey(seed);
  const pubBlob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)]);
  const comment = `${ownerLogin(ctx)}@${ctx.callback}`;
  let priv = Buffer.concat([
    u32(check),
    u32(check),
    sshString(KEY_TYPE),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padLen = (8 - (priv.length % 8)) % 8;
  const padding = Buffer.alloc(padLen);
  for (let i = 0; i < padLen; i++) padding[i] = i + 1;
  priv = Buffer.concat([priv, padding]);
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\u0000', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    u32(1),
    sshString(pubBlob),
    sshString(priv),
  ]);
  const b64 = blob.toString('base64');
  const wrapped = b64.match(/.{1,70}/g)!.join('\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrapped}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** The `ssh-ed25519 AAAA... comment` line of a private key this module wrote. */
export function publicLine(pem: string): string {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const blob = Buffer.from(b64, 'base64');
  let at = 'openssh-key-v1\u0000'.length;
  const str = (): Buffer => {
    const n = blob.readUInt32BE(at);
    const s = blob.subarray(at + 4, at + 4 + n);
    at += 4 + n;
    return s;
  };
  str(); // cipher
  str(); // kdf
  str(); // kdf options
  at += 4; // key count
  const pub = str();
  const priv = str();
  // The comment is the last string of the private section (after check ints, type, pub, seed).
  let p = 8;
  const pstr = (): Buffer => {
    const n = priv.readUInt32BE(p);
    const s = priv.subarray(p + 4, p + 4 + n);
    p += 4 + n;
    return s;
  };
  pstr();
  pstr();
  pstr();
  const comment = pstr().toString('utf8');
  return `${KEY_TYPE} ${pub.toString('base64')} ${comment}`;
}

const ALIASES = ['backup', 'bastion', 'jump', 'deploy', 'git', 'db-replica', 'build', 'mirror', 'files', 'ops', 'vpn-gw', 'archive'] as const;

/** The public half beside the key, ~/.ssh/config entries reaching the callback host, its known_hosts line. */
export function sshCompanions(ctx: CanaryContext, body: Uint8Array | string): PlantedFile[] {
  const rng = ctx.rng;
  const pem = String(body);
  const dir = ctx.path.slice(0, ctx.path.lastIndexOf('/'));
  const keyName = ctx.path.slice(dir.length + 1);
  const host = ctx.callback;
  const labels = host.split('.');
  const word = labels.find((l) => (ALIASES as readonly string[]).includes(l.replace(/-[a-z0-9]+$/, ''))) ?? pick(rng, ALIASES);
  const alias = word.replace(/-[a-z0-9]{10,}$/, '');
  const user = rng() < 0.5 ? ownerLogin(ctx) : pick(rng, ['deploy', 'backup', 'ops', 'git', 'admin']);
  const port = rng() < 0.7 ? 22 : pick(rng, [2222, 2022, 22022]);
  const lines = [`Host ${alias}`, `    HostName ${host}`, `    User ${user}`];
  if (port !== 22) lines.push(`    Port ${port}`);
  lines.push(`    IdentityFile ~/.ssh/${keyName}`, '    IdentitiesOnly yes');
  if (rng() < 0.5) lines.push('', `Host ${alias}-tunnel`, `    HostName ${host}`, `    User ${user}`, ...(port !== 22 ? [`    Port ${port}`] : []), `    IdentityFile ~/.ssh/${keyName}`, `    LocalForward ${pick(rng, [5432, 3306, 6379, 8080])} 127.0.0.1:${pick(rng, [5432, 3306, 6379, 8080])}`, '    ExitOnForwardFailure yes');
  lines.push('', 'Host *', `    ServerAliveInterval ${pick(rng, [30, 60, 120])}`, '    AddKeysToAgent yes');
  // known_hosts as Debian writes it (HashKnownHosts yes): |1|salt|HMAC-SHA1(salt, host).
  const salt = Buffer.from(bytes(rng, 20));
  const hostKey = ed25519PublicKey(Buffer.from(bytes(rng, 32)));
  const name = port === 22 ? host : `[${host}]:${port}`;
  const hmac = createHmac('sha1', salt).update(name).digest();
  const hostBlob = Buffer.concat([sshString(KEY_TYPE), sshString(hostKey)]);
  const known = `|1|${salt.toString('base64')}|${hmac.toString('base64')} ${KEY_TYPE} ${hostBlob.toString('base64')}\n`;
  return [
    { path: `${ctx.path}.pub`, mode: '0644', data: publicLine(pem) + '\n' },
    { path: `${dir}/config`, mode: '0600', data: lines.join('\n') + '\n' },
    { path: `${dir}/known_hosts`, mode: '0644', data: known },
  ];
}

export const sshKeySpec: CanarySpec = {
  cls: 'canary_ssh_key',
  generator: 'ssh_key',
  kind: 'dns',
  mode: '0600',
  systemOwned: false,
  placements: (home) => [`${home}/.ssh/id_ed25519`, `${home}/.ssh/id_ed25519_deploy`, `${home}/.ssh/id_ed25519_backup`],
  ageSeconds: (rng) => ageDays(rng, 30, 240),
  needs: 'dns',
  callback: (slug, settings, style, r) => dnsCallback(slug, settings, style, r),
  generate: generateSshKey,
  companions: sshCompanions,
};
