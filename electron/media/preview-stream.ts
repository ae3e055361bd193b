/**
 * A camera's preview as a pull-based WHATWG stream, in the same multipart format as the MJPEG streams
 * (mjpeg-client.ts, docs/compatibility.md §5), for a transport that has no socket to pace by: Electron's
 * protocol handler. The consumer's read decides when a frame goes out, and each read gets the newest frame
 * that is newer than the last one sent, so a slow reader skips frames and nothing old is queued
 * (highWaterMark 0: nothing is produced before it is asked for). While open it holds the camera like a
 * stream client does, so the source keeps running and the client is counted.
 */
import type { Frame, FrameHub } from '../pipeline/frames/frame-hub.js';
import { KEEPALIVE_MS, STREAM_BOUNDARY, partHead } from '../api-server/streams/mjpeg-client.js';

/** The parts of the camera service a preview needs. */
export interface PreviewCamera {
  readonly hub: FrameHub;
  isConfigured(camera: number): boolean;
  /** The pipeline's state ("failed" and "stopped" will deliver nothing). */
  state(): { state: string };
  /** Counts a preview as a client of `camera` and keeps its source running until the returned function is called. */
  holdPreview(camera: number): () => void;
}

export interface PreviewOptions {
  /** Checked before each frame: false ends the stream (the window logged out). */
  allowed?: () => boolean;
  /** Aborting ends the stream (the app is quitting). */
  signal?: AbortSignal;
  keepAliveMs?: number;
}

const CRLF = Buffer.from('\r\n');

export const PREVIEW_HEADERS = {
  'Content-Type': `multipart/x-mixed-replace; boundary=${STREAM_BOUNDARY}`,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** Why a preview of `camera` cannot start, as [status, message], or null when it can. */
export function previewRefusal(camera: Pick<PreviewCamera, 'isConfigured' | 'state'>, num: number): [404 | 503, string] | null {
  if (!camera.isConfigured(num)) return [404, `Camera ${num} is not configured`];
  const state = camera.state().state;
  if (state === 'failed' || state === 'stopped') return [503, `The camera pipeline is ${state}`];
  return null;
}

/** One part: boundary, headers, JPEG, CRLF, as one chunk so a reader never sees half a frame's head. */
export const framePart = (frame: Frame): Uint8Array => Buffer.concat([partHead(frame), frame.jpeg, CRLF]);

/** The body of a preview; call previewRefusal first. */
export function previewStream(camera: PreviewCamera, num: number, options: PreviewOptions = {}): ReadableStream<Uint8Array> {
  const { hub } = camera;
  const keepAliveMs = options.keepAliveMs ?? KEEPALIVE_MS;
  const release = camera.holdPreview(num);
  let lastSeq = 0;
  let lastSentAt = 0;
  let cleanup: (() => void) | null = null;
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    cleanup?.();
    cleanup = null;
    release();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (options.signal?.aborted) {
          end();
          controller.close();
          return;
        }
        options.signal?.addEventListener(
          'abort',
          () => {
            if (ended) return;
            end();
            controller.close();
          },
          { once: true },
        );
      },
      pull(controller) {
        if (ended) return;
        if (options.allowed && !options.allowed()) {
          end();
          controller.close();
          return;
        }
        const send = (frame: Frame) => {
          lastSeq = frame.seq;
          lastSentAt = performance.now();
          controller.enqueue(framePart(frame));
        };
        // The first read takes a recent frame at once; later ones only a frame they have not had.
        const ready = lastSeq === 0 ? hub.fresh(num, keepAliveMs) : hub.latest(num);
        if (ready && ready.seq > lastSeq) {
          send(ready);
          return;
        }
        return new Promise<void>((resolve) => {
          let timer: NodeJS.Timeout | null = null;
          const finish = (frame: Frame | undefined) => {
            cleanup?.();
            cleanup = null;
            if (frame && !ended) send(frame);
            resolve();
          };
          const unsubscribe = hub.subscribe(num, (frame) => finish(frame));
          // A quiet source (restarting): the last frame again about once a second, as the MJPEG streams do.
          const arm = () => {
            const wait = Math.max(0, lastSentAt + keepAliveMs - performance.now());
            timer = setTimeout(() => {
              const again = hub.latest(num);
              if (again) finish(again);
              else arm();
            }, lastSeq === 0 ? keepAliveMs : wait);
          };
          arm();
          cleanup = () => {
            unsubscribe();
            if (timer) clearTimeout(timer);
            resolve();
          };
        });
      },
      cancel() {
        end();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );
}
