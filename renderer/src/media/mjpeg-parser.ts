/**
 * Splits a multipart MJPEG byte stream (multipart/x-mixed-replace) into JPEG frames, as the panel's
 * preview reads it with fetch(): parts of the form
 *
 *   --frame\r\nContent-Type: image/jpeg\r\nContent-Length: N\r\nX-Timestamp: 1764150000.123456\r\n\r\n<N bytes>\r\n
 *
 * (docs/compatibility.md §5). Tolerant of header order, case and extra headers, of LF-only line ends and of
 * a part without Content-Length (its body then ends at the next boundary); bytes that are not a part are
 * skipped up to the next boundary. Oversized headers or frames end the stream with an MjpegStreamError
 * rather than growing memory without bound. Pure: no DOM, no timers; chunks may split anywhere.
 */

export interface MjpegFrame {
  jpeg: Uint8Array;
  /** X-Timestamp: when the source took the frame (Unix seconds); null when absent or unreadable. */
  timestamp: number | null;
}

export interface MjpegParserOptions {
  /** The multipart boundary without its leading "--" ("frame" by default, as the server sends it). */
  boundary?: string;
  maxHeaderBytes?: number;
  maxFrameBytes?: number;
}

export const MJPEG_LIMITS = { maxHeaderBytes: 8 * 1024, maxFrameBytes: 16 * 1024 * 1024 } as const;

/** The stream cannot be read as MJPEG (too large a header or frame); the reader reconnects. */
export class MjpegStreamError extends Error {
  override name = 'MjpegStreamError';
}

/** The boundary parameter of a multipart Content-Type ("frame" when there is none). */
export function boundaryOf(contentType: string | null): string {
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const value = match?.[1] ?? match?.[2] ?? 'frame';
  // Some servers (mjpg-streamer forks) repeat the dashes in the parameter; the part line has them once.
  return value.startsWith('--') ? value.slice(2) : value;
}

const latin1 = (bytes: Uint8Array): string => {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
};

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** First index of `needle` in `haystack` at or after `from`; -1 when absent. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** Index of the first byte before `end` that cannot be in header text (controls other than CR, LF, tab); -1 if none. */
function firstControlByte(bytes: Uint8Array, end: number): number {
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09) || b === 0x7f) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const CRLFCRLF = ascii('\r\n\r\n');
const LFLF = ascii('\n\n');

type Phase = 'seek' | 'headers' | 'body' | 'untilBoundary';

interface PartHead {
  length: number | null;
  timestamp: number | null;
  jpeg: boolean;
}

export class MjpegParser {
  readonly #dashBoundary: Uint8Array;
  readonly #bodyEnd: Uint8Array;
  readonly #maxHeader: number;
  readonly #maxFrame: number;
  #phase: Phase = 'seek';
  /** Bytes not yet consumed while seeking / reading headers / reading a body without length. */
  #buf: Uint8Array = new Uint8Array(0);
  /** A body of known length, in the pieces it arrived in. */
  #pieces: Uint8Array[] = [];
  #have = 0;
  #head: PartHead = { length: null, timestamp: null, jpeg: true };
  /** untilBoundary: where the next search for the boundary starts (bytes before it were searched). */
  #searchFrom = 0;

  constructor(options: MjpegParserOptions = {}) {
    const boundary = options.boundary ?? 'frame';
    this.#dashBoundary = ascii(`--${boundary}`);
    this.#bodyEnd = ascii(`\r\n--${boundary}`);
    this.#maxHeader = options.maxHeaderBytes ?? MJPEG_LIMITS.maxHeaderBytes;
    this.#maxFrame = options.maxFrameBytes ?? MJPEG_LIMITS.maxFrameBytes;
  }

  /**
   * Feeds the next chunk; answers the frames it completed, oldest first. Throws MjpegStreamError.
   * The parser may keep views of `chunk` until its frame is complete: pass fresh buffers (fetch does).
   */
  push(chunk: Uint8Array): MjpegFrame[] {
    const frames: MjpegFrame[] = [];
    let input = chunk;
    for (;;) {
      if (this.#phase === 'body') {
        const need = this.#head.length! - this.#have;
        const take = Math.min(need, input.length);
        if (take > 0) {
          this.#pieces.push(input.subarray(0, take));
          this.#have += take;
          input = input.subarray(take);
        }
        if (this.#have < this.#head.length!) return frames;
        this.#finish(this.#joinPieces(), frames);
        continue;
      }
      this.#buf = concat(this.#buf, input);
      input = new Uint8Array(0);
      if (!this.#step(frames)) return frames;
    }
  }

  /** One step in seek/headers/untilBoundary; false when it needs more bytes. */
  #step(frames: MjpegFrame[]): boolean {
    const buf = this.#buf;
    if (this.#phase === 'seek') {
      const at = indexOfBytes(buf, this.#dashBoundary);
      if (at === -1) {
        // Keep only what could be the start of a boundary split across chunks.
        this.#buf = buf.slice(Math.max(0, buf.length - this.#dashBoundary.length + 1));
        return false;
      }
      this.#buf = buf.subarray(at + this.#dashBoundary.length);
      this.#phase = 'headers';
      return true;
    }
    if (this.#phase === 'headers') {
      const crlf = indexOfBytes(buf, CRLFCRLF);
      const lf = indexOfBytes(buf, LFLF);
      const end = crlf !== -1 && (lf === -1 || crlf < lf) ? { at: crlf, size: 4 } : lf !== -1 ? { at: lf, size: 2 } : null;
      const bad = firstControlByte(buf, end ? end.at : buf.length);
      if (bad !== -1) {
        // Binary bytes where header text should be: "--frame" was part of garbage; resynchronise.
        this.#buf = buf.subarray(bad);
        this.#phase = 'seek';
        return true;
      }
      if (!end) {
        if (buf.length > this.#maxHeader) throw new MjpegStreamError(`A part header is over ${this.#maxHeader} bytes: this is not an MJPEG stream`);
        return false;
      }
      if (end.at > this.#maxHeader) throw new MjpegStreamError(`A part header is over ${this.#maxHeader} bytes: this is not an MJPEG stream`);
      const head = this.#parseHead(latin1(buf.subarray(0, end.at)));
      const rest = buf.subarray(end.at + end.size);
      if (!head) {
        // Not a part header ("--frame" inside garbage, or the closing "--frame--"): look for the next boundary.
        this.#buf = rest;
        this.#phase = 'seek';
        return true;
      }
      this.#head = head;
      if (head.length === null) {
        this.#buf = rest;
        this.#searchFrom = 0;
        this.#phase = 'untilBoundary';
        return true;
      }
      if (head.length > this.#maxFrame) throw new MjpegStreamError(`A frame of ${head.length} bytes is over the ${this.#maxFrame}-byte limit`);
      this.#phase = 'body';
      this.#pieces = [];
      this.#have = 0;
      this.#buf = new Uint8Array(0);
      const frameBytes = rest.subarray(0, head.length);
      this.#pieces.push(frameBytes);
      this.#have = frameBytes.length;
      if (this.#have === head.length) {
        this.#finish(this.#joinPieces(), frames);
        this.#buf = rest.subarray(head.length);
        return true;
      }
      return false;
    }
    // untilBoundary: a part without Content-Length ends where the next boundary line starts.
    const at = indexOfBytes(buf, this.#bodyEnd, this.#searchFrom);
    if (at === -1) {
      if (buf.length > this.#maxFrame) throw new MjpegStreamError(`A frame is over the ${this.#maxFrame}-byte limit`);
      this.#searchFrom = Math.max(0, buf.length - this.#bodyEnd.length + 1);
      return false;
    }
    this.#finish(buf.slice(0, at), frames);
    this.#buf = buf.subarray(at + 2);
    return true;
  }

  #joinPieces(): Uint8Array {
    const out = new Uint8Array(this.#have);
    let at = 0;
    for (const piece of this.#pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    this.#pieces = [];
    this.#have = 0;
    return out;
  }

  #finish(jpeg: Uint8Array, frames: MjpegFrame[]): void {
    if (this.#head.jpeg && jpeg.length > 0) frames.push({ jpeg, timestamp: this.#head.timestamp });
    this.#phase = 'seek';
  }

  /** Header lines after the boundary line; null when they are not headers at all. */
  #parseHead(text: string): PartHead | null {
    const lines = text.split(/\r?\n/);
    // The boundary line itself ends the first "line"; anything on it but the closing "--" or spaces is garbage.
    const boundaryRest = lines.shift()!.trim();
    if (boundaryRest !== '') return null;
    const head: PartHead = { length: null, timestamp: null, jpeg: true };
    for (const line of lines) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) return null;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,12}$/.test(value)) return null;
        head.length = Number(value);
      } else if (name === 'x-timestamp') {
        const seconds = Number(value);
        head.timestamp = value !== '' && Number.isFinite(seconds) ? seconds : null;
      } else if (name === 'content-type') {
        head.jpeg = /^image\/(jpeg|jpg|pjpeg)\b/i.test(value);
      }
    }
    return head;
  }
}
