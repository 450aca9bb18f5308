// Versions written into every timeline header.
// ENGINE_VERSION follows the package; GENERATOR_VERSION changes whenever the same inputs would
// produce different bytes (the golden fixtures are regenerated in the same commit).
export const ENGINE_VERSION = '0.1.0';
export const GENERATOR_VERSION = 29;
export const TIMELINE_FORMAT = 'decnet-sim.timeline';
export const TIMELINE_VERSION = 1;
