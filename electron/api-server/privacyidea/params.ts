/**
 * privacyIDEA's `request.all_data`: one flat map of parameters merged from, in order (later wins),
 * the query string and form fields, the JSON body, and the URL's path variables. Query and form values
 * are percent-decoded a second time (privacyIDEA's check_unquote) unless the client is one of the
 * plugins that already send them unquoted. Values become strings the way Python's str() writes them
 * (true → "True", 10 → "10"; null stays null); objects and lists are refused. The map has no prototype,
 * so keys such as `__proto__` are plain keys.
 */
import type { FastifyRequest } from 'fastify';
import { isJsonContentType, readUnparsedBody } from '../json-body.js';
import { PI_ERROR_TEXTS, SystemHttpError } from './errors.js';
import { wireValueSchema } from './schemas.js';
import { SystemError, type SystemParams } from './system-api.js';

/** privacyIDEA's plugins that send their values unquoted already (matched on the User-Agent's product name). */
export const UNQUOTED_CLIENTS: readonly string[] = ['privacyidea-cp', 'privacyidea-ldap-proxy', 'simplesamlphp'];

export const NESTED_VALUE_TEXT = 'Parameter values must be text, numbers, true, false or null; objects and lists are refused';

const lenientUtf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The merged parameters of a /system request; path variables (key, tokentype) win over everything. */
export async function readSystemParams(request: FastifyRequest, pathVars: Record<string, string> = {}): Promise<SystemParams> {
  const params: SystemParams = Object.create(null) as SystemParams;
  const unquote = unquotes(request.headers['user-agent']);
  const body = await bodyBytes(request);
  const contentType = request.headers['content-type'];
  const mimeType = (contentType?.split(';')[0] ?? '').trim().toLowerCase();
  if (mimeType === 'multipart/form-data') throw new SystemHttpError(400, 400, PI_ERROR_TEXTS.multipart);

  // Werkzeug's request.values: the query first, then the form; the first value of a repeated name counts.
  const values = [...new URLSearchParams(queryOf(request.raw.url ?? ''))];
  if (mimeType === 'application/x-www-form-urlencoded') values.push(...new URLSearchParams(lenientUtf8.decode(body)));
  for (const [name, value] of values) {
    if (!Object.hasOwn(params, name)) params[name] = unquote ? pythonUnquote(value) : value;
  }

  // A form body is form fields only (Werkzeug has consumed it), never also JSON.
  const json = mimeType === 'application/x-www-form-urlencoded' ? null : jsonBody(body, isJsonContentType(contentType));
  if (json) for (const [name, value] of Object.entries(json)) params[name] = pythonStr(value);

  for (const [name, value] of Object.entries(pathVars)) params[name] = value;
  return params;
}

const bodyBytes = (request: FastifyRequest): Promise<Buffer> =>
  Buffer.isBuffer(request.body) ? Promise.resolve(request.body) : readUnparsedBody(request.raw);

function queryOf(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return '';
  const hash = url.indexOf('#', question);
  return url.slice(question + 1, hash < 0 ? undefined : hash);
}

function unquotes(userAgent: string | undefined): boolean {
  const product = (userAgent ?? '').trim().split(/[\s/]/)[0]?.toLowerCase() ?? '';
  return !UNQUOTED_CLIENTS.includes(product);
}

/**
 * The body's parameters: with a JSON content type the body must be one JSON object (or empty); with any
 * other, a body that happens to be a JSON object counts too, and anything else is not parameters.
 */
function jsonBody(body: Buffer, declaredJson: boolean): Record<string, unknown> | null {
  if (body.length === 0) return null;
  let parsed: unknown;
  try {
    // The decoder drops a UTF-8 BOM, as Python's json.loads does for bytes.
    parsed = JSON.parse(strictUtf8.decode(body));
  } catch {
    if (declaredJson) throw new SystemHttpError(400, 400, PI_ERROR_TEXTS.badJson);
    return null;
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  if (declaredJson) throw new SystemHttpError(400, 400, PI_ERROR_TEXTS.jsonNotObject);
  return null;
}

/** Python's str() of a JSON scalar, as privacyIDEA stores it. */
export function pythonStr(value: unknown): string | null {
  // JSON.parse reads 1e400 as Infinity, which zod's number refuses; Python reads it as inf.
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const parsed = wireValueSchema.safeParse(value);
  if (!parsed.success) throw new SystemError(905, NESTED_VALUE_TEXT);
  const scalar = parsed.data;
  if (scalar === null || typeof scalar === 'string') return scalar;
  if (typeof scalar === 'boolean') return scalar ? 'True' : 'False';
  return String(scalar);
}

/**
 * Python's urllib.parse.unquote (UTF-8, errors="replace"): each run of %XX escapes becomes its bytes decoded
 * as UTF-8, malformed sequences become U+FFFD, and a % not followed by two hex digits stays as it is.
 */
export function pythonUnquote(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => lenientUtf8.decode(Buffer.from(run.replace(/%/g, ''), 'hex')));
}
