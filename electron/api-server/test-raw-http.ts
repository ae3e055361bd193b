/**
 * A raw TCP client for tests of the listener: sends exact bytes (bad framing included, which node:http's
 * client refuses to produce) and parses whatever answers come back, one after the other.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names lower-cased; a repeated header keeps its values joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawExchange {
  answers: RawAnswer[];
  /** Everything the server sent, for "nothing echoed" checks. */
  bytes: Buffer;
  /** The server closed (or reset) the connection before the client gave up. */
  closedByServer: boolean;
  /** Milliseconds from connecting to the end of the exchange. */
  elapsedMs: number;
}

export interface RawOptions {
  /** Give up (and close) after this long. */
  timeoutMs?: number;
  /** After a complete final answer, wait this long for more before closing; 0 waits for the server to close. */
  graceMs?: number;
  /** Methods of the requests sent, in order: answers to HEAD have no body whatever Content-Length says. */
  methods?: readonly string[];
  /** Sent one after the other, each after this pause (slow clients). */
  pauseMs?: number;
}

export function rawExchange(port: number, chunks: string | Buffer | ReadonlyArray<string | Buffer>, options: RawOptions = {}): Promise<RawExchange> {
  const { timeoutMs = 5000, graceMs = 20, methods = [], pauseMs = 0 } = options;
  const parts = (Array.isArray(chunks) ? chunks : [chunks]) as ReadonlyArray<string | Buffer>;
  return new Promise((resolve) => {
    const started = performance.now();
    const received: Buffer[] = [];
    let finished = false;
    let grace: NodeJS.Timeout | undefined;
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(overall);
      clearTimeout(grace);
      socket.destroy();
      const bytes = Buffer.concat(received);
      resolve({ answers: parseAnswers(bytes, methods), bytes, closedByServer, elapsedMs: performance.now() - started });
    };
    const overall = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (graceMs > 0 && parseAnswers(Buffer.concat(received), methods).some((answer) => answer.status >= 200)) {
        clearTimeout(grace);
        grace = setTimeout(() => finish(false), graceMs);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      void (async () => {
        for (const [index, part] of parts.entries()) {
          if (index > 0 && pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
          if (socket.destroyed) return;
          socket.write(part);
        }
      })();
    });
  });
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The complete answers in `bytes` (an incomplete last one is left out). */
export function parseAnswers(bytes: Buffer, methods: readonly string[] = []): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let offset = 0;
  let finals = 0;
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf(HEAD_END, offset);
    if (headEnd < 0) break;
    const lines = bytes.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
    if (!Number.isInteger(status)) break;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    let bodyStart = headEnd + HEAD_END.length;
    const bodyless = status < 200 || status === 204 || status === 304 || methods[finals] === 'HEAD';
    let body: Buffer;
    if (bodyless) body = Buffer.alloc(0);
    else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const chunked = readChunked(bytes, bodyStart);
      if (!chunked) break;
      [body, bodyStart] = chunked;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (bodyStart + length > bytes.length) break;
      body = bytes.subarray(bodyStart, bodyStart + length);
      bodyStart += length;
    } else {
      // Neither length nor bodyless: the body runs to the end of the connection.
      body = bytes.subarray(bodyStart);
      bodyStart = bytes.length;
    }
    answers.push({ status, headers, body });
    if (status >= 200) finals += 1;
    offset = bodyless ? headEnd + HEAD_END.length : bodyStart;
  }
  return answers;
}

/** A chunked body starting at `start`: [body, offset after it], or null while incomplete. */
function readChunked(bytes: Buffer, start: number): [Buffer, number] | null {
  const parts: Buffer[] = [];
  let offset = start;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) return null;
    const size = parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isInteger(size)) return null;
    offset = lineEnd + 2;
    if (size === 0) {
      const end = bytes.indexOf(HEAD_END.subarray(2), offset);
      return end < 0 ? null : [Buffer.concat(parts), end + 2];
    }
    if (offset + size + 2 > bytes.length) return null;
    parts.push(bytes.subarray(offset, offset + size));
    offset += size + 2;
  }
}
