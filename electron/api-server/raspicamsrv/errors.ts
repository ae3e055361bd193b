/**
 * raspiCamSrv's dialect answers every error as JSON (docs/compatibility.md §3): Werkzeug's texts for the
 * HTTP-level refusals, no Fastify default text, no HTML page, never an internal message or stack trace,
 * never anything the client sent (a bad URL is not repeated back).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ListenerAnswers } from '../http-listener.js';
import { BODY_LIMIT_BYTES, BodyError, type BodyProblem } from '../json-body.js';
import { precomputedJson, sendJson } from './flask-json.js';

export const ERROR_TEXTS = {
  // Werkzeug's descriptions for the same situations, so messages read like the Flask server's.
  notFound: 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  methodNotAllowed: 'The method is not allowed for the requested URL.',
  notJsonContentType: "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
  badJson: 'Failed to decode JSON object: the request body is not valid JSON',
  bodyTooLarge: `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  badRequest: 'The browser (or proxy) sent a request that this server could not understand.',
  internal: 'Internal server error',
  requestTimeout: "The server closed the network connection because the browser didn't finish the request within the specified time.",
  headersTooLarge: 'One or more header fields exceeds the maximum size.',
  entityTooLarge: 'The data value transmitted exceeds the capacity limit.',
  expectationFailed: 'The server could not meet the requirements of the Expect header',
  unavailable: 'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.',
  // CamPanel's own (Werkzeug has no such limit): says what to do about it.
  tooManyConnections: 'Too many open connections from this address. Close some and try again.',
} as const;

const BODY_ERRORS: Record<BodyProblem, { status: number; text: string }> = {
  notJson: { status: 415, text: ERROR_TEXTS.notJsonContentType },
  badJson: { status: 400, text: ERROR_TEXTS.badJson },
  tooLarge: { status: 400, text: ERROR_TEXTS.bodyTooLarge },
  unreadable: { status: 400, text: ERROR_TEXTS.badRequest },
};

/** A refusal of the request itself (bad body, wrong shape…), answered as `{"error": message}`. */
export class ApiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiHttpError';
  }
}

const NOT_FOUND_BODY = precomputedJson({ error: ERROR_TEXTS.notFound });
const METHOD_NOT_ALLOWED_BODY = precomputedJson({ error: ERROR_TEXTS.methodNotAllowed });
const INTERNAL_BODY = precomputedJson({ error: ERROR_TEXTS.internal });
const BAD_REQUEST_BODY = precomputedJson({ error: ERROR_TEXTS.badRequest });

/** The listener's own answers (http-listener.ts) in this dialect's shape. */
export const LISTENER_ANSWERS: ListenerAnswers = {
  badRequest: BAD_REQUEST_BODY,
  requestTimeout: precomputedJson({ error: ERROR_TEXTS.requestTimeout }),
  headersTooLarge: precomputedJson({ error: ERROR_TEXTS.headersTooLarge }),
  bodyTooLarge: precomputedJson({ error: ERROR_TEXTS.entityTooLarge }),
  expectationFailed: precomputedJson({ error: ERROR_TEXTS.expectationFailed }),
  methodNotAllowed: METHOD_NOT_ALLOWED_BODY,
  tooManyConnections: precomputedJson({ error: ERROR_TEXTS.tooManyConnections }),
  unavailable: precomputedJson({ error: ERROR_TEXTS.unavailable }),
};

/**
 * Fastify's frameworkErrors: a URL it cannot decode (FST_ERR_BAD_URL) and the like, found before routing.
 * Fastify's own answer repeats the URL; this one does not.
 */
export function sendFrameworkError(_error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendJson(reply, 400, BAD_REQUEST_BODY);
}

export function installNotFoundHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((_request, reply) => sendJson(reply, 404, NOT_FOUND_BODY));
}

export function installJsonErrorHandler(app: FastifyInstance, logger: Logger | undefined): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiHttpError) return sendJson(reply, error.status, { error: error.message });
    if (error instanceof BodyError) {
      const { status, text } = BODY_ERRORS[error.problem];
      return sendJson(reply, status, { error: text });
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    const code = 'code' in error ? error.code : undefined;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendJson(reply, 400, { error: ERROR_TEXTS.bodyTooLarge });
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendJson(reply, 415, { error: ERROR_TEXTS.notJsonContentType });
    // Other client errors Fastify detects itself (bad Content-Length, aborted body…): the status is
    // meaningful, Fastify's message text is not part of our wire format.
    if (status >= 400 && status < 500) return sendJson(reply, status, BAD_REQUEST_BODY);
    logger?.error({ err: error, method: request.method, url: request.routeOptions.url }, 'api: unexpected error');
    return sendJson(reply, 500, INTERNAL_BODY);
  });
}

/** 405 with an Allow header, as Werkzeug answers a known URL with another method. */
export function sendMethodNotAllowed(reply: FastifyReply, allowed: readonly string[]): void {
  reply.header('allow', allowed.join(', '));
  sendJson(reply, 405, METHOD_NOT_ALLOWED_BODY);
}
