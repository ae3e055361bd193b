/**
 * Request bodies the way Flask's strict `request.get_json()` reads them (raspicamsrv-behaviour.md §6.1):
 * Content-Type must be JSON (415 otherwise), the body must parse (400), size ≤ 64 KiB (400, as the issue asks: a bad body is a bad request).
 *
 * GET with a JSON body: raspiCamSrv clients send them (/api/record_video with "duration", /api/probe),
 * but Fastify never parses a GET body (request.body stays undefined and the stream is left unread).
 * `readJsonBody` therefore reads the raw stream itself for GET, so GET endpoints just call it like POST ones.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { ApiHttpError, BODY_LIMIT_BYTES, ERROR_TEXTS } from './json-errors.js';

/** Werkzeug `Request.is_json`: application/json or application/*+json, parameters ignored. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mimeType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return mimeType === 'application/json' || (mimeType.startsWith('application/') && mimeType.endsWith('+json'));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The parsed JSON body (any JSON value: callers validate the shape with zod). */
export async function readJsonBody(request: FastifyRequest): Promise<unknown> {
  if (!isJsonContentType(request.headers['content-type'])) throw new ApiHttpError(415, ERROR_TEXTS.notJsonContentType);
  const bytes = Buffer.isBuffer(request.body) ? request.body : await readUnparsedBody(request.raw);
  try {
    // The decoder drops a UTF-8 BOM, as Python's json.loads does for bytes.
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new ApiHttpError(400, ERROR_TEXTS.badJson);
  }
}

/**
 * The body of a request Fastify did not parse (GET/HEAD/DELETE), with the same size limit.
 * A request without Content-Length and Transfer-Encoding has no body (RFC 9112 §6.3): empty buffer.
 */
export function readUnparsedBody(raw: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = raw.headers['content-length'];
  if (declared === undefined && raw.headers['transfer-encoding'] === undefined) return Promise.resolve(Buffer.alloc(0));
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new ApiHttpError(400, ERROR_TEXTS.bodyTooLarge));
  if (raw.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = () => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanUp();
        // Stop buffering; Node discards the rest of the body once the response is sent.
        reject(new ApiHttpError(400, ERROR_TEXTS.bodyTooLarge));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanUp();
      reject(new ApiHttpError(400, ERROR_TEXTS.badRequest));
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
  });
}
