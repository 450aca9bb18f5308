// A check that cannot run here (a validator or server is not installed) says so with a marker
// line; scripts/test.mjs counts each marked test as skipped, not passed, and .ci/run fails when
// any check was skipped. The marker goes to stdout, where uvu's own report is.
export const SKIP_MARK = '[skipped]';

export function markSkipped(file: string, title: string, reason: string): void {
  process.stdout.write(`\n  ${SKIP_MARK} ${file} :: ${title} :: ${reason}\n`);
}
