/**
 * Streaming splitter for MJPEG (concatenated JPEGs) as camera tools write it to a pipe.
 *
 * It follows the JPEG structure instead of searching for FFD8/FFD9 pairs, because those byte pairs
 * legitimately occur inside segments (an EXIF thumbnail in APP1 has its own SOI/EOI):
 * - after SOI, marker segments are skipped by their length fields until SOS;
 * - in entropy-coded data, 0xFF is followed by 0x00 (stuffing) or RST0–7 within the scan; any other
 *   marker ends the scan (progressive JPEGs have several scans, each with its own SOS), and EOI ends
 *   the image.
 * Anything that does not fit (garbage, a truncated frame followed by a new SOI, a frame over the size
 * cap) is dropped and the splitter resynchronises on the next SOI.
 *
 * Cost per frame: native indexOf over the entropy data, JS work only per marker, and at most one copy
 * (none when the frame lies inside one chunk: the frame is then a view of that chunk).
 */

const enum State {
  /** Looking for FF D8. */
  Seek,
  /** Inside the header part: the next byte must be FF (start of a marker). */
  MarkerStart,
  /** After FF in the header part: the marker code. */
  MarkerCode,
  LengthHigh,
  LengthLow,
  /** Skipping a segment's payload. */
  Skip,
  /** Entropy-coded data after SOS. */
  Entropy,
  /** After FF in entropy-coded data. */
  EntropyMarker,
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;
const FF_BYTE = Buffer.from([0xff]);

const isRst = (code: number): boolean => code >= 0xd0 && code <= 0xd7;

export interface SplitterStats {
  frames: number;
  /** Frames given up on: corrupt structure, or over the size cap. */
  discarded: number;
}

export class JpegSplitter {
  private state = State.Seek;
  /** Seek: the previous chunk ended in 0xFF (a SOI may straddle chunks). */
  private pendingFF = false;
  /** Earlier chunks' parts of the frame being assembled. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private markerCode = 0;
  private lengthHigh = 0;
  private skipRemaining = 0;
  readonly stats: SplitterStats = { frames: 0, discarded: 0 };

  constructor(
    private readonly onFrame: (jpeg: Buffer) => void,
    private readonly maxFrameBytes = 16 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    // Normally one pass; after a structure error the given-up frame's bytes are scanned again.
    const queue: Buffer[] = [chunk];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) this.scan(next, queue);
  }

  private scan(chunk: Buffer, queue: Buffer[]): void {
    const n = chunk.length;
    // Where the current frame starts in this chunk (0 when it began in an earlier chunk), -1 when none.
    let start = this.state === State.Seek ? -1 : 0;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case State.Seek: {
          if (this.pendingFF) {
            this.pendingFF = false;
            if (chunk[i] === SOI) {
              this.parts.push(FF_BYTE);
              this.partsBytes = 1;
              start = i;
              i += 1;
              this.state = State.MarkerStart;
              break;
            }
          }
          const ff = chunk.indexOf(0xff, i);
          if (ff < 0) {
            i = n;
          } else if (ff + 1 >= n) {
            this.pendingFF = true;
            i = n;
          } else if (chunk[ff + 1] === SOI) {
            start = ff;
            i = ff + 2;
            this.state = State.MarkerStart;
          } else {
            i = ff + 1;
          }
          break;
        }
        case State.MarkerStart:
          if (chunk[i] !== 0xff) return this.giveUp(chunk, start, i, queue);
          i += 1;
          this.state = State.MarkerCode;
          break;
        case State.MarkerCode: {
          const code = chunk[i] as number;
          if (code === 0xff) {
            i += 1; // fill byte
          } else if (code === SOI) {
            // The frame was truncated: a new one starts at the preceding FF.
            this.resyncAtFF();
            start = -1;
          } else if (code === 0x00 || code === EOI) {
            return this.giveUp(chunk, start, i, queue); // no image can continue like this
          } else if (code === TEM || isRst(code)) {
            i += 1;
            this.state = State.MarkerStart;
          } else {
            this.markerCode = code;
            i += 1;
            this.state = State.LengthHigh;
          }
          break;
        }
        case State.LengthHigh:
          this.lengthHigh = chunk[i] as number;
          i += 1;
          this.state = State.LengthLow;
          break;
        case State.LengthLow: {
          const length = (this.lengthHigh << 8) | (chunk[i] as number);
          i += 1;
          if (length < 2) return this.giveUp(chunk, start, i, queue);
          this.skipRemaining = length - 2;
          this.state = this.skipRemaining > 0 ? State.Skip : this.afterSegment();
          break;
        }
        case State.Skip: {
          const step = Math.min(this.skipRemaining, n - i);
          i += step;
          this.skipRemaining -= step;
          if (this.skipRemaining === 0) this.state = this.afterSegment();
          break;
        }
        case State.Entropy: {
          const ff = chunk.indexOf(0xff, i);
          if (ff < 0) {
            i = n;
          } else {
            i = ff + 1;
            this.state = State.EntropyMarker;
          }
          break;
        }
        case State.EntropyMarker: {
          const code = chunk[i] as number;
          if (code === 0x00 || isRst(code)) {
            i += 1;
            this.state = State.Entropy;
          } else if (code === 0xff) {
            i += 1;
          } else if (code === EOI) {
            i += 1;
            this.emit(chunk, start, i);
            start = -1;
          } else if (code === SOI) {
            this.resyncAtFF();
            start = -1;
          } else {
            // A marker between scans (DHT, another SOS, …): a segment with a length.
            this.markerCode = code;
            i += 1;
            this.state = State.LengthHigh;
          }
          break;
        }
      }
    }
    if (start >= 0) {
      const tail = n - start;
      if (this.partsBytes + tail > this.maxFrameBytes) {
        this.discard();
      } else if (tail > 0) {
        this.parts.push(start === 0 ? chunk : chunk.subarray(start));
        this.partsBytes += tail;
      }
    }
  }

  private afterSegment(): State {
    return this.markerCode === SOS ? State.Entropy : State.MarkerStart;
  }

  private emit(chunk: Buffer, start: number, end: number): void {
    const total = this.partsBytes + (end - start);
    if (total > this.maxFrameBytes) {
      this.discard();
      return;
    }
    let frame: Buffer;
    if (this.parts.length === 0) {
      frame = chunk.subarray(start, end);
    } else {
      this.parts.push(chunk.subarray(start, end));
      frame = Buffer.concat(this.parts, total);
    }
    this.parts = [];
    this.partsBytes = 0;
    this.state = State.Seek;
    this.stats.frames += 1;
    this.onFrame(frame);
  }

  /**
   * The frame's structure is broken at chunk[i]. A truncated frame followed by a new one lands here
   * when the new frame's SOI fell inside what looked like a segment: its bytes are scanned again for a
   * SOI (after the failed frame's own), then the rest of the chunk.
   */
  private giveUp(chunk: Buffer, start: number, i: number, queue: Buffer[]): void {
    this.parts.push(chunk.subarray(start, i));
    const replay = Buffer.concat(this.parts).subarray(2);
    this.discard();
    queue.unshift(replay, chunk.subarray(i));
  }

  private discard(): void {
    this.parts = [];
    this.partsBytes = 0;
    this.state = State.Seek;
    this.pendingFF = false;
    this.stats.discarded += 1;
  }

  /** The current byte follows an FF that may start a new image: drop the frame, seek from that FF. */
  private resyncAtFF(): void {
    this.discard();
    this.pendingFF = true;
  }
}

/** Width and height from the first SOFn segment, or null. Only called on a camera's first frame. */
export function jpegDimensions(jpeg: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return null;
    const code = jpeg[i + 1] as number;
    if (code === 0xff) {
      i += 1;
      continue;
    }
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc) {
      return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    }
    if (code === SOS || code === EOI) return null;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return null;
}
