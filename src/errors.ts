// Error classes that map onto the CLI's exit codes (SPEC 7):
// 2 bad usage or input, 3 runtime failure. Messages are one line, never a stack trace.

export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export class RuntimeFailure extends Error {
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeFailure';
  }
}

/** Build an input error that names the file, the field and what was expected. */
export function fieldError(file: string, field: string, expected: string, got?: unknown): InputError {
  const seen = got === undefined ? '' : `, got ${describe(got)}`;
  return new InputError(`${file}: ${field}: expected ${expected}${seen}`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
