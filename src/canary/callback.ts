// Callbacks: HTTP ones put the slug as the first path segment after the configured base, so a
// listener routes on the slug alone; DNS ones are `<slug>.<zone>`.
import type { CanarySettings } from './types.js';

export function httpCallback(slug: string, settings: CanarySettings, asset: string): string {
  return `${settings.httpBase}/${slug}/${asset}`;
}

export function dnsCallback(slug: string, settings: CanarySettings): string | null {
  return settings.dnsZone ? `${slug}.${settings.dnsZone}` : null;
}
