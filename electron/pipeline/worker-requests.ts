/**
 * Requests to the worker that expect a `result`: numbered, each with a deadline, and all failed at once
 * when the worker goes away, so no caller ever waits on a worker that no longer exists.
 */
import { CameraError } from './camera-errors.js';
import type { FromWorker } from './protocol.js';

type Result = Extract<FromWorker, { type: 'result' }>;

interface Pending {
  resolve: (path: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class WorkerRequests {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  /** Sends with a fresh id; resolves with the result's path, rejects with its error or on timeout. */
  request(send: (id: number) => boolean, timeoutMs: number, timeoutText: string): Promise<string> {
    const id = this.#nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new CameraError('failed', timeoutText));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      if (!send(id)) this.#settle(id, (entry) => entry.reject(new CameraError('unavailable', 'The camera pipeline is restarting: its worker has just stopped')));
    });
  }

  /** A `result` message from the worker. */
  answer(result: Result): void {
    this.#settle(result.id, (entry) => {
      if (result.ok) entry.resolve(result.path);
      else entry.reject(new CameraError('failed', result.error));
    });
  }

  /** The worker went away: every open request fails now. */
  failAll(error: CameraError): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, (entry) => entry.reject(error));
  }

  get size(): number {
    return this.#pending.size;
  }

  #settle(id: number, action: (entry: Pending) => void): void {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    action(entry);
  }
}
