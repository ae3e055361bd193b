/**
 * How /system refuses, in privacyIDEA's envelope and with its codes: a SystemError is 400 `ERR<id>: …`,
 * authentication 401 with 4033/4304/4305/4306, an unknown URL 404/601. Where privacyIDEA would let
 * Flask answer in HTML (405, 404, a body that is not JSON, a body too large) CamPanel keeps the envelope,
 * with the HTTP status as the code: this port never sends HTML. Nothing the client sent is repeated back,
 * and an unexpected error is logged and answered 500 without its text.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DomainError } from '../../core/errors.js';
import { BODY_LIMIT_BYTES, BodyError, type BodyProblem } from '../json-body.js';
import { ERROR_TEXTS } from '../raspicamsrv/errors.js';
import { errorBody, sendEnvelope } from './envelope.js';
import { SystemError } from './system-api.js';

export const PI_ERROR_TEXTS = {
  notFound: ERROR_TEXTS.notFound,
  methodNotAllowed: ERROR_TEXTS.methodNotAllowed,
  badJson: 'Bad Request: Failed to decode JSON object: the body is not valid JSON. Send one object, e.g. {"splitAtSign": "True"}',
  jsonNotObject: 'Bad Request: The JSON body must be one object of parameters, e.g. {"splitAtSign": "True"}',
  multipart: 'Bad Request: multipart/form-data is not accepted. Send parameters in the query string, as application/x-www-form-urlencoded or as JSON',
  bodyTooLarge: `Request Entity Too Large: The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  badRequest: `Bad Request: ${ERROR_TEXTS.badRequest}`,
  internal: 'Internal Server Error: The server encountered an internal error and was unable to complete your request.',
} as const;

/** privacyIDEA's AuthError ids. */
export const AUTH_CODES = { missingHeader: 4033, badToken: 4304, expired: 4305, wrongRole: 4306 } as const;

export const PI_AUTH_TEXTS = {
  missingHeader: 'Authentication failure. Missing Authorization header.',
  expired: 'Authentication failure. Your token has expired: Signature has expired',
  wrongRole: "Authentication failure. You do not have the necessary role (['admin']) to access this resource!",
} as const;

/** privacyIDEA's 4304 text; `reason` stands where PyJWT's message would (never the token itself). */
export const badTokenText = (reason: string): string => `Authentication failure. Error decoding the Authorization token: ${reason}`;

/** A refusal with its HTTP status, envelope code and message (no `ERR` prefix: the message is sent as is). */
export class SystemHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly detail: null | Record<string, never> = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SystemHttpError';
  }
}

export const authError = (code: number, message: string, detail: null | Record<string, never> = null): SystemHttpError =>
  new SystemHttpError(401, code, message, detail);

const BODY_ERRORS: Record<BodyProblem, SystemHttpError> = {
  notJson: new SystemHttpError(400, 400, PI_ERROR_TEXTS.badJson),
  badJson: new SystemHttpError(400, 400, PI_ERROR_TEXTS.badJson),
  tooLarge: new SystemHttpError(413, 413, PI_ERROR_TEXTS.bodyTooLarge),
  unreadable: new SystemHttpError(400, 400, PI_ERROR_TEXTS.badRequest),
};

/** The envelope for any error a /system route ends with; unexpected ones go to the log, not to the client. */
export function sendSystemError(reply: FastifyReply, error: unknown, version: string | undefined, logger: Logger | undefined, request?: FastifyRequest): void {
  const refusal = asRefusal(error);
  if (refusal) {
    for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
    return sendEnvelope(reply, refusal.status, errorBody(refusal.code, refusal.message, version, refusal.detail));
  }
  logger?.error({ err: error, method: request?.method, url: request?.routeOptions.url }, 'api /system: unexpected error');
  sendEnvelope(reply, 500, errorBody(-500, PI_ERROR_TEXTS.internal, version));
}

function asRefusal(error: unknown): SystemHttpError | null {
  if (error instanceof SystemHttpError) return error;
  if (error instanceof SystemError) return new SystemHttpError(400, error.id, `ERR${error.id}: ${error.message}`);
  if (error instanceof BodyError) return BODY_ERRORS[error.problem];
  // The services behind SystemApi speak SystemError; a DomainError from a shared operation is still the
  // caller's mistake (or a missing entry), never a reason for a 500.
  if (error instanceof DomainError) {
    if (error.code === 'not_found') return new SystemHttpError(404, 601, error.message);
    if (error.code === 'invalid' || error.code === 'bad_request' || error.code === 'conflict' || error.code === 'unsupported') {
      return new SystemHttpError(400, 905, `ERR905: ${error.message}`);
    }
    return null;
  }
  if (error === null || typeof error !== 'object') return null;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return BODY_ERRORS.tooLarge;
  // Other client errors Fastify finds itself (bad Content-Length, aborted body…): the status means something,
  // Fastify's text is not part of this wire format.
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return new SystemHttpError(statusCode, statusCode, PI_ERROR_TEXTS.badRequest);
  return null;
}

export function installSystemErrorHandlers(app: FastifyInstance, version: string | undefined, logger: Logger | undefined): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => sendSystemError(reply, error, version, logger, request));
  app.setNotFoundHandler((_request, reply) => sendNotFound(reply, version));
}

export function sendNotFound(reply: FastifyReply, version: string | undefined): void {
  sendEnvelope(reply, 404, errorBody(601, PI_ERROR_TEXTS.notFound, version));
}

/** 405 with Allow (sorted, as Werkzeug lists it), in the envelope instead of Werkzeug's HTML page. */
export function sendMethodNotAllowed(reply: FastifyReply, allowed: readonly string[], version: string | undefined): void {
  reply.header('allow', allowHeader(allowed));
  sendEnvelope(reply, 405, errorBody(405, PI_ERROR_TEXTS.methodNotAllowed, version));
}

export const allowHeader = (allowed: readonly string[]): string => [...new Set(allowed)].sort().join(', ');

/**
 * For api-app.ts's frameworkErrors: a /system URL Fastify cannot decode (e.g. `/system/%zz`) answered in
 * this dialect's envelope rather than raspiCamSrv's shape. Like the rest, it repeats nothing of the URL.
 */
export function sendSystemFrameworkError(reply: FastifyReply, version: string | undefined): void {
  sendEnvelope(reply, 400, errorBody(400, PI_ERROR_TEXTS.badRequest, version));
}

/** Whether a request target belongs to /system (for answers given before routing). */
export function isSystemUrl(url: string): boolean {
  return url === '/system' || url.startsWith('/system/') || url.startsWith('/system?') || url.startsWith('/system#');
}
