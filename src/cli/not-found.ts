// oclif's command_not_found hook. With a space as topic separator, `plan extra` is looked up
// as the command `plan:extra`; when the front is a real command, the word is a stray positional
// argument and the message says so. Otherwise: a "did you mean" from @oclif/plugin-not-found (its
// yes/no prompt on a terminal; in scripts, one line and exit 2, never a prompt).
import type { Hook } from '@oclif/core';
import { jsonError } from './base.js';

function fail(message: string, argv: readonly string[]): never {
  process.stderr.write(`error: ${message}\n`);
  if (argv.includes('--json')) process.stdout.write(jsonError(2, message));
  process.exit(2);
}

const hook: Hook<'command_not_found'> = async function (opts) {
  const words = opts.id.split(':');
  const argv = opts.argv ?? [];
  for (let k = words.length - 1; k >= 1; k--) {
    const id = words.slice(0, k).join(':');
    const cmd = opts.config.findCommand(id);
    if (!cmd) continue;
    const name = id.replaceAll(':', ' ');
    const extra = words.slice(k).join(' ');
    const takes = Object.keys(cmd.args ?? {});
    fail(takes.length === 0 ? `${name} takes no positional arguments (got ${JSON.stringify(extra)}); see ${opts.config.bin} ${name} --help` : `${name}: unexpected argument ${JSON.stringify(extra)}`, argv);
  }
  if (process.stdin.isTTY && process.stderr.isTTY) {
    // The plugin's own hook: warning, "Did you mean ...?" prompt, runs the suggestion on yes.
    const { default: notFound } = await import('@oclif/plugin-not-found');
    return notFound.call(this, opts);
  }
  const visible = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const suggestion = closest(opts.id, visible);
  const typed = opts.id.replaceAll(':', ' ');
  fail(`${typed} is not a ${opts.config.bin} command${suggestion ? `; did you mean ${suggestion.replaceAll(':', ' ')}?` : ''} (${opts.config.bin} --help lists them)`, argv);
};

/** The nearest command id by edit distance (the plugin's measure), within half the typed length. */
export function closest(typed: string, ids: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const id of [...ids].sort()) {
    const d = levenshtein(typed, id);
    if (d < bestD) {
      best = id;
      bestD = d;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.ceil(typed.length / 2)) ? best : null;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export default hook;
