/**
 * Closes connections that have had no traffic either way for a while (a client that stopped reading its
 * answer, or went away without a word). A periodic sweep over byte counters rather than a timer per socket:
 * Node's socket timeouts are re-armed on every read and write, a cost each request would pay. Streams are
 * exempt (docs/compatibility.md §3.7): their camera may be silent for longer, their client may read slowly.
 */
import type { Socket } from 'node:net';

interface Seen {
  read: number;
  written: number;
  since: number;
}

export class IdleConnections {
  readonly #seen = new Map<Socket, Seen>();
  readonly #idleMs: number;
  readonly #exempt: (socket: Socket) => boolean;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;

  constructor(idleMs: number, exempt: (socket: Socket) => boolean, now: () => number = () => performance.now()) {
    this.#idleMs = idleMs;
    this.#exempt = exempt;
    this.#now = now;
  }

  track(socket: Socket): void {
    this.#seen.set(socket, { read: socket.bytesRead, written: socket.bytesWritten, since: this.#now() });
    socket.once('close', () => this.#seen.delete(socket));
  }

  /** Sweeps every quarter of the idle time: a connection goes after idle time … idle time + a quarter. */
  start(): void {
    if (this.#timer || this.#idleMs <= 0) return;
    this.#timer = setInterval(() => this.sweep(), Math.max(50, this.#idleMs / 4));
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  sweep(): void {
    const now = this.#now();
    for (const [socket, seen] of this.#seen) {
      const read = socket.bytesRead;
      const written = socket.bytesWritten;
      if (read !== seen.read || written !== seen.written || this.#exempt(socket)) {
        seen.read = read;
        seen.written = written;
        seen.since = now;
      } else if (now - seen.since >= this.#idleMs) {
        socket.destroy();
      }
    }
  }
}
