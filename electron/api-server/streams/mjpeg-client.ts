/**
 * One MJPEG stream connection (multipart/x-mixed-replace, boundary "frame", as raspiCamSrv sends it; each
 * part also carries Content-Length and X-Timestamp as µStreamer's do: docs/compatibility.md §5).
 *
 * A client gets the newest frame whenever it has taken the previous one; otherwise frames are skipped, never
 * queued. "Taken" means both Node's buffer has drained and the kernel holds less than half a frame for this
 * peer (SendQueueProbe), so a slow reader cannot build up seconds of old frames in the kernel's buffers.
 */
import type { Socket } from 'node:net';
import type { Frame } from '../../pipeline/frames/frame-hub.js';
import type { SendQueueProbe } from './send-queue.js';

export const STREAM_BOUNDARY = 'frame';
const CRLF = Buffer.from('\r\n');
/** With no new frame for this long (source restarting), the last one is sent again so clients do not time out. */
export const KEEPALIVE_MS = 1000;

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
  /** Frames this client has been sent / has skipped. */
  sent = 0;
  skipped = 0;

  constructor(socket: Socket, probe: SendQueueProbe | null, now: () => number = () => performance.now()) {
    this.#socket = socket;
    this.#probe = probe;
    this.#now = now;
    socket.once('close', () => (this.#closed = true));
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

  #peerBacklogged(frame: Frame): boolean {
    if (!this.#probe) return false;
    const queued = this.#probe.queued(this.#socket.localPort, this.#socket.remotePort);
    return queued !== undefined && queued > frame.jpeg.length / 2;
  }

  #write(frame: Frame): void {
    const socket = this.#socket;
    this.#writing = true;
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
