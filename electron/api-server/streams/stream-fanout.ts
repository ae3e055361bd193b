/**
 * Every open MJPEG stream, per camera. One frame-hub subscription per camera feeds all of its clients;
 * the count of clients is what keeps a camera's source running (idle timeout) and what /api/info reports.
 * Lives as long as the camera service, across API restarts (the listener ends its own sockets when it stops).
 */
import type { Socket } from 'node:net';
import type { FrameHub } from '../../pipeline/frames/frame-hub.js';
import { KEEPALIVE_MS, MjpegClient, STREAM_RESPONSE_HEAD } from './mjpeg-client.js';
import type { SendQueueProbe } from './send-queue.js';

export class StreamFanout {
  readonly #hub: FrameHub;
  readonly #probe: SendQueueProbe | null;
  readonly #onClients: (camera: number, count: number) => void;
  readonly #clients = new Map<number, Set<MjpegClient>>();
  readonly #unsubscribe = new Map<number, () => void>();
  #keepAlive: NodeJS.Timeout | null = null;

  constructor(hub: FrameHub, probe: SendQueueProbe | null, onClients: (camera: number, count: number) => void) {
    this.#hub = hub;
    this.#probe = probe;
    this.#onClients = onClients;
  }

  /** Starts a stream on a socket whose request has been read; the response head is written here. */
  open(camera: number, socket: Socket): MjpegClient {
    socket.setNoDelay(true);
    socket.write(STREAM_RESPONSE_HEAD);
    const client = new MjpegClient(socket, this.#probe);
    let set = this.#clients.get(camera);
    if (!set) {
      set = new Set();
      this.#clients.set(camera, set);
      const clients = set;
      this.#unsubscribe.set(
        camera,
        this.#hub.subscribe(camera, (frame) => {
          for (const each of clients) each.offer(frame);
        }),
      );
    }
    set.add(client);
    socket.once('close', () => this.#remove(camera, client));
    this.#startKeepAlive();
    this.#onClients(camera, set.size);
    // The newest frame at once, so a client sees a picture without waiting for the next one.
    const latest = this.#hub.fresh(camera, KEEPALIVE_MS);
    if (latest) client.offer(latest);
    return client;
  }

  clients(camera: number): number {
    return this.#clients.get(camera)?.size ?? 0;
  }

  /** Every client of every camera, for tests and the benchmark's accounting. */
  all(): MjpegClient[] {
    return [...this.#clients.values()].flatMap((set) => [...set]);
  }

  close(): void {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
    for (const unsubscribe of this.#unsubscribe.values()) unsubscribe();
    this.#unsubscribe.clear();
    this.#clients.clear();
  }

  #remove(camera: number, client: MjpegClient): void {
    const set = this.#clients.get(camera);
    if (!set?.delete(client)) return;
    if (set.size === 0) {
      this.#clients.delete(camera);
      this.#unsubscribe.get(camera)?.();
      this.#unsubscribe.delete(camera);
    }
    if (this.#clients.size === 0 && this.#keepAlive) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = null;
    }
    this.#onClients(camera, set.size);
  }

  #startKeepAlive(): void {
    if (this.#keepAlive) return;
    this.#keepAlive = setInterval(() => {
      for (const [camera, set] of this.#clients) {
        const latest = this.#hub.latest(camera);
        for (const client of set) client.keepAlive(latest);
      }
    }, KEEPALIVE_MS / 2);
    this.#keepAlive.unref();
  }
}
