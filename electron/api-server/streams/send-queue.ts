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
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';

const FILES = ['/proc/net/tcp', '/proc/net/tcp6'] as const;
const ESTABLISHED = '01';
/**
 * Reading the tables costs the kernel a walk over its whole TCP hash (about 3.5 ms per file on a 24 GB
 * machine, whatever the number of sockets), so they are read off the event loop and only on a timer: once a
 * second while every watched peer keeps up, five times a second while one is behind.
 */
export const SAMPLE_MS = { calm: 1000, busy: 200 } as const;
/** A watched peer with more than this queued makes the sampling busy. */
const BUSY_BYTES = 16 * 1024;

export type ReadText = (path: string) => Promise<string>;

export class SendQueueProbe {
  readonly #read: ReadText;
  readonly #intervals: { calm: number; busy: number };
  #queues = new Map<string, number>();
  readonly #watched = new Map<Socket, string>();
  #timer: NodeJS.Timeout | null = null;
  #sampling: Promise<void> | null = null;
  #generation = 0;
  /** Watchers that want the busy rate whatever the queues say (a paced client waits for each sample). */
  readonly #busy = new Set<Socket>();

  constructor(read: ReadText = (path) => readFile(path, 'latin1'), intervals: { calm: number; busy: number } = SAMPLE_MS) {
    this.#read = read;
    this.#intervals = intervals;
  }

  /** A probe for this machine, or null where the kernel does not publish the tables (not Linux). */
  static create(): SendQueueProbe | null {
    return existsSync(FILES[0]) ? new SendQueueProbe() : null;
  }

  /** Sample while at least one socket is watched; each socket is forgotten when it closes. */
  watch(socket: Socket): void {
    if (socket.localPort === undefined || socket.remotePort === undefined) return;
    this.#watched.set(socket, connectionKey(socket.localPort, socket.remotePort));
    socket.once('close', () => {
      this.#watched.delete(socket);
      this.#busy.delete(socket);
      if (this.#watched.size === 0) this.stop();
    });
    if (!this.#timer && !this.#sampling) this.#schedule(0);
  }

  /** Completed samples so far: a client compares it to know whether a new sample has come. */
  get generation(): number {
    return this.#generation;
  }

  /** Asks for the busy sampling rate while `busy` (a paced client waits for each sample). */
  setBusy(socket: Socket, busy: boolean): void {
    if (busy) this.#busy.add(socket);
    else this.#busy.delete(socket);
  }

  /** Bytes queued for this socket's peer at the last sample; undefined when unknown. */
  queuedFor(socket: Socket): number | undefined {
    const key = this.#watched.get(socket);
    return key === undefined ? undefined : this.#queues.get(key);
  }

  /** Bytes queued on the connection between these ports at the last sample. */
  queued(localPort: number | undefined, remotePort: number | undefined): number | undefined {
    if (localPort === undefined || remotePort === undefined) return undefined;
    return this.#queues.get(connectionKey(localPort, remotePort));
  }

  /** Reads both tables now (the timer calls this; tests too). */
  sample(): Promise<void> {
    this.#sampling ??= this.#readTables().finally(() => (this.#sampling = null));
    return this.#sampling;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #readTables(): Promise<void> {
    const next = new Map<string, number>();
    const texts = await Promise.all(FILES.map((file) => this.#read(file).catch(() => null)));
    for (const text of texts) if (text !== null) parseProcNetTcp(text, next);
    this.#queues = next;
    this.#generation++;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.sample().then(() => {
        if (this.#watched.size === 0 || this.#timer) return;
        const busy = this.#busy.size > 0 || [...this.#watched.values()].some((key) => (this.#queues.get(key) ?? 0) > BUSY_BYTES);
        this.#schedule(busy ? this.#intervals.busy : this.#intervals.calm);
      });
    }, ms);
    this.#timer.unref();
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
