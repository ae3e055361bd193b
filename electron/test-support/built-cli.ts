/**
 * The built `campanel` command as a user runs it (a real process), for CLI tests. `npm test` builds before
 * the unit tests run; requireBuiltCli() says so plainly when out/ is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/campanel.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../out/electron/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function requireBuiltCli(): void {
  if (!existsSync(BUILT)) throw new Error('run `npm run build` first: the CLI tests run the built command');
}

/** Runs `campanel ...args` with `input` on its standard input and collects what it printed. */
export function campanel(args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(input);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
