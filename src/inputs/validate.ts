// Small strict validators shared by the fleet, persona and config loaders. Each failure names the
// file, the field path and what was expected.
import { fieldError } from '../errors.js';

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function expectObject(file: string, field: string, v: unknown): Obj {
  if (!isObject(v)) throw fieldError(file, field, 'an object', v);
  return v;
}

export function expectArray(file: string, field: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw fieldError(file, field, 'an array', v);
  return v;
}

export function expectString(file: string, field: string, v: unknown, opts: { min?: number; max?: number; pattern?: RegExp; what?: string } = {}): string {
  const what = opts.what ?? `a string${opts.min !== undefined || opts.max !== undefined ? ` of ${opts.min ?? 0}..${opts.max ?? 'any'} characters` : ''}`;
  if (typeof v !== 'string') throw fieldError(file, field, what, v);
  if (opts.min !== undefined && v.length < opts.min) throw fieldError(file, field, what, v);
  if (opts.max !== undefined && v.length > opts.max) throw fieldError(file, field, what, v);
  if (opts.pattern && !opts.pattern.test(v)) throw fieldError(file, field, what, v);
  return v;
}

export function optionalString(file: string, field: string, v: unknown, opts: Parameters<typeof expectString>[3] = {}): string | undefined {
  if (v === undefined) return undefined;
  return expectString(file, field, v, opts);
}

/** A real number (booleans and numeric strings are not numbers). */
export function expectNumber(file: string, field: string, v: unknown, opts: { min?: number; max?: number; integer?: boolean; what: string }): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw fieldError(file, field, opts.what, v);
  if (opts.integer && !Number.isInteger(v)) throw fieldError(file, field, opts.what, v);
  if (opts.min !== undefined && v < opts.min) throw fieldError(file, field, opts.what, v);
  if (opts.max !== undefined && v > opts.max) throw fieldError(file, field, opts.what, v);
  return v;
}

/** Reject keys not in the allowed list (typo protection). */
export function noUnknownKeys(file: string, field: string, o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      const at = field ? `${field}.${k}` : k;
      throw fieldError(file, at, `a known key (one of ${allowed.join(', ')})`);
    }
  }
}
