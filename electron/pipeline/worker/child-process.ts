/**
 * Spawning and stopping the worker's children (camera sources, encoders, converters).
 * Always explicit argv, never a shell; a minimal environment (no secret can be in it).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * What children get from the worker's (already minimal) environment. LIBCAMERA_* tunes the real
 * rpicam tools; FAKE_RPICAM_* is read only by the test fakes in electron/test-support/fake-rpicam.
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = { PATH: env.PATH ?? '/usr/bin:/bin' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (['HOME', 'LANG', 'LC_ALL', 'TZ', 'XDG_RUNTIME_DIR'].includes(key) || /^(LIBCAMERA_|FAKE_RPICAM_)/.test(key)) out[key] = value;
  }
  return out;
}

/** Every child still running, so that shutdown can make sure none outlives the worker. */
export const liveChildren = new Set<ChildProcess>();

export function spawnTool(command: string, args: string[], stdio: StdioOptions): ChildProcess {
  const child = spawn(command, args, { shell: false, stdio, env: childEnv(), windowsHide: true });
  if (child.pid !== undefined) {
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
  }
  return child;
}

export function killAllChildren(signal: NodeJS.Signals): void {
  for (const child of liveChildren) if (!hasExited(child)) child.kill(signal);
}

export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Resolves once the child has exited (at once if it already has, or never started). */
export function waitForExit(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!hasExited(child)) child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Describes a spawn failure ('error' event) in words. */
export function describeSpawnError(tool: string, path: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `${tool} could not be started: ${path} does not exist`;
  if (error.code === 'EACCES') return `${tool} could not be started: ${path} is not executable`;
  return `${tool} could not be started: ${error.message}`;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  error: string | null;
}

/**
 * Runs a short-lived tool to completion: optional stdin bytes, stdout collected (bounded), killed
 * after `timeoutMs`. Never rejects.
 */
export function runTool(command: string, args: string[], options: { input?: Uint8Array; timeoutMs: number; maxStdout?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    const maxStdout = options.maxStdout ?? 256 * 1024 * 1024;
    const child = spawnTool(command, args, [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe']);
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let error: string | null = null;
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        error = `output larger than ${maxStdout} bytes`;
        child.kill('SIGKILL');
      } else {
        out.push(chunk);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 8000) stderr += chunk.toString();
    });
    // EPIPE when the tool exits before reading all of stdin: its exit status tells what went wrong.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
    const timer = setTimeout(() => {
      error = `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (spawnError: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderr, error: describeSpawnError(command, command, spawnError) });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr, error });
    });
  });
}

/** The last non-empty line of a tool's stderr, for one-line error messages. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/** Resolves when `stream` has closed, or after `timeoutMs`. */
export function endOf(stream: Readable | null, timeoutMs: number): Promise<void> {
  if (!stream || stream.closed || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
