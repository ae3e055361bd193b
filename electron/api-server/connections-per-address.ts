/**
 * Open connections per client address (docs/compatibility.md §3.7): one address cannot take the listener's
 * sockets and file descriptors from everyone else. Over the limit a connection is refused with an answer
 * (503 to its request); beyond twice the limit it is closed at once, so a flood costs no more than that.
 */
import type { Socket } from 'node:net';

export type Admission = 'admit' | 'refuse' | 'drop';

export class ConnectionsPerAddress {
  readonly #open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Counts a new connection until it closes (a dropped one is not counted) and says how to treat it. */
  admit(socket: Socket): Admission {
    const address = clientAddress(socket);
    // Already gone (reset before it was accepted): nothing to serve.
    if (address === undefined) return 'drop';
    const count = (this.#open.get(address) ?? 0) + 1;
    if (count > 2 * this.limit) return 'drop';
    this.#open.set(address, count);
    socket.once('close', () => {
      const left = (this.#open.get(address) ?? 1) - 1;
      if (left > 0) this.#open.set(address, left);
      else this.#open.delete(address);
    });
    return count > this.limit ? 'refuse' : 'admit';
  }
}

/** The client's address, an IPv4-mapped IPv6 address counted as the IPv4 address it is. */
export function clientAddress(socket: Socket): string | undefined {
  const address = socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}
