/**
 * How many bytes each TCP connection still has queued for its peer (sent but not acknowledged, or not yet
 * sent), from Linux's /proc/net/tcp and /proc/net/tcp6.
 *
 * Why: Node's socket tells only when *its own* buffer has drained into the kernel, and the kernel's send
 * buffer grows to megabytes for a client that reads slowly (4 MB measured here: 80 frames of 720p, the
 * 30–49 s old frames raspiCamSrv's slow clients see). Node cannot set SO_SNDBUF or read SIOCOUTQ on a TCP
 * socket; the kernel publishes the same number here. Elsewhere (not Linux) the probe is null and streams
 * fall back to Node's own drain signal.
 */
import { readFileSync } from 'node:fs';

const FILES = ['/proc/net/tcp', '/proc/net/tcp6'] as const;
/** Two cameras' frames arriving in the same millisecond share one read. */
const CACHE_MS = 2;
const ESTABLISHED = '01';

export type ReadText = (path: string) => string;

export class SendQueueProbe {
  readonly #read: ReadText;
  readonly #now: () => number;
  #cache = new Map<string, number>();
  #cachedAt = Number.NEGATIVE_INFINITY;

  constructor(read: ReadText = (path) => readFileSync(path, 'latin1'), now: () => number = () => performance.now()) {
    this.#read = read;
    this.#now = now;
  }

  /** A probe that works on this machine, or null. */
  static create(): SendQueueProbe | null {
    const probe = new SendQueueProbe();
    try {
      probe.#refresh();
      return probe;
    } catch {
      return null;
    }
  }

  /** Bytes queued on the connection between these ports; undefined when the kernel does not list it. */
  queued(localPort: number | undefined, remotePort: number | undefined): number | undefined {
    if (localPort === undefined || remotePort === undefined) return undefined;
    if (this.#now() - this.#cachedAt > CACHE_MS) this.#refresh();
    return this.#cache.get(connectionKey(localPort, remotePort));
  }

  #refresh(): void {
    const next = new Map<string, number>();
    let read = 0;
    for (const file of FILES) {
      let text: string;
      try {
        text = this.#read(file);
      } catch {
        continue; // no IPv6 on this machine, for instance
      }
      read++;
      parseProcNetTcp(text, next);
    }
    if (read === 0) throw new Error('/proc/net/tcp is not readable');
    this.#cache = next;
    this.#cachedAt = this.#now();
  }
}

export const connectionKey = (localPort: number, remotePort: number): string => `${localPort}:${remotePort}`;

/**
 * Lines look like `  3: 0100007F:1388 0100007F:D2A4 01 0000BB80:00000000 …`: local and remote address:port
 * (hex), state, tx_queue:rx_queue (hex). Two peers on other hosts may use the same remote port: the larger
 * queue is kept, which only makes a stream skip a frame it could have sent.
 */
export function parseProcNetTcp(text: string, into: Map<string, number>): void {
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || fields[3] !== ESTABLISHED) continue;
    const local = fields[1]?.split(':')[1];
    const remote = fields[2]?.split(':')[1];
    const tx = fields[4]?.split(':')[0];
    if (local === undefined || remote === undefined || tx === undefined) continue;
    const key = connectionKey(parseInt(local, 16), parseInt(remote, 16));
    const queued = parseInt(tx, 16);
    if (Number.isNaN(queued)) continue;
    into.set(key, Math.max(queued, into.get(key) ?? 0));
  }
}
