/**
 * A running worker process as the supervisor sees it, whichever way it was started: plain Node
 * (child_process.fork, worker-launcher.ts) or Electron (utilityProcess, desktop/utility-launcher.ts).
 */
import type { Readable } from 'node:stream';
import type { ToWorker } from './protocol.js';

export interface WorkerHandle {
  /** Undefined until the OS has created the process (and forever if spawning failed). */
  readonly pid: number | undefined;
  /** The binary frame stream (the worker's stdout). */
  readonly frames: Readable;
  /** The worker's log lines. */
  readonly stderr: Readable;
  /** Sends a control message; silently dropped once the channel has closed. */
  send(message: ToWorker): void;
  /** Signals the worker process itself (SIGTERM to ask, SIGKILL to end). */
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** Raw control messages from the worker, not yet validated. */
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process has exited (or could not be started: code null, signal null, error set). */
  onExit(listener: (exit: { code: number | null; signal: string | null; error?: Error }) => void): void;
}

export interface LaunchOptions {
  /** The whole environment of the worker: minimal, and never a secret. */
  env: Record<string, string>;
}

export type WorkerLauncher = (options: LaunchOptions) => WorkerHandle;
