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
  #tables: QueueTables = emptyTables();
  readonly #watched = new Map<Socket, string>();
  #timer: NodeJS.Timeout | null = null;
  #sampling: Promise<void> | null = null;
  #generation = 0;
  /** Per watched socket: the reverse key, where a peer on this machine shows its unread bytes. */
  readonly #peerKeys = new Map<Socket, string>();
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
    this.#peerKeys.set(socket, connectionKey(socket.remotePort, socket.localPort));
    socket.once('close', () => {
      this.#watched.delete(socket);
      this.#peerKeys.delete(socket);
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

  /**
   * Bytes between this socket and its peer's program at the last sample: queued to send and, when the peer is
   * on this machine, arrived but not read by it yet. Undefined when unknown.
   */
  queuedFor(socket: Socket): number | undefined {
    const key = this.#watched.get(socket);
    const sending = key === undefined ? undefined : this.#tables.sending.get(key);
    if (sending === undefined) return undefined;
    const peerKey = this.#peerKeys.get(socket);
    return sending + (peerKey === undefined ? 0 : (this.#tables.unreadLocal.get(peerKey) ?? 0));
  }

  /** Bytes queued to send on the connection between these ports at the last sample. */
  queued(localPort: number | undefined, remotePort: number | undefined): number | undefined {
    if (localPort === undefined || remotePort === undefined) return undefined;
    return this.#tables.sending.get(connectionKey(localPort, remotePort));
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
    const next = emptyTables();
    const texts = await Promise.all(FILES.map((file) => this.#read(file).catch(() => null)));
    for (const text of texts) if (text !== null) parseProcNetTcp(text, next);
    this.#tables = next;
    this.#generation++;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.sample().then(() => {
        if (this.#watched.size === 0 || this.#timer) return;
        const busy = this.#busy.size > 0 || [...this.#watched.keys()].some((socket) => (this.queuedFor(socket) ?? 0) > BUSY_BYTES);
        this.#schedule(busy ? this.#intervals.busy : this.#intervals.calm);
      });
    }, ms);
    this.#timer.unref();
  }
}

export const connectionKey = (localPort: number, remotePort: number): string => `${localPort}:${remotePort}`;

/** What one sample says about the connections: bytes queued to send, and (peers on this machine) unread. */
export interface QueueTables {
  /** connectionKey(local, remote) → tx_queue: sent or to be sent, not yet acknowledged by the peer. */
  sending: Map<string, number>;
  /**
   * connectionKey(local, remote) → rx_queue, for sockets connected to a loopback address: bytes that arrived
   * and that the program holding the socket has not read yet. For a stream client on this machine (OctoPrint
   * or Home Assistant on the same Pi) its socket is the reverse port pair of ours.
   */
  unreadLocal: Map<string, number>;
}

export const emptyTables = (): QueueTables => ({ sending: new Map(), unreadLocal: new Map() });

/** Loopback in /proc's hex: 127.x.x.x (little-endian IPv4), ::1, or ::ffff:127.x.x.x. */
export function isLoopbackHex(address: string): boolean {
  if (address.length === 8) return address.slice(6, 8).toUpperCase() === '7F';
  if (address.length !== 32) return false;
  const upper = address.toUpperCase();
  if (upper === '00000000000000000000000001000000') return true;
  return upper.startsWith('0000000000000000FFFF0000') && upper.slice(30, 32) === '7F';
}

/**
 * Lines look like `  3: 0100007F:1388 0100007F:D2A4 01 0000BB80:00000000 …`: local and remote address:port
 * (hex), state, tx_queue:rx_queue (hex). Two peers on other hosts may use the same remote port: the larger
 * queue is kept, which only makes a stream skip a frame it could have sent.
 */
export function parseProcNetTcp(text: string, into: QueueTables): void {
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || fields[3] !== ESTABLISHED) continue;
    const [, local] = fields[1]?.split(':') ?? [];
    const [remoteAddress, remote] = fields[2]?.split(':') ?? [];
    const [tx, rx] = fields[4]?.split(':') ?? [];
    if (local === undefined || remote === undefined || remoteAddress === undefined || tx === undefined || rx === undefined) continue;
    const key = connectionKey(parseInt(local, 16), parseInt(remote, 16));
    const sending = parseInt(tx, 16);
    const unread = parseInt(rx, 16);
    if (Number.isNaN(sending) || Number.isNaN(unread)) continue;
    into.sending.set(key, Math.max(sending, into.sending.get(key) ?? 0));
    if (isLoopbackHex(remoteAddress)) into.unreadLocal.set(key, Math.max(unread, into.unreadLocal.get(key) ?? 0));
  }
}
