// Run the built CLI in a separate process (tests of the real command line, exit codes included).
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = `${ROOT}bin/run.js`;

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function cli(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa('node', [BIN, ...args], { reject: false, cwd: opts.cwd ?? ROOT, input: opts.input, env: opts.env, maxBuffer: 1 << 30, stripFinalNewline: false });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}
