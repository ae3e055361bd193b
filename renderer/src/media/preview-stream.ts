/**
 * Reads a camera's preview (mediaPaths.preview) with fetch() and a body reader, the same code in the browser
 * and in Electron (campanel://app serves the same relative URL). Reconnects with backoff when the stream ends,
 * fails or stalls (the pipeline restarting), until the signal aborts.
 */
import { boundaryOf, MjpegParser, type MjpegFrame } from './mjpeg-parser';

export type PreviewConnection =
  | { phase: 'connecting'; attempt: number }
  | { phase: 'streaming' }
  | { phase: 'waiting'; attempt: number; retryInMs: number; error: string };

export interface PreviewStreamOptions {
  url: string;
  signal: AbortSignal;
  onFrame(frame: MjpegFrame): void;
  onConnection?(connection: PreviewConnection): void;
  fetchImpl?: typeof fetch;
  /** No byte for this long (the server re-sends a frame every second while its source is silent): reconnect. */
  stallMs?: number;
  backoff?(attempt: number): number;
}

/** 0.5 s, 1 s, 2 s, 4 s, then every 5 s. */
export const previewBackoff = (attempt: number): number => Math.min(5000, 500 * 2 ** Math.max(0, attempt - 1));

const STALL_MS = 5000;

/** Words for why a connection ended. */
async function responseProblem(response: Response): Promise<string | null> {
  if (response.ok) {
    const type = response.headers.get('content-type') ?? '';
    return /^multipart\//i.test(type) ? null : `The preview answered with ${type || 'no content type'}, not an MJPEG stream`;
  }
  let message = '';
  try {
    // The panel's refusals are { code, message }; the preview's own are { error: "…" }.
    const body = (await response.json()) as { message?: unknown; error?: unknown };
    const text = body.message ?? (typeof body.error === 'object' && body.error !== null ? (body.error as { message?: unknown }).message : body.error);
    if (typeof text === 'string') message = `: ${text}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `The preview answered ${response.status}${message}`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/** One connection: resolves when it ends (words for why), throws only when the outer signal aborted. */
async function readOnce(options: PreviewStreamOptions, onStreaming: () => void): Promise<string> {
  const { signal, stallMs = STALL_MS } = options;
  const connection = new AbortController();
  const abort = () => connection.abort();
  signal.addEventListener('abort', abort, { once: true });
  let stalled = false;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const armStall = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      connection.abort();
    }, stallMs);
  };
  try {
    armStall();
    const response = await (options.fetchImpl ?? fetch)(options.url, {
      signal: connection.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const problem = await responseProblem(response);
    if (problem) return problem;
    if (!response.body) return 'The preview answered without a body';
    const parser = new MjpegParser({ boundary: boundaryOf(response.headers.get('content-type')) });
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'The preview stream ended';
        armStall();
        for (const frame of parser.push(value)) {
          onStreaming();
          options.onFrame(frame);
        }
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    if (stalled) return `No frame for ${stallMs / 1000} s`;
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(stallTimer);
    signal.removeEventListener('abort', abort);
  }
}

/** Runs until `signal` aborts; never rejects. */
export async function runPreviewStream(options: PreviewStreamOptions): Promise<void> {
  const { signal, backoff = previewBackoff } = options;
  let attempt = 0;
  while (!signal.aborted) {
    options.onConnection?.({ phase: 'connecting', attempt });
    let streaming = false;
    let error: string;
    try {
      error = await readOnce(options, () => {
        if (streaming) return;
        streaming = true;
        attempt = 0;
        options.onConnection?.({ phase: 'streaming' });
      });
    } catch {
      return; // aborted
    }
    if (signal.aborted) return;
    attempt += 1;
    const retryInMs = backoff(attempt);
    options.onConnection?.({ phase: 'waiting', attempt, retryInMs, error });
    await sleep(retryInMs, signal);
  }
}
