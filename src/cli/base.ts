// Shared command behaviour: errors become one line on stderr and an exit code (2 bad usage or
// input, 3 runtime failure), never a stack trace.
import { Command, Errors } from '@oclif/core';
import { InputError, RuntimeFailure } from '../errors.js';
import { escapeControls } from '../util/text.js';

export abstract class BaseCommand extends Command {
  protected note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  protected override async catch(err: Error & { code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.code === 'EEXIT') throw err;
    const code = err instanceof InputError || err instanceof RuntimeFailure ? err.exitCode : err instanceof Errors.CLIError ? 2 : 3;
    // One line: the message's first line, control characters (from inputs) escaped.
    const line = (err.message || String(err)).split('\n').find((l) => l.trim().length > 0) ?? 'failed';
    process.stderr.write(`error: ${escapeControls(line.trim())}\n`);
    if (process.env.DECNET_SIM_DEBUG && code === 3) process.stderr.write(`${err.stack}\n`);
    return this.exit(code);
  }
}
