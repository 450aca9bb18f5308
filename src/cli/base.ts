// Shared command behaviour: errors become one line on stderr and an exit code (2 bad usage or
// input, 3 runtime failure), never a stack trace; with --json the same error is also a JSON
// object on stdout. A reader that closes the pipe early (`plan | head -1`) ends the run quietly
// with exit 0, as Unix tools do.
import { Command, Errors } from '@oclif/core';
import { InputError, RuntimeFailure } from '../errors.js';
import { escapeControls } from '../util/text.js';

/** One line from a possibly multi-line message (oclif's parse errors list details on further lines). */
export function oneLine(message: string): string {
  const parts = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^See more help with/.test(l));
  if (parts.length === 0) return 'failed';
  // "Missing 1 required arg:" / "file  timeline file" -> "Missing 1 required arg: file (timeline file)"
  return parts
    .map((p, i) => (i === 0 ? p : p.replace(/^(\S+)\s{2,}(.*)$/, '$1 ($2)')))
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/: :/g, ':');
}

export function exitCodeOf(err: Error): number {
  if (err instanceof InputError || err instanceof RuntimeFailure) return err.exitCode;
  return err instanceof Errors.CLIError ? 2 : 3;
}

/** The `--json` error document (documented in the README): `{"error": {"code", "message"}}`. */
export function jsonError(code: number, message: string): string {
  return JSON.stringify({ error: { code, message } }) + '\n';
}

let pipeGuarded = false;
/** A closed stdout (EPIPE) ends the process quietly with exit 0: the reader has what it wanted. */
export function guardStdoutPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

export abstract class BaseCommand extends Command {
  protected note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  protected override async init(): Promise<void> {
    guardStdoutPipe();
    await super.init();
  }

  /** Whether --json was asked for; read from argv so that it holds when parsing itself failed. */
  protected wantsJson(): boolean {
    const flags = (this.constructor as typeof Command).flags ?? {};
    return 'json' in flags && this.argv.includes('--json');
  }

  protected override async catch(err: Error & { code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.code === 'EEXIT') throw err;
    if (err.code === 'EPIPE') return this.exit(0);
    const code = exitCodeOf(err);
    const line = escapeControls(oneLine(err.message || String(err)));
    process.stderr.write(`error: ${line}\n`);
    if (this.wantsJson()) process.stdout.write(jsonError(code, line));
    if (process.env.DECNET_SIM_DEBUG && code === 3) process.stderr.write(`${err.stack}\n`);
    return this.exit(code);
  }
}
