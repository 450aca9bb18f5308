// The contract between the engine and the canary generators. Generators are pure: the same
// context (slug, settings, times, stream state) gives the same bytes.
import type { CanaryClass } from '../inputs/types.js';
import type { Rng } from '../rng/stream.js';
import type { Organisation } from '../world/organisation.js';

import type { CallbackStyle } from './callback.js';

export type CanaryKind = 'aws_passive' | 'aws' | 'http' | 'dns';

/** An AWS key pair the operator registered with an alerting service (used as given). */
export interface AwsKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CanarySettings {
  /** Base URL of the HTTP listener; null: HTTP lures are left out. */
  httpBase: string | null;
  /** Zone the listener is authoritative for; null: DNS lures are left out. */
  dnsZone: string | null;
  /** Real key pairs for the AWS lure, used in order; none: the lure is passive. */
  awsKeys: AwsKeyPair[];
}

export interface CanaryOwner {
  /** Unix login: `root` for system-owned lures. */
  login: string;
  /** Persona name, email and role (empty strings for system-owned lures). */
  name: string;
  email: string;
  role: string;
}

export interface CanaryContext {
  slug: string;
  /** What calls home: an http(s) URL that carries the slug, or `<slug>.<zone>`. */
  callback: string;
  settings: CanarySettings;
  /** Event time and the backdated mtime, UTC epoch milliseconds. */
  atMs: number;
  mtimeMs: number;
  /** Seeded stream reserved for this artifact's content. */
  rng: Rng;
  owner: CanaryOwner;
  /** The decky's host name (what its files would mention). */
  hostname: string;
  /** The placement path chosen by the engine. */
  path: string;
  /** The deployment's callback and obfuscation style. */
  style?: CallbackStyle;
  /** For the AWS lure: the operator's key pair this lure carries, if any. */
  awsKey?: AwsKeyPair;
  /** The deployment's organisation (company, domain, colleagues, hosts, tools); see src/world. */
  org?: Organisation;
}

/** A file planted with a lure (a repository's objects, a key's public half, an ssh config). */
export interface PlantedFile {
  path: string;
  mode: string;
  data: Uint8Array | string;
}

export interface CanarySpec {
  cls: CanaryClass;
  /** Wire name of the generator, e.g. `aws_creds`. */
  generator: string;
  kind: CanaryKind;
  mode: '0600' | '0644';
  /** True for lures owned by root outside a home (mysql_dump under /var/backups). */
  systemOwned: boolean;
  /** Candidate placement paths, best first; the engine takes the first one not in use. */
  placements(home: string, rng: Rng, date: string): string[];
  /** Typical age of such a file, in seconds, for backdating its mtime. */
  ageSeconds(rng: Rng): number;
  /** What the lure needs configured to call home (aws: nothing, it may stay passive). */
  needs: 'http' | 'dns' | null;
  /** The callback for a slug, or null when the settings cannot support this lure. */
  callback(slug: string, settings: CanarySettings, style: CallbackStyle, rng: Rng, path: string): string | null;
  generate(ctx: CanaryContext): Uint8Array | string;
  /** The files that come with the lure, planted in the same event (same mtime), if any. */
  companions?(ctx: CanaryContext, body: Uint8Array | string): PlantedFile[];
}
