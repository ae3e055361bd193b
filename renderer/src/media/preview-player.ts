/**
 * Shows a camera's preview on a <canvas>: the stream reader, the newest-only decoder (createImageBitmap) and the
 * stats, drawn imperatively so React does not re-render per frame. The canvas carries what tests and the
 * benchmark read: data-frames, data-fps, data-latency-ms, data-width, data-height (the frame's natural size),
 * updated at most four times a second.
 */
import { LatestFrameDecoder } from './latest-frame-decoder';
import type { MjpegFrame } from './mjpeg-parser';
import { PreviewStats, statsText, type PreviewStatsView } from './preview-stats';
import { runPreviewStream, type PreviewConnection } from './preview-stream';

export interface PreviewPlayerOptions {
  url: string;
  canvas: HTMLCanvasElement;
  /** Where "15 fps · 80 ms behind" is written. */
  statsElement?: HTMLElement | null;
  onConnection?(connection: PreviewConnection): void;
  /** The frame's natural size changed (first frame, new resolution). */
  onSize?(width: number, height: number): void;
}

const ATTRIBUTE_INTERVAL_MS = 250;

function writeAttributes(canvas: HTMLCanvasElement, view: PreviewStatsView): void {
  const set = (name: string, value: string) => {
    if (canvas.getAttribute(name) !== value) canvas.setAttribute(name, value);
  };
  set('data-frames', String(view.frames));
  set('data-fps', String(view.fps));
  set('data-latency-ms', view.latencyMs === null ? '' : String(view.latencyMs));
  set('data-width', String(view.width));
  set('data-height', String(view.height));
}

/** Starts showing the stream; answers the function that stops it (aborts the fetch, draws nothing more). */
export function startPreviewPlayer(options: PreviewPlayerOptions): () => void {
  const { canvas, statsElement } = options;
  const context = canvas.getContext('2d', { alpha: false });
  const stats = new PreviewStats();
  const controller = new AbortController();

  const decoder = new LatestFrameDecoder<ImageBitmap>({
    decode: (frame: MjpegFrame) => createImageBitmap(new Blob([frame.jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })),
    draw: (bitmap, frame) => {
      if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
        options.onSize?.(bitmap.width, bitmap.height);
      }
      context?.drawImage(bitmap, 0, 0);
      stats.drawn(performance.now(), Date.now(), frame.timestamp, bitmap.width, bitmap.height);
      bitmap.close();
    },
    discard: (bitmap) => bitmap.close(),
  });

  const update = () => {
    const view = stats.view(performance.now());
    writeAttributes(canvas, view);
    if (statsElement) {
      const text = view.frames === 0 ? '' : statsText(view);
      if (statsElement.textContent !== text) statsElement.textContent = text;
    }
  };
  update();
  const timer = setInterval(update, ATTRIBUTE_INTERVAL_MS);

  void runPreviewStream({
    url: options.url,
    signal: controller.signal,
    onFrame: (frame) => decoder.offer(frame),
    onConnection: options.onConnection,
  });

  return () => {
    controller.abort();
    decoder.stop();
    clearInterval(timer);
  };
}
