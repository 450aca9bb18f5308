// Shared fixtures for the canary tests: builds the context the engine would hand a generator,
// from a seed index alone, with fresh streams on every call.
import type { CanaryClass } from '../src/inputs/types.js';
import { CANARY_CLASSES } from '../src/inputs/types.js';
import { CANARY_SPECS } from '../src/canary/registry.js';
import type { CanaryContext, CanarySettings, CanarySpec } from '../src/canary/types.js';
import { callbackStyle, drawSlug } from '../src/canary/callback.js';
import { stream } from '../src/rng/stream.js';
import { utcDate } from '../src/util/time.js';

export const CLASSES: readonly CanaryClass[] = CANARY_CLASSES;

export const SETTINGS: CanarySettings = { httpBase: 'https://static.example.net/a', dnsZone: 'cdn-edge.example.net', awsKeys: [] };

const OWNERS = [
  { login: 'johnsmith', name: 'John Smith', email: 'john.smith@example.com', role: 'Accountant' },
  { login: 'alice', name: 'alice', email: 'alice@example.org', role: 'Developer' },
  { login: 'mgarcia', name: 'Maria Garcia', email: 'mgarcia@corp.example.net', role: 'IT Manager' },
  { login: 'user', name: 'Renée Dubois', email: '', role: 'Office Manager' },
] as const;

export interface Built {
  spec: CanarySpec;
  ctx: CanaryContext;
  home: string;
  placements: string[];
}

export function slugFor(i: number): string {
  return drawSlug(stream('seed', i, 'slug'));
}

/** The context for class `cls` at seed index `i`; `slugOverride` swaps the slug only. */
export function build(cls: CanaryClass, i: number, opts: { slug?: string; settings?: CanarySettings } = {}): Built {
  const spec = CANARY_SPECS[cls];
  const settings = opts.settings ?? SETTINGS;
  const s = opts.slug ?? slugFor(i);
  const owner = spec.systemOwned ? { login: 'root', name: '', email: '', role: '' } : OWNERS[i % OWNERS.length]!;
  const home = spec.systemOwned ? '/root' : `/home/${owner.login}`;
  const atMs = Date.UTC(2026, 0, 5, 9, 30, 0) + i * 7 * 3_600_000 + (i % 13) * 61_000;
  const placements = spec.placements(home, stream('seed', i, 'canary', 'place'), utcDate(atMs));
  const style = callbackStyle(`deployment-${i % 7}`);
  const callback = spec.callback(s, settings, style, stream('seed', i, 'callback'), placements[0]!);
  if (callback === null) throw new Error(`no callback for ${cls}`);
  const age = spec.ageSeconds(stream('seed', i, 'canary', 'age'));
  const ctx: CanaryContext = {
    slug: s,
    callback,
    settings,
    atMs,
    mtimeMs: atMs - age * 1000,
    rng: stream('seed', i, 'canary'),
    owner: { ...owner },
    hostname: `web-${String((i % 7) + 1).padStart(2, '0')}`,
    path: placements[0]!,
    style,
  };
  return { spec, ctx, home, placements };
}

export function generateBytes(b: Built): Uint8Array {
  const out = b.spec.generate(b.ctx);
  return typeof out === 'string' ? new Uint8Array(Buffer.from(out, 'utf8')) : out;
}

export function extFor(cls: CanaryClass): string {
  return CANARY_SPECS[cls].generator;
}
