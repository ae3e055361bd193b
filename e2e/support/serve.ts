/**
 * Starts a real `campanel serve` on a fresh temp data directory and reads its two lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO_ROOT, 'bin', 'campanel.js');

export interface ServeHandle {
  dataDir: string;
  panelUrl: string;
  /** http://127.0.0.1:PORT without the token */
  origin: string;
  apiLine: string;
  output: () => string;
  /** The real `campanel serve` process (node bin/campanel.js), for signals. */
  pid: number;
  stop: () => Promise<number | null>;
}

export async function freshDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'campanel-e2e-'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Run a CLI command to completion. */
export async function cli(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function startServe(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeHandle> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--panel-port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = await new Promise<{ api: string; panel: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its lines:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const api = /^API: (.*)$/m.exec(output);
      const panel = /^Panel: (.*)$/m.exec(output);
      if (api?.[1] && panel?.[1]) {
        clearTimeout(timer);
        resolve({ api: api[1], panel: panel[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  const origin = new URL(lines.panel).origin;
  return {
    dataDir,
    panelUrl: lines.panel,
    origin,
    apiLine: lines.api,
    output: () => output,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
