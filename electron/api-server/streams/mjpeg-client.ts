/**
 * One MJPEG stream connection (multipart/x-mixed-replace, boundary "frame", as raspiCamSrv sends it; each
 * part also carries Content-Length and X-Timestamp as µStreamer's do: docs/compatibility.md §5).
 *
 * A client gets the newest frame whenever it has taken the previous one; otherwise frames are skipped, never
 * queued. "Taken" means Node's buffer has drained and, at the kernel's last sample (SendQueueProbe), less than
 * half a frame was queued for this peer, so a slow reader cannot build up seconds of old frames in the
 * kernel's send buffer. The kernel is sampled about once a second, not per frame (it is costly), so a client
 * is *paced* when it connects and whenever a sample found more than three frames waiting for it: at most one frame
 * per sample (5 per second then), and only when that sample found less than half a frame queued; it runs free
 * after PROMOTE_AFTER samples in a row in which it took its frame. Without a probe (not Linux) clients are
 * never paced.
 */
import type { Socket } from 'node:net';
import type { Frame } from '../../pipeline/frames/frame-hub.js';
import type { SendQueueProbe } from './send-queue.js';

export const STREAM_BOUNDARY = 'frame';
const CRLF = Buffer.from('\r\n');
/** With no new frame for this long (source restarting), the last one is sent again so clients do not time out. */
export const KEEPALIVE_MS = 1000;
/** Clean samples in a row after which a paced client gets every frame again. */
export const PROMOTE_AFTER = 3;

/** The part header, built once per frame and shared by every client. */
const partHeads = new WeakMap<Frame, Buffer>();
export function partHead(frame: Frame): Buffer {
  let head = partHeads.get(frame);
  if (!head) {
    head = Buffer.from(
      `--${STREAM_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.jpeg.length}\r\n` +
        `X-Timestamp: ${frame.timestamp.toFixed(6)}\r\n\r\n`,
      'latin1',
    );
    partHeads.set(frame, head);
  }
  return head;
}

export const STREAM_RESPONSE_HEAD = Buffer.from(
  'HTTP/1.1 200 OK\r\n' +
    `Content-Type: multipart/x-mixed-replace; boundary=${STREAM_BOUNDARY}\r\n` +
    'Cache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\nExpires: 0\r\n' +
    'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n',
  'latin1',
);

export class MjpegClient {
  readonly #socket: Socket;
  readonly #probe: SendQueueProbe | null;
  readonly #now: () => number;
  #writing = false;
  #lastSent: Frame | null = null;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #closed = false;
  /** Paced: seen behind; one frame per kernel sample at most. */
  #paced = false;
  /** The probe's sample generation when this client was last sent a frame. */
  #sentAtGeneration = -1;
  #cleanSamples = 0;
  #lastJudged = -1;
  /** Frames this client has been sent / has skipped. */
  sent = 0;
  skipped = 0;

  constructor(socket: Socket, probe: SendQueueProbe | null, now: () => number = () => performance.now()) {
    this.#socket = socket;
    this.#probe = probe;
    this.#now = now;
    socket.once('close', () => (this.#closed = true));
    if (probe) {
      probe.watch(socket);
      // Until it has shown that it keeps up: a slow reader must not swallow a second of frames first.
      this.#paced = true;
      probe.setBusy(socket, true);
    }
  }

  get closed(): boolean {
    return this.#closed || this.#socket.destroyed;
  }

  /** A new frame of this client's camera. */
  offer(frame: Frame): void {
    if (this.closed) return;
    if (this.#writing || this.#peerBacklogged(frame)) {
      this.skipped++;
      return;
    }
    this.#write(frame);
  }

  /** Called about once a second: re-sends the last frame when the source has been silent (restarting). */
  keepAlive(latest: Frame | undefined): void {
    if (this.closed || this.#writing || this.#now() - this.#lastSentAt < KEEPALIVE_MS) return;
    const frame = latest ?? this.#lastSent;
    if (frame && !this.#peerBacklogged(frame)) this.#write(frame);
  }

  get paced(): boolean {
    return this.#paced;
  }

  #peerBacklogged(frame: Frame): boolean {
    const probe = this.#probe;
    if (!probe) return false;
    const queued = probe.queuedFor(this.#socket);
    // A free client is caught mid-transfer, or its reader pauses a moment, now and then: only more than three
    // whole frames waiting (100 ms at 30 fps) count as behind. A paced one gets its next frame only once its
    // queue has (nearly) drained, which a slow reader never shows often enough to run free.
    const limit = this.#paced ? frame.jpeg.length / 2 : 3 * frame.jpeg.length;
    const behind = queued !== undefined && queued > limit;
    const generation = probe.generation;
    if (generation !== this.#lastJudged) {
      this.#lastJudged = generation;
      this.#judge(behind, generation);
    }
    if (behind) return true;
    // Paced: one frame per sample, so between two looks at the kernel it cannot take a burst.
    return this.#paced && this.#sentAtGeneration === generation;
  }

  /** Once per new sample: enter or leave paced mode. */
  #judge(behind: boolean, generation: number): void {
    if (behind) {
      this.#cleanSamples = 0;
      if (!this.#paced) {
        this.#paced = true;
        this.#probe?.setBusy(this.#socket, true);
      }
      return;
    }
    // A clean sample counts only if the client had been sent a frame since the one before it.
    if (this.#paced && this.#sentAtGeneration === generation - 1 && ++this.#cleanSamples >= PROMOTE_AFTER) {
      this.#paced = false;
      this.#cleanSamples = 0;
      this.#probe?.setBusy(this.#socket, false);
    }
  }

  #write(frame: Frame): void {
    const socket = this.#socket;
    this.#writing = true;
    this.#sentAtGeneration = this.#probe?.generation ?? -1;
    this.#lastSent = frame;
    this.#lastSentAt = this.#now();
    this.sent++;
    socket.cork();
    socket.write(partHead(frame));
    socket.write(frame.jpeg);
    socket.write(CRLF, (error) => {
      this.#writing = false;
      if (error) socket.destroy();
    });
    socket.uncork();
  }
}
