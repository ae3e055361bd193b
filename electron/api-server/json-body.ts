/**
 * Request bodies, shared by every dialect: JSON only, at most 64 KiB, read the same way for POST and for
 * GET (raspiCamSrv's clients send JSON bodies on GET, which Fastify never parses). Problems are reported
 * as a BodyError naming what was wrong; each dialect words it in its own error shape.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

export const BODY_LIMIT_BYTES = 64 * 1024;

export type BodyProblem = 'notJson' | 'badJson' | 'tooLarge' | 'unreadable';

export class BodyError extends Error {
  constructor(readonly problem: BodyProblem) {
    super(`request body: ${problem}`);
    this.name = 'BodyError';
  }
}

/** Werkzeug `Request.is_json`: application/json or application/*+json, parameters ignored. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mimeType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return mimeType === 'application/json' || (mimeType.startsWith('application/') && mimeType.endsWith('+json'));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The parsed JSON body (any JSON value: callers validate the shape with zod). */
export async function readJsonBody(request: FastifyRequest): Promise<unknown> {
  if (!isJsonContentType(request.headers['content-type'])) throw new BodyError('notJson');
  return parseJson(await bodyBytes(request));
}

/**
 * A body that may be absent: undefined when the request has none (no Content-Length, no chunking, or
 * zero bytes), whatever its Content-Type; otherwise it must be JSON like readJsonBody's.
 */
export async function readOptionalJsonBody(request: FastifyRequest): Promise<unknown> {
  const bytes = await bodyBytes(request);
  if (bytes.length === 0) return undefined;
  if (!isJsonContentType(request.headers['content-type'])) throw new BodyError('notJson');
  return parseJson(bytes);
}

function parseJson(bytes: Buffer): unknown {
  try {
    // The decoder drops a UTF-8 BOM, as Python's json.loads does for bytes.
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new BodyError('badJson');
  }
}

const bodyBytes = (request: FastifyRequest): Promise<Buffer> =>
  Buffer.isBuffer(request.body) ? Promise.resolve(request.body) : readUnparsedBody(request.raw);

/**
 * The body of a request Fastify did not parse (GET/HEAD/DELETE), with the same size limit.
 * A request without Content-Length and Transfer-Encoding has no body (RFC 9112 §6.3): empty buffer.
 */
export function readUnparsedBody(raw: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = raw.headers['content-length'];
  if (declared === undefined && raw.headers['transfer-encoding'] === undefined) return Promise.resolve(Buffer.alloc(0));
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new BodyError('tooLarge'));
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
        reject(new BodyError('tooLarge'));
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
      reject(new BodyError('unreadable'));
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
  });
}
