/**
 * The headless panel's open preview streams (`GET /media/preview/<camera>`), by panel session. They are
 * MJPEG streams on hijacked sockets, paced by the kernel's send queue (mjpeg-client.ts), so they end only
 * when the page leaves, its session logs out or ends, or the server stops: this table does the last two.
 */
import type { Socket } from 'node:net';
import type { PanelSession } from '../registry/handler-registry.js';

export class PreviewSockets {
  readonly #owners = new Map<Socket, PanelSession>();
  #closed = false;

  /** Registers a stream's socket; false (and the socket is destroyed) once the server is stopping. */
  add(owner: PanelSession, socket: Socket): boolean {
    if (this.#closed) {
      socket.destroy();
      return false;
    }
    this.#owners.set(socket, owner);
    socket.once('close', () => this.#owners.delete(socket));
    return true;
  }

  /** Ends the streams of every session `keep` says no to. */
  endUnless(keep: (session: PanelSession) => boolean): void {
    const verdicts = new Map<PanelSession, boolean>();
    for (const [socket, owner] of this.#owners) {
      let kept = verdicts.get(owner);
      if (kept === undefined) verdicts.set(owner, (kept = keep(owner)));
      if (!kept) socket.destroy();
    }
  }

  /** Whether `owner` has an open stream. */
  has(owner: PanelSession): boolean {
    for (const session of this.#owners.values()) if (session === owner) return true;
    return false;
  }

  get size(): number {
    return this.#owners.size;
  }

  closeAll(): void {
    this.#closed = true;
    for (const socket of this.#owners.keys()) socket.destroy();
    this.#owners.clear();
  }
}
