/**
 * WHATWG Responses for media: a file streamed from disk (whole or one byte range) and the small JSON
 * errors. Used by both transports: Fastify sends a Response as it is, Electron's protocol.handle returns it.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { parseRange } from './byte-range.js';

export const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

/** `{error}` with a status; never the requested path (docs/compatibility.md: answers echo nothing). */
export function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...NOSNIFF, ...headers },
  });
}

export interface FileToSend {
  path: string;
  contentType: string;
  /** What the browser should call it when downloading; null to show it inline. */
  downloadName: string | null;
  cacheControl: string;
}

/** A quoted-string filename that cannot break out of the header whatever the name holds. */
const dispositionName = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * Streams `file` from disk. The size comes from the opened handle, so a file replaced between the store's
 * check and here is sent consistently (and the handle is closed when the body ends or is cancelled).
 */
export async function fileResponse(file: FileToSend, request: { method: string; range: string | null }): Promise<Response> {
  const handle = await open(file.path, 'r');
  let handedOver = false;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return jsonError(404, 'Not found');
    const size = stat.size;
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Accept-Ranges': 'bytes',
      'Cache-Control': file.cacheControl,
      'Last-Modified': stat.mtime.toUTCString(),
      ...NOSNIFF,
    };
    if (file.downloadName !== null) headers['Content-Disposition'] = `attachment; filename="${dispositionName(file.downloadName)}"`;
    const range = parseRange(request.range, size);
    if (range.kind === 'unsatisfiable') {
      return jsonError(416, 'Range not satisfiable', { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' });
    }
    const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200];
    headers['Content-Length'] = String(Math.max(0, end - start + 1));
    if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    if (request.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
    const stream = handle.createReadStream({ start, end, autoClose: true });
    handedOver = true;
    const body = Readable.toWeb(stream) as NodeReadableStream<Uint8Array>;
    return new Response(body as unknown as ReadableStream<Uint8Array>, { status, headers });
  } finally {
    if (!handedOver) await handle.close();
  }
}
