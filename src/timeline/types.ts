// The timeline wire format (SPEC 6). Key names are stable: users query them with jq.
// Objects are always built in the key order listed here, which JSON.stringify preserves.
import type { ContentClass, PlanInputs } from '../inputs/types.js';

export type EventKind = 'file' | 'traffic' | 'quiet';
/**
 * `file:rename` moves a file to `to` (mtime kept, as `mv` does); `file:delete` removes it. Both
 * are made by a machine's own jobs (log rotation, cleanup cron jobs), never by a tick's roll.
 */
export type EventAction = 'file:create' | 'file:edit' | 'file:rename' | 'file:delete' | 'leave-alone' | 'exec:tcp_connect:22';

export interface DeckyRef {
  uuid: string;
  name: string;
}

export interface Content {
  encoding: 'utf8' | 'base64';
  data: string;
  bytes: number;
  sha256: string;
}

export interface CanaryRef {
  tokenId: string;
  generator: string;
  kind: string;
  slug: string;
  callback: string;
}

/** A file planted together with a lure (same event, same mtime and owner). */
export interface Companion {
  path: string;
  mode: string;
  /** When the command that wrote the lure wrote this file (just before the lure; generator 20 on). Absent: the lure's mtime. */
  mtime?: string;
  content: Content;
}

export interface TrafficRef {
  src: DeckyRef;
  dst: DeckyRef & { address: string };
  port: 22;
}

/** One timeline event. Optional keys appear only for the kinds that carry them. */
export interface TimelineEvent {
  id: string;
  at: string;
  tick: number;
  decky: DeckyRef;
  kind: EventKind;
  action: EventAction;
  topic?: string;
  /**
   * The machine process that made a file event (`history` for what existed before the horizon,
   * `logrotate`, `rsyslogd`, `cron`); absent for the persona and system content a tick rolls.
   */
  job?: string;
  persona?: string;
  contentClass?: ContentClass;
  path?: string;
  /** Rename target. */
  to?: string;
  mode?: string;
  owner?: string;
  mtime?: string;
  /** When the file is next read after this write (equal to mtime when it is not). */
  atime?: string;
  content?: Content;
  previousSha256?: string;
  canary?: CanaryRef;
  /** Canary creates only: the files planted with the lure (a repository, a key's .pub, ...). */
  companions?: Companion[];
  traffic?: TrafficRef;
  reason?: 'leave-alone' | 'off-hours';
}

export interface TimelineHeader {
  format: string;
  version: number;
  engineVersion: string;
  generatorVersion: number;
  seed: string;
  inputs: PlanInputs;
  inputsSha256: string;
  /** sha256 over format, version, engineVersion, generatorVersion, seed and inputsSha256. */
  headerSha256: string;
}

export interface CanaryToken {
  tokenId: string;
  decky: DeckyRef;
  generator: string;
  kind: string;
  path: string;
  slug: string;
  callback: string;
  plantedAt: string;
  state: 'planned';
}

export interface TimelineSummary {
  events: number;
  byKind: Record<string, number>;
  byAction: Record<string, number>;
  byClass: Record<string, number>;
  byDecky: Record<string, number>;
  canaryTokens: CanaryToken[];
  diagnostics: string[];
}

export interface Timeline {
  header: TimelineHeader;
  events: TimelineEvent[];
  summary: TimelineSummary;
}
