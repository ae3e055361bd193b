/**
 * Responses that never end by themselves (MJPEG streams). The listener keeps them here so that stopping
 * it ("Restart API", shutdown) ends them at once instead of waiting forever for them to finish, and so that
 * none of its timeouts cuts them (http-listener.ts): a stream runs until its client leaves.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export class LongLivedConnections {
  readonly #sockets = new Set<Socket>();
  #closed = false;

  /** Registers a socket for the rest of its life; false (and the socket is destroyed) once the listener is stopping. */
  add(socket: Socket): boolean {
    if (this.#closed) {
      socket.destroy();
      return false;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    return true;
  }

  has(socket: Duplex): boolean {
    return (this.#sockets as ReadonlySet<Duplex>).has(socket);
  }

  get size(): number {
    return this.#sockets.size;
  }

  /** Ends every registered response now and refuses later ones. */
  closeAll(): void {
    this.#closed = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }
}
