/**
 * Decodes at most one frame at a time and keeps only the newest one waiting: a frame that arrives while
 * another decodes replaces the waiting one (skipped, never queued), so a slow decoder shows fewer frames
 * instead of falling behind. Decoding is injected (createImageBitmap in the page) so this is testable.
 */
import type { MjpegFrame } from './mjpeg-parser';

export interface LatestFrameDecoderOptions<T> {
  decode(frame: MjpegFrame): Promise<T>;
  /** Called with each decoded image; it owns the image from then on (close it). */
  draw(image: T, frame: MjpegFrame): void;
  /** A frame that could not be decoded (a damaged JPEG): counted, and the next one tried. */
  onError?(error: unknown): void;
  /** Frees an image decoded after stop(). */
  discard?(image: T): void;
}

export class LatestFrameDecoder<T> {
  readonly #options: LatestFrameDecoderOptions<T>;
  #decoding = false;
  #pending: MjpegFrame | null = null;
  #stopped = false;
  /** Frames replaced before they were decoded / that failed to decode. */
  skipped = 0;
  failed = 0;

  constructor(options: LatestFrameDecoderOptions<T>) {
    this.#options = options;
  }

  offer(frame: MjpegFrame): void {
    if (this.#stopped) return;
    if (this.#decoding) {
      if (this.#pending) this.skipped++;
      this.#pending = frame;
      return;
    }
    void this.#run(frame);
  }

  /** Nothing is drawn after this; a decode in flight is discarded. */
  stop(): void {
    this.#stopped = true;
    this.#pending = null;
  }

  async #run(first: MjpegFrame): Promise<void> {
    this.#decoding = true;
    let frame: MjpegFrame | null = first;
    while (frame && !this.#stopped) {
      try {
        const image = await this.#options.decode(frame);
        if (this.#stopped) this.#options.discard?.(image);
        else this.#options.draw(image, frame);
      } catch (error) {
        this.failed++;
        this.#options.onError?.(error);
      }
      frame = this.#pending;
      this.#pending = null;
    }
    this.#decoding = false;
  }
}
