/**
 * Reads an MJPEG stream (multipart/x-mixed-replace) over a raw HTTP request and collects its parts, as a
 * camera client would: headers, then frames with their Content-Length and X-Timestamp.
 */
import { request, type IncomingMessage } from 'node:http';

export interface Part {
  headers: Record<string, string>;
  jpeg: Buffer;
  /** Date.now() when the part's header was read. */
  receivedAt: number;
}

export interface Stream {
  status: number;
  headers: IncomingMessage['headers'];
  parts: Part[];
  /** Resolves once `count` parts (in total) have arrived; rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<Part[]>;
  /** True once the server has ended the response. */
  ended(): boolean;
  endedAt(): number | null;
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const parts: Part[] = [];
      let buffer = Buffer.alloc(0);
      let endedAt: number | null = null;
      const waiters = new Set<() => void>();
      res.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const headEnd = buffer.indexOf('\r\n\r\n');
          if (headEnd < 0) break;
          const lines = buffer.subarray(0, headEnd).toString('latin1').split('\r\n').filter((line) => line !== '');
          const partHeaders: Record<string, string> = {};
          for (const line of lines.slice(1)) {
            const colon = line.indexOf(':');
            partHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
          }
          const length = Number(partHeaders['content-length']);
          if (!Number.isFinite(length) || buffer.length < headEnd + 4 + length + 2) break;
          parts.push({ headers: partHeaders, jpeg: Buffer.from(buffer.subarray(headEnd + 4, headEnd + 4 + length)), receivedAt: Date.now() });
          buffer = buffer.subarray(headEnd + 4 + length + 2);
          for (const wake of waiters) wake();
        }
      });
      res.on('close', () => {
        endedAt = Date.now();
        for (const wake of waiters) wake();
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        parts,
        waitFor: (count, timeoutMs = 10_000) =>
          new Promise((done, fail) => {
            const check = () => {
              if (parts.length >= count) {
                waiters.delete(check);
                clearTimeout(timer);
                done(parts);
              } else if (endedAt !== null) {
                waiters.delete(check);
                clearTimeout(timer);
                fail(new Error(`the stream ended after ${parts.length} parts`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`only ${parts.length} of ${count} parts within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        ended: () => endedAt !== null,
        endedAt: () => endedAt,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
