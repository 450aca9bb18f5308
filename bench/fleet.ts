// Synthetic fleets for benchmarks and scale tests: N SSH deckies sharing the default persona pool.
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';

export function syntheticFleet(n: number): { deckies: unknown[]; personas: unknown[] } {
  const names = DEFAULT_FLEET_RAW.personas.map((p) => p.name);
  const deckies = [];
  for (let i = 0; i < n; i++) {
    deckies.push({
      name: `node-${String(i).padStart(4, '0')}`,
      services: ['ssh'],
      address: `10.${60 + Math.floor(i / 250)}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`,
      personas: [names[i % names.length], names[(i * 7 + 3) % names.length]],
    });
  }
  return { deckies, personas: DEFAULT_FLEET_RAW.personas };
}
