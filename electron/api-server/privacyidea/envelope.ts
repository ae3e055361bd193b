/**
 * privacyIDEA's JSON envelope, the only body shape /system answers in (the documentation export aside):
 * `send_result` for success, `send_error` for refusals, byte-formatted like Flask's jsonify (flask-json.ts).
 * Success carries `versionnumber`, errors do not; errors always carry `detail` (null, or {} for a wrong role).
 * Every answer, whatever its status, says `Cache-Control: no-cache` as privacyIDEA's after_request does.
 * The zod schemas describe exactly these bodies for the OpenAPI document and the black-box tests.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { flaskJson, type JsonValue } from '../raspicamsrv/flask-json.js';

/** `detail` of /system/test/<type>: privacyIDEA's request thread; one process here, so its id, fixed. */
export const THREAD_ID = process.pid;

export interface SuccessDetail {
  message: string;
  threadid: number;
}

export const successDetailSchema = z.strictObject({ message: z.string(), threadid: z.int() });

/** A success envelope whose `result.value` is `value` (and, for /system/test, with `detail`). */
export function piSuccessSchema<T extends z.ZodType>(value: T, detail?: z.ZodType) {
  return z.strictObject({
    id: z.literal(1),
    jsonrpc: z.literal('2.0'),
    result: z.strictObject({ status: z.literal(true), value }),
    time: z.number().describe('Seconds since the epoch, with a fraction'),
    version: z.string().describe('"CamPanel <version>"'),
    versionnumber: z.string(),
    ...(detail ? { detail } : {}),
  });
}

export const piErrorSchema = z.strictObject({
  id: z.literal(1),
  jsonrpc: z.literal('2.0'),
  detail: z.union([z.null(), z.strictObject({})]).describe('null; {} when a token lacks the admin role'),
  result: z.strictObject({
    status: z.literal(false),
    error: z.strictObject({
      code: z.int().describe('privacyIDEA error id (905 parameter, 77 setDefault usage, 707 security module, 4033/4304/4305/4306 authentication, 601 not found)'),
      message: z.string(),
    }),
  }),
  time: z.number(),
  version: z.string(),
})
  // Listed once under components.schemas: every /system operation answers errors in it.
  .meta({ id: 'PiError' });

export type PiError = z.infer<typeof piErrorSchema>;

/** The two version strings: deps.version is "CamPanel x.y.z"; without one, privacyIDEA's own "unknown". */
export function versions(version: string | undefined): { version: string; versionnumber: string } {
  const number = (version ?? '').replace(/^CamPanel\s*/, '').trim() || 'unknown';
  return { version: `CamPanel ${number}`, versionnumber: number };
}

/**
 * Python's time.time(): wall-clock seconds as a float with microseconds. The wall clock gives the
 * milliseconds (a Pi without a clock chip jumps when NTP sets it, so no clock fixed at start will do), the
 * monotonic one the sub-millisecond part. JSON cannot mark a whole number as a float, so an instant on a
 * whole second moves by a microsecond rather than serialise as an integer.
 */
export function epochSeconds(): number {
  const seconds = Math.round((Date.now() + (performance.now() % 1)) * 1000) / 1e6;
  return Number.isInteger(seconds) ? seconds + 1e-6 : seconds;
}

export function successBody(value: JsonValue, version: string | undefined, detail?: SuccessDetail): JsonValue {
  const body: { [key: string]: JsonValue } = {
    id: 1,
    jsonrpc: '2.0',
    result: { status: true, value },
    time: epochSeconds(),
    ...versions(version),
  };
  if (detail) body['detail'] = { message: detail.message, threadid: detail.threadid };
  return body;
}

export function errorBody(code: number, message: string, version: string | undefined, detail: null | Record<string, never> = null): JsonValue {
  return {
    id: 1,
    jsonrpc: '2.0',
    detail,
    result: { status: false, error: { code, message } },
    time: epochSeconds(),
    version: versions(version).version,
  };
}

/** Sends a JSON envelope: `Content-Type: application/json` without charset, `Cache-Control: no-cache`. */
export function sendEnvelope(reply: FastifyReply, status: number, body: JsonValue): void {
  reply
    .code(status)
    .header('content-type', 'application/json')
    .header('cache-control', 'no-cache')
    .send(Buffer.from(flaskJson(body), 'utf8'));
}
