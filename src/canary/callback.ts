// Callbacks. A scanner that learns one deployment's URLs should not be able to pick out
// another's, so nothing here has a fixed shape: each deployment (its seed) takes a few URL
// templates per family (images, API endpoints, git remotes, document links, beacons) and its own
// path words, and each lure draws among those and adds its own variable parts. The slug is
// 10 to 20 characters of [a-z0-9] with a leading letter (DNS-safe) and sits wherever the
// template puts it: a path segment, a file stem, a query value, a hyphenated name or a DNS label.
// The listener does not parse shapes: it looks up every [a-z0-9] run of the request in its
// token table (src/listen/tokens.ts), so any placement is attributable.
import { between, pick, sample, stream, token, type Rng } from '../rng/stream.js';
import type { CanarySettings } from './types.js';

export type CallbackFamily = 'image' | 'api' | 'git' | 'doc' | 'beacon';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A slug of 10 to 20 characters, a letter first. */
export function drawSlug(rng: Rng): string {
  return token(rng, 1, LOWER) + token(rng, between(rng, 9, 19), ALNUM);
}

// Path words of ordinary web properties. Each deployment takes a handful of each.
const ASSET_DIRS = ['static', 'assets', 'media', 'img', 'images', 'cdn', 'files', 'content', 'res', 'public', 'dist', 'uploads', 'theme', 'resources', 'shared', 'pub'] as const;
const ASSET_SUBS = ['img', 'images', 'brand', 'ui', 'email', 'icons', 'common', 'layout', 'logos', 'header', 'v2', 'v3', 'site', 'core', 'web', 'mail'] as const;
const IMAGE_NAMES = ['logo', 'header', 'banner', 'spacer', 'sig', 'brand', 'mark', 'footer', 'badge', 'seal', 'crest', 'emblem', 'blank', 'bg'] as const;
const IMAGE_EXTS = ['png', 'gif', 'png', 'jpg', 'webp'] as const;
const API_ROOTS = ['api', 'svc', 'services', 'gateway', 'internal', 'rest', 'rpc', 'backend', 'edge', 'app'] as const;
const API_VERSIONS = ['v1', 'v2', 'v3', 'v1beta', '2024-06', '2025-01'] as const;
const API_NOUNS = ['accounts', 'orders', 'auth', 'sessions', 'reports', 'payments', 'events', 'hooks', 'sync', 'jobs', 'tenants', 'partners', 'status', 'config', 'exports'] as const;
const GIT_ROOTS = ['git', 'scm', 'r', 'repos', 'code', 'src', 'vcs', 'gitlab', 'projects', 'dev'] as const;
const ORG_WORDS = ['ops', 'infra', 'platform', 'it', 'sre', 'eng', 'core', 'team', 'devops', 'sysadmin', 'internal', 'tools'] as const;
const REPO_NAMES = ['infra', 'ops-scripts', 'site', 'dashboards', 'ansible', 'terraform-live', 'monitoring', 'backup-jobs', 'helpdesk-tools', 'netconf', 'deploy', 'configs'] as const;
const DOC_ROOTS = ['share', 'docs', 'd', 's', 'files', 'view', 'portal', 'dl', 'documents', 'drive', 'link', 'open'] as const;
const DOC_VERBS = ['view', 'open', 'preview', 'download', 'read', 'edit', 'show'] as const;
const DOC_PARAMS = ['id', 'doc', 'file', 'ref', 'key', 'f', 'token', 'item'] as const;
const BEACON_ROOTS = ['collect', 'metrics', 'analytics', 'stats', 'rum', 'telemetry', 'ping', 'beacon', 'log', 'insights', 'perf', 'vitals'] as const;
const BEACON_FILES = ['c', 'p', 'e', 'g', 'b', 'i', 'v', 'r', 'hit', 'event', 'track', 'data'] as const;
const BEACON_EXTS = ['gif', 'js', 'png', '', 'json'] as const;
const DNS_WORDS = ['git', 'vpn', 'db', 'backup', 'bastion', 'jump', 'mgmt', 'repl', 'ops', 'edge', 'relay', 'sync', 'build', 'stage', 'files', 'mirror'] as const;

type Template = (slug: string, r: Rng, w: DeploymentWords, repo: string) => string;

interface DeploymentWords {
  assetDir: string;
  assetSub: string;
  apiRoot: string;
  apiVersion: string;
  gitRoot: string;
  org: string;
  docRoot: string;
  docParam: string;
  beaconRoot: string;
  beaconFile: string;
  beaconExt: string;
}

const hexish = (r: Rng, n: number) => token(r, n, '0123456789abcdef');

const TEMPLATES: Record<CallbackFamily, Template[]> = {
  image: [
    (s, r, w) => `${w.assetDir}/${w.assetSub}/${s}.${pick(r, IMAGE_EXTS)}`,
    (s, r, w) => `${w.assetDir}/${s}/${pick(r, IMAGE_NAMES)}.${pick(r, IMAGE_EXTS)}`,
    (s, r, w) => `${w.assetDir}/${hexish(r, 2)}/${hexish(r, 2)}/${s}.${pick(r, IMAGE_EXTS)}`,
    (s, r, w) => `${w.assetSub}/${pick(r, IMAGE_NAMES)}-${s}.${pick(r, IMAGE_EXTS)}`,
    (s, r, w) => `${w.assetDir}/${pick(r, IMAGE_NAMES)}.${pick(r, IMAGE_EXTS)}?v=${s}`,
    (s, r, w) => `${w.assetDir}/${w.assetSub}/${pick(r, IMAGE_NAMES)}_${s}@2x.${pick(r, IMAGE_EXTS)}`,
    (s, r, w) => `${w.assetDir}/${between(r, 2019, 2025)}/${String(between(r, 1, 12)).padStart(2, '0')}/${s}.${pick(r, IMAGE_EXTS)}`,
  ],
  api: [
    (s, r, w) => `${w.apiRoot}/${w.apiVersion}/${s}`,
    (s, r, w) => `${w.apiRoot}/${s}/${w.apiVersion}`,
    (s, r, w) => `${w.apiRoot}/${w.apiVersion}/${pick(r, API_NOUNS)}/${s}`,
    (s, r, w) => `${s}.${w.apiRoot}/${w.apiVersion}`,
    (s, r, w) => `${w.apiRoot}/${pick(r, API_NOUNS)}?client=${s}`,
    (s, r, w) => `${w.apiRoot}/${w.apiVersion}/${pick(r, API_NOUNS)}-${s}/${pick(r, API_NOUNS)}`,
  ],
  git: [
    (s, r, w, repo) => `${w.gitRoot}/${s}/${repo}.git`,
    (s, r, w, repo) => `${w.org}-${s}/${repo}.git`,
    (s, r, w, repo) => `${w.gitRoot}/${w.org}/${s}/${repo}.git`,
    (s, r, w, repo) => `${w.gitRoot}/~${s}/${repo}`,
    (s, r, w, repo) => `${w.gitRoot}/${w.org}-${s}/${repo}.git`,
  ],
  doc: [
    (s, r, w) => `${w.docRoot}/${s}`,
    (s, r, w) => `${w.docRoot}/${s}/${pick(r, DOC_VERBS)}`,
    (s, r, w) => `${w.docRoot}/${pick(r, DOC_VERBS)}?${w.docParam}=${s}`,
    (s, r, w) => `${w.docRoot}/${hexish(r, 4)}/${s}/${pick(r, DOC_VERBS)}`,
    (s, r, w) => `${pick(r, DOC_VERBS)}/${w.docRoot}-${s}`,
    (s, r, w) => `${w.docRoot}/${pick(r, DOC_VERBS)}/${s}?${w.docParam}=${hexish(r, 6)}`,
  ],
  beacon: [
    (s, r, w) => `${w.beaconRoot}/${s}${w.beaconExt ? '.' + w.beaconExt : ''}`,
    (s, r, w) => `${w.beaconRoot}/${w.beaconFile}${w.beaconExt ? '.' + w.beaconExt : ''}?sid=${s}`,
    (s, r, w) => `${w.beaconRoot}/${s}/${w.beaconFile}`,
    (s, r, w) => `${w.beaconRoot}/${w.beaconFile}/${s}-${hexish(r, 4)}`,
    (s, r, w) => `${w.beaconFile}/${w.beaconRoot}?ref=${s}&rev=${between(r, 1, 9)}`,
  ],
};

/** What one deployment's callbacks look like: its templates per family and its path words. */
export interface CallbackStyle {
  templates: Record<CallbackFamily, number[]>;
  words: DeploymentWords;
  dnsShape: number;
  dnsWord: string;
  /** How the fingerprint beacons hide their URL: the encoding scheme and the key stream's form. */
  obfuscation: number;
  keyForm: number;
}

/** The deployment's style, drawn once from the seed (labelled apart from everything else). */
export function callbackStyle(seed: string): CallbackStyle {
  const r = stream(seed, 'callback-style');
  const templates = {} as Record<CallbackFamily, number[]>;
  for (const fam of ['image', 'api', 'git', 'doc', 'beacon'] as const) {
    const all = TEMPLATES[fam].map((_, i) => i);
    templates[fam] = sample(r, all, 2);
  }
  const words: DeploymentWords = {
    assetDir: pick(r, ASSET_DIRS),
    assetSub: pick(r, ASSET_SUBS),
    apiRoot: pick(r, API_ROOTS),
    apiVersion: pick(r, API_VERSIONS),
    gitRoot: pick(r, GIT_ROOTS),
    org: pick(r, ORG_WORDS),
    docRoot: pick(r, DOC_ROOTS),
    docParam: pick(r, DOC_PARAMS),
    beaconRoot: pick(r, BEACON_ROOTS),
    beaconFile: pick(r, BEACON_FILES),
    beaconExt: pick(r, BEACON_EXTS),
  };
  const dnsShape = between(r, 0, 2);
  const dnsWord = pick(r, DNS_WORDS);
  return { templates, words, dnsShape, dnsWord, obfuscation: between(r, 0, 3), keyForm: between(r, 0, 2) };
}

/** An HTTP callback of a family, or null when no base URL is configured. */
export function httpCallback(slug: string, settings: CanarySettings, family: CallbackFamily, style: CallbackStyle, r: Rng, repo?: string): string | null {
  if (!settings.httpBase) return null;
  const ids = style.templates[family];
  const t = TEMPLATES[family][ids[between(r, 0, ids.length - 1)]!]!;
  const tail = t(slug, r, style.words, repo ?? pick(r, REPO_NAMES));
  // A template that starts with the slug as a host-like word ("<slug>.api/v1") becomes a path.
  return `${settings.httpBase}/${tail}`;
}

/** A DNS name under the zone that carries the slug as a whole label or a hyphenated part. */
export function dnsCallback(slug: string, settings: CanarySettings, style: CallbackStyle, r: Rng): string | null {
  if (!settings.dnsZone) return null;
  const shape = (style.dnsShape + between(r, 0, 1)) % 3;
  const word = r() < 0.5 ? style.dnsWord : pick(r, DNS_WORDS);
  if (shape === 0) return `${slug}.${settings.dnsZone}`;
  if (shape === 1) return `${word}-${slug}.${settings.dnsZone}`;
  return `${slug}.${word}.${settings.dnsZone}`;
}

/** Every [a-z0-9] run of a string, lower-cased: the candidates a listener looks up. */
export function slugCandidates(s: string): string[] {
  const out: string[] = [];
  for (const run of s.toLowerCase().split(/[^a-z0-9]+/)) if (run.length >= 10 && run.length <= 20) out.push(run);
  return out;
}
