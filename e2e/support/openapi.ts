/**
 * Black-box check of live answers against the OpenAPI document (docs/openapi.json): the operation found by
 * method and path template, the response by status (then 4XX, then default), the Content-Type among the
 * documented ones, and a JSON body valid against its schema (ajv, JSON Schema 2020-12). Any mismatch,
 * an undocumented path, method or status included, throws with a message saying what differed; the
 * message names keys and schema paths, never the body's values (they may hold tokens).
 *
 * HEAD is checked as the GET it mirrors, without a body. OPTIONS and methods a URL refuses (405) are the
 * port's general rules (docs/compatibility.md §3.6), not operations: a test sending them on purpose skips
 * the check (see checkHttpAnswer).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface ObservedAnswer {
  method: string;
  /** The URL path as requested (a query string is ignored): /api/login, /system/some.key, /api/stream?camera=0. */
  path: string;
  status: number;
  /** The Content-Type header, if any. */
  contentType?: string | undefined;
  /** The body as received; undefined when not read (a stream) or for HEAD. */
  body?: string | Buffer | undefined;
}

export interface OpenApiChecker {
  /** Throws OpenApiMismatch when the answer is not what the document says. */
  check(answer: ObservedAnswer): void;
  /** Compiles every request and response schema (throws on one ajv refuses); returns how many. */
  compileAll(): number;
}

export class OpenApiMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiMismatch';
  }
}

type Json = Record<string, unknown>;
const COMPONENTS_ID = 'urn:campanel:openapi:components';
const ZOD_ONLY_FORMATS = ['jwt', 'base64', 'base64url', 'cuid', 'cuid2', 'nanoid', 'ulid', 'xid', 'ksuid', 'e164', 'emoji', 'cidrv4', 'cidrv6', 'mac'];
const METHODS = ['get', 'post', 'delete', 'put', 'patch', 'options', 'head', 'trace'] as const;

export function openApiChecker(document: unknown, source = 'the OpenAPI document'): OpenApiChecker {
  const doc = asObject(document);
  const paths = asObject(doc.paths);
  const components = asObject(doc.components);
  const defs = rewriteRefs(asObject(components.schemas)) as Json;
  const sharedResponses = asObject(components.responses);
  // Literal paths before templated ones (OpenAPI's rule), then fewer parameters first.
  const templates = Object.keys(paths)
    .map((template) => ({ template, segments: template.split('/') }))
    .sort((a, b) => parameterCount(a.segments) - parameterCount(b.segments));

  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  // ajv-formats is CommonJS: under NodeNext its default export arrives as the module object.
  addFormats.default(ajv);
  // Formats zod writes that ajv-formats does not know: annotations only (a pattern beside them does the checking).
  for (const format of ZOD_ONLY_FORMATS) ajv.addFormat(format, true);
  // The named schemas, added once; each compiled schema refers to them there.
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: defs });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(schema) as Json);
      compiled.set(key, validate);
    }
    return validate;
  };

  const resolveResponse = (response: unknown): Json => {
    const object = asObject(response);
    const ref = object.$ref;
    if (typeof ref !== 'string') return object;
    const name = ref.replace(/^#\/components\/responses\//, '');
    if (!(name in sharedResponses)) throw new OpenApiMismatch(`${source} refers to a response it does not define: ${ref}`);
    return asObject(sharedResponses[name]);
  };

  const check = (answer: ObservedAnswer): void => {
    const method = answer.method.toLowerCase();
    const path = answer.path.split('?')[0] ?? '';
    const what = `${answer.method.toUpperCase()} ${path}`;
    const found = templates.find(({ segments }) => matches(segments, path.split('/')));
    if (!found) throw new OpenApiMismatch(`${what}: the path is not in ${source}`);
    const item = asObject(paths[found.template]);
    const asMethod = method === 'head' && !item.head ? 'get' : method;
    const operation = item[asMethod];
    if (!operation) {
      const documented = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
      throw new OpenApiMismatch(`${what}: ${source} documents ${found.template} only for ${documented.join(', ')}`);
    }
    const responses = asObject(asObject(operation).responses);
    const status = String(answer.status);
    const statusKey = [status, `${status[0] ?? ''}XX`, 'default'].find((key) => key in responses);
    if (!statusKey) {
      throw new OpenApiMismatch(`${what} answered ${status}, which ${source} does not document for ${found.template} (documented: ${Object.keys(responses).join(', ')})`);
    }
    const response = resolveResponse(responses[statusKey]);
    const content = response.content === undefined ? {} : asObject(response.content);
    const mediaTypes = Object.keys(content);
    const bodyless = method === 'head' || answer.body === undefined || answer.body.length === 0;
    if (mediaTypes.length === 0) {
      if (!bodyless) throw new OpenApiMismatch(`${what} ${status}: ${source} documents no body, the answer has one`);
      return;
    }
    const essence = (answer.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const mediaType = mediaTypes.find((type) => mediaTypeMatches(type, essence));
    if (!mediaType) {
      throw new OpenApiMismatch(`${what} ${status}: Content-Type "${essence || '(none)'}" is not documented (documented: ${mediaTypes.join(', ')})`);
    }
    if (method === 'head' || answer.body === undefined) return;
    const schema = asObject(content[mediaType]).schema;
    if (schema === undefined || !isJson(mediaType)) return;
    let body: unknown;
    try {
      body = JSON.parse(answer.body.toString());
    } catch {
      throw new OpenApiMismatch(`${what} ${status}: the body is not JSON although ${mediaType} is documented`);
    }
    const validate = compile(`${found.template} ${asMethod} ${statusKey} ${mediaType}`, schema);
    if (!validate(body)) {
      throw new OpenApiMismatch(`${what} ${status}: the body does not match ${source}: ${describeErrors(validate.errors ?? [])}`);
    }
  };

  const compileAll = (): number => {
    let count = 0;
    for (const [template, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const operation = asObject(item)[method];
        if (!operation) continue;
        const { requestBody, responses } = asObject(operation);
        const bodies = requestBody ? Object.entries(asObject(asObject(requestBody).content)).map(([type, media]) => [`request ${type}`, media] as const) : [];
        for (const [key, media] of bodies) {
          const schema = asObject(media).schema;
          if (schema === undefined) continue;
          compile(`${template} ${method} ${key}`, schema);
          count += 1;
        }
        for (const [status, response] of Object.entries(asObject(responses))) {
          const content = resolveResponse(response).content;
          for (const [type, media] of Object.entries(content === undefined ? {} : asObject(content))) {
            const schema = asObject(media).schema;
            if (schema === undefined) continue;
            compile(`${template} ${method} ${status} ${type}`, schema);
            count += 1;
          }
        }
      }
    }
    return count;
  };

  return { check, compileAll };
}

let committed: OpenApiChecker | null = null;

/** The checker for the committed docs/openapi.json, read and compiled on first use. */
function committedChecker(): OpenApiChecker {
  if (!committed) {
    const file = new URL('../../docs/openapi.json', import.meta.url);
    committed = openApiChecker(JSON.parse(readFileSync(file, 'utf8')), 'docs/openapi.json');
  }
  return committed;
}

/** Throws OpenApiMismatch when `answer` is not what docs/openapi.json documents. */
export function expectMatchesOpenApi(answer: ObservedAnswer): void {
  committedChecker().check(answer);
}

/**
 * For e2e/support/http.ts: checks one raw answer (absolute URL, node:http's headers) against docs/openapi.json.
 * A request outside the document on purpose (OPTIONS, a refused method, an unknown URL) must not be passed here.
 */
export function checkHttpAnswer(method: string, url: string, answer: { status: number; headers: Record<string, string | string[] | undefined>; body: string | Buffer }): void {
  const contentType = answer.headers['content-type'];
  expectMatchesOpenApi({
    method,
    path: new URL(url).pathname,
    status: answer.status,
    contentType: Array.isArray(contentType) ? contentType[0] : contentType,
    body: answer.body,
  });
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

const parameterCount = (segments: readonly string[]) => segments.filter(isParameter).length;
const isParameter = (segment: string) => /^\{[^}]+\}$/.test(segment);

function matches(template: readonly string[], path: readonly string[]): boolean {
  return template.length === path.length && template.every((segment, index) => (isParameter(segment) ? (path[index] ?? '') !== '' : segment === path[index]));
}

function mediaTypeMatches(documented: string, actual: string): boolean {
  const type = documented.toLowerCase();
  if (type === '*/*') return actual !== '';
  if (type.endsWith('/*')) return actual.startsWith(type.slice(0, -1));
  return type === actual;
}

const isJson = (mediaType: string) => /^application\/(.+\+)?json$/i.test(mediaType);

/** The document's refs point to components/schemas; ajv finds them in the schema added as COMPONENTS_ID. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' ? item.replace(/^#\/components\/schemas\//, `${COMPONENTS_ID}#/$defs/`) : rewriteRefs(item);
  }
  return out;
}

/** ajv's errors as "where: what", keys named, values never quoted. */
function describeErrors(errors: readonly ErrorObject[]): string {
  const lines = errors.slice(0, 8).map((error) => {
    const where = error.instancePath === '' ? '(body)' : error.instancePath;
    const extra = 'additionalProperty' in error.params ? ` ("${String(error.params.additionalProperty)}")` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
  return lines.join('; ') + (errors.length > 8 ? `; and ${errors.length - 8} more` : '');
}
