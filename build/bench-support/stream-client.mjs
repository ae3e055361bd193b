/**
 * An MJPEG stream client on a raw socket (no fetch, no http module: nothing between the bytes and the clock).
 * Parses multipart/x-mixed-replace incrementally; for every part it records when its header was read
 * (wall clock, ms) and the part's X-Timestamp, so `age = arrival − X-Timestamp` is how old the frame was when
 * the client started reading it. Bodies are skipped by Content-Length, never copied.
 *
 * Slow mode reads one complete part, pauses the socket for SLOW_PAUSE_MS, then goes on: 2 frames/s. Bytes
 * already received when it pauses are only looked at after the pause, as an application reading slowly would.
 */
import { connect } from 'node:net';
import { setTimeout as timer } from 'node:timers';
import { nowMs } from './procfs.mjs';

export const SLOW_PAUSE_MS = 500;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 16 * 1024;

export class StreamClient {
  /** One entry per part whose header was read: { at: ms, ts: X-Timestamp in ms, bytes }. */
  frames = [];
  /** Parts read to their last byte. */
  complete = 0;
  firstCompleteAt = null;
  status = null;
  /** When the response head (HTTP 200) was read. */
  headAt = null;
  error = null;
  closedAt = null;
  /** Parts whose body did not start with a JPEG start-of-image marker, or whose framing was wrong. */
  malformed = 0;

  #socket = null;
  #slow;
  #state = 'http';
  #head = Buffer.alloc(0);
  #remaining = 0;
  #checkSoi = false;
  #paused = false;
  #stash = null;
  #resumeTimer = null;
  #onComplete;

  /**
   * @param {{ port: number, path: string, slow?: boolean, onComplete?: (client: StreamClient) => void }} options
   */
  constructor({ port, path, slow = false, onComplete }) {
    this.port = port;
    this.path = path;
    this.#slow = slow;
    this.#onComplete = onComplete;
  }

  /** Connects; resolves once the socket is connected (rejects on a refused connection). */
  start() {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port });
      this.#socket = socket;
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.write(`GET ${this.path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nAccept: */*\r\n\r\n`);
        resolve(this);
      });
      socket.on('data', (chunk) => this.#onData(chunk));
      socket.on('error', (error) => {
        this.error ??= error.message;
        reject(error);
      });
      socket.on('close', () => {
        this.closedAt = nowMs();
        if (this.#resumeTimer) clearTimeout(this.#resumeTimer);
      });
    });
  }

  /** This end's port: with the server's port it names the connection in /proc/net/tcp. */
  get localPort() {
    return this.#socket?.localPort;
  }

  /** Bytes received from the kernel but not looked at yet (Node's buffer while paused, and the stash). */
  get unreadBytes() {
    return (this.#socket?.readableLength ?? 0) + (this.#stash?.length ?? 0);
  }

  get closed() {
    return this.closedAt !== null;
  }

  close() {
    if (this.#resumeTimer) clearTimeout(this.#resumeTimer);
    this.#socket?.destroy();
  }

  /** Parts whose header was read within [from, to] (ms). */
  framesBetween(from, to) {
    return this.frames.filter((frame) => frame.at >= from && frame.at <= to);
  }

  #onData(chunk) {
    if (this.#paused) {
      this.#stash = this.#stash ? Buffer.concat([this.#stash, chunk]) : chunk;
      return;
    }
    this.#process(chunk, nowMs());
  }

  #process(chunk, at) {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#paused) {
        this.#stash = chunk.subarray(offset);
        return;
      }
      if (this.#state === 'body') {
        if (this.#checkSoi && chunk.length - offset >= 2) {
          if (chunk[offset] !== 0xff || chunk[offset + 1] !== 0xd8) this.malformed += 1;
          this.#checkSoi = false;
        }
        const take = Math.min(this.#remaining, chunk.length - offset);
        offset += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#partDone();
        continue;
      }
      // 'http' (the response head) or 'part' (a part header): both end with an empty line.
      const before = this.#head.length;
      const head = before === 0 ? chunk.subarray(offset) : Buffer.concat([this.#head, chunk.subarray(offset)]);
      const end = head.indexOf(CRLFCRLF);
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) return this.#fail(`no end of ${this.#state === 'http' ? 'response head' : 'part header'} in ${head.length} bytes`);
        this.#head = Buffer.from(head);
        return;
      }
      offset += end + 4 - before;
      this.#head = Buffer.alloc(0);
      const text = head.subarray(0, end).toString('latin1');
      if (this.#state === 'http') {
        this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
        this.headAt = at;
        if (this.status !== 200) return this.#fail(`HTTP ${this.status}: ${text.split('\r\n')[0]}`);
        if (!/content-type:\s*multipart\/x-mixed-replace;\s*boundary=frame/i.test(text)) return this.#fail(`not an MJPEG stream: ${text}`);
        this.#state = 'part';
      } else {
        this.#partHeader(text, at);
      }
    }
  }

  #partHeader(text, at) {
    const lines = text.split('\r\n');
    const length = Number(/^content-length:\s*(\d+)\s*$/im.exec(text)?.[1]);
    const stamp = Number(/^x-timestamp:\s*([\d.]+)\s*$/im.exec(text)?.[1]);
    if (lines[0] !== '--frame' || !Number.isFinite(length)) return this.#fail(`bad part header: ${JSON.stringify(text)}`);
    this.frames.push({ at, ts: Number.isFinite(stamp) ? stamp * 1000 : NaN, bytes: length });
    this.#state = 'body';
    this.#remaining = length + 2; // the JPEG and the CRLF that ends the part
    this.#checkSoi = true;
  }

  #partDone() {
    this.#state = 'part';
    this.complete += 1;
    if (this.firstCompleteAt === null) this.firstCompleteAt = nowMs();
    this.#onComplete?.(this);
    if (!this.#slow || this.closed) return;
    this.#paused = true;
    this.#socket.pause();
    this.#resumeTimer = timer(() => {
      this.#resumeTimer = null;
      this.#paused = false;
      const stash = this.#stash;
      this.#stash = null;
      if (stash) this.#process(stash, nowMs());
      if (!this.#paused) this.#socket.resume();
    }, SLOW_PAUSE_MS);
  }

  #fail(message) {
    this.error ??= message;
    this.malformed += 1;
    this.#socket.destroy();
  }
}
