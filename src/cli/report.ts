// The --json reports of check, diff, verify, stats, personas validate and run. Each starts with
// a `schema` key: the version of the report's layout, raised when a key is removed or changes
// meaning (new keys may appear without it). Counts are numbers next to the prose that shows them.
export const REPORT_SCHEMA = 1;

export function jsonReport(report: object, indent = 2): string {
  return JSON.stringify({ schema: REPORT_SCHEMA, ...report }, null, indent) + '\n';
}
