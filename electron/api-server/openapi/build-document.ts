/**
 * Turns the dialects' OperationDocs into one OpenAPI 3.1.0 document. Schemas come from zod 4's own JSON
 * Schema output (draft 2020-12): requests as the schemas accept them (`io: 'input'`), responses as the
 * handlers produce them (`io: 'output'`, so a z.object answer lists no keys beyond its own). Schemas named
 * with `.meta({ id })` and shared answers (ResponseDoc.name) are listed once under `components`.
 *
 * The output is deterministic (paths, methods, statuses and components in a fixed order), so that the
 * committed docs/openapi.json changes only when the API does and its diff says how.
 */
import { z } from 'zod';
import type { HttpMethod, OperationDoc, ResponseDoc, SecurityKind } from './operation-doc.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface OpenApiDocument extends JsonObject {
  openapi: '3.1.0';
  info: JsonObject;
  paths: { [path: string]: JsonObject };
  components: JsonObject;
}

export interface BuildOptions {
  /** Tag → description, for the document's tag list (tags are listed in the order operations first use them). */
  tags?: Readonly<Record<string, string>>;
}

const METHOD_ORDER: readonly HttpMethod[] = ['get', 'post', 'delete'];

/**
 * How each SecurityKind appears: a list of alternatives (OpenAPI security requirements are ORed; the schemes
 * inside one requirement are ANDed). Streams take any one of Basic, ?token= and a bearer token.
 */
const SECURITY_REQUIREMENTS: Record<SecurityKind, JsonObject[]> = {
  bearer: [{ bearer: [] }],
  piAuthorization: [{ piAuthorization: [] }],
  streamAuth: [{ streamBasic: [] }, { streamToken: [] }, { bearer: [] }],
  none: [{}],
};

export const SECURITY_SCHEMES: JsonObject = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from POST /api/login (or a generated one) as `Authorization: Bearer <JWT>`; POST /api/refresh takes the refresh token the same way.',
  },
  piAuthorization: {
    type: 'apiKey',
    in: 'header',
    name: 'PI-Authorization',
    description:
      'privacyIDEA style: the JWT from POST /api/login, raw (no "Bearer " prefix), in `PI-Authorization`. ' +
      'Without that header, `Authorization: <JWT>` and `Authorization: Bearer <JWT>` are accepted too.',
  },
  streamBasic: {
    type: 'http',
    scheme: 'basic',
    description: "Streams and snapshots: HTTP Basic with a CamPanel user's name and password (what Home Assistant and browsers can send).",
  },
  streamToken: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'Streams and snapshots: an access token (typically a generated one) as `?token=<JWT>`.',
  },
};

export function buildOpenApiDocument(ops: readonly OperationDoc[], info: OpenApiInfo, options: BuildOptions = {}): OpenApiDocument {
  checkUnique(ops);
  const schemas = new SchemaComponents();
  const responses = new Map<string, { json: JsonObject; text: string }>();
  const paths = new Map<string, Map<HttpMethod, JsonObject>>();
  const tags: string[] = [];

  for (const op of ops) {
    for (const tag of op.tags) if (!tags.includes(tag)) tags.push(tag);
    const byMethod = paths.get(op.path) ?? new Map<HttpMethod, JsonObject>();
    byMethod.set(op.method, operationObject(op, schemas, responses));
    paths.set(op.path, byMethod);
  }

  const pathsObject: { [path: string]: JsonObject } = {};
  for (const path of [...paths.keys()].sort()) {
    const byMethod = paths.get(path) ?? new Map<HttpMethod, JsonObject>();
    const item: JsonObject = {};
    for (const method of METHOD_ORDER) {
      const operation = byMethod.get(method);
      if (operation) item[method] = operation;
    }
    pathsObject[path] = item;
  }

  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}) },
    tags: tags.map((name): JsonObject => {
      const description = options.tags?.[name];
      return description ? { name, description } : { name };
    }),
    paths: pathsObject,
    components: {
      schemas: sortedObject(new Map([...schemas.entries()].map(([id, entry]) => [id, entry.json]))),
      responses: sortedObject(new Map([...responses.entries()].map(([name, entry]) => [name, entry.json]))),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The committed and served form: two-space indentation and a final newline. */
export function serializeOpenApiDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function checkUnique(ops: readonly OperationDoc[]): void {
  const seen = new Set<string>();
  const ids = new Set<string>();
  for (const op of ops) {
    const key = `${op.method.toUpperCase()} ${op.path}`;
    if (seen.has(key)) throw new Error(`OpenAPI: ${key} is documented twice`);
    if (ids.has(op.operationId)) throw new Error(`OpenAPI: operationId "${op.operationId}" is used twice`);
    seen.add(key);
    ids.add(op.operationId);
  }
}

function operationObject(op: OperationDoc, schemas: SchemaComponents, shared: Map<string, { json: JsonObject; text: string }>): JsonObject {
  const operation: JsonObject = { operationId: op.operationId, summary: op.summary };
  if (op.description) operation.description = op.description;
  operation.tags = [...op.tags];
  operation.security = securityOf(op);
  const parameters = [...pathParameters(op, schemas), ...queryParameters(op, schemas)];
  if (parameters.length > 0) operation.parameters = parameters;
  if (op.requestBody) {
    operation.requestBody = {
      required: op.requestBodyOptional !== true,
      content: mapEntries(op.requestBody, (schema) => ({ schema: schemas.convert(schema, 'input') })),
    };
  }
  const responses: JsonObject = {};
  for (const status of Object.keys(op.responses).sort(compareStatus)) {
    const response = op.responses[status];
    if (response) responses[status] = responseObject(response, schemas, shared, `${op.method.toUpperCase()} ${op.path} ${status}`);
  }
  operation.responses = responses;
  return operation;
}

/** `none` alone is `[]` (no authentication); beside other kinds it is the empty requirement (authentication optional). */
function securityOf(op: OperationDoc): JsonValue[] {
  const kinds = op.security.filter((kind) => kind !== 'none');
  if (kinds.length === 0) return [];
  const requirements = kinds.flatMap((kind) => SECURITY_REQUIREMENTS[kind]);
  if (op.security.includes('none')) requirements.push({});
  // Streams list `bearer` once even if an operation names it beside streamAuth.
  const unique = new Map(requirements.map((requirement) => [JSON.stringify(requirement), requirement]));
  return [...unique.values()];
}

function pathParameters(op: OperationDoc, schemas: SchemaComponents): JsonObject[] {
  const inTemplate = [...op.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
  const declared = Object.keys(op.pathParams ?? {});
  if (inTemplate.slice().sort().join() !== declared.slice().sort().join()) {
    throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} declares path parameters [${declared.join(', ')}], its template has [${inTemplate.join(', ')}]`);
  }
  return inTemplate.map((name) => parameter(name, 'path', true, schemas.convert(op.pathParams?.[name] ?? z.string(), 'input')));
}

function queryParameters(op: OperationDoc, schemas: SchemaComponents): JsonObject[] {
  if (!op.query) return [];
  const object = schemas.convert(op.query, 'input');
  const properties = (object.properties ?? {}) as JsonObject;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => parameter(name, 'query', required.has(name), schema as JsonObject));
}

/** A parameter; the schema's description moves up to the parameter, where OpenAPI tools show it. */
function parameter(name: string, place: 'path' | 'query', required: boolean, schema: JsonObject): JsonObject {
  const { description, ...rest } = schema;
  return { name, in: place, required, ...(typeof description === 'string' ? { description } : {}), schema: rest };
}

function responseObject(response: ResponseDoc, schemas: SchemaComponents, shared: Map<string, { json: JsonObject; text: string }>, where: string): JsonObject {
  const json: JsonObject = { description: response.description };
  if (response.headers) {
    json.headers = mapEntries(response.headers, (header) => ({ description: header.description, schema: schemas.convert(header.schema, 'output') }));
  }
  if (response.content) {
    // A binary body (stream, JPEG) is a media type without a schema: OpenAPI 3.1's way to say "bytes".
    json.content = mapEntries(response.content, (schema): JsonObject => ('binary' in schema ? {} : { schema: schemas.convert(schema, 'output') }));
  }
  if (response.name === undefined) return json;
  const text = JSON.stringify(json);
  const known = shared.get(response.name);
  if (known && known.text !== text) throw new Error(`OpenAPI: the shared response "${response.name}" is described two different ways (${where})`);
  shared.set(response.name, { json, text });
  return { $ref: `#/components/responses/${response.name}` };
}

/** Numeric statuses in order, then ranges (4XX), then `default`. */
function compareStatus(a: string, b: string): number {
  const rank = (status: string) => (/^\d{3}$/.test(status) ? Number(status) : status === 'default' ? 2000 : 1000 + Number(status[0] ?? 9));
  return rank(a) - rank(b);
}

function mapEntries<T>(record: Readonly<Record<string, T>>, convert: (value: T) => JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(record)) out[key] = convert(value);
  return out;
}

function sortedObject(entries: Map<string, JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const key of [...entries.keys()].sort()) out[key] = entries.get(key) ?? {};
  return out;
}

/**
 * zod → JSON Schema, with named schemas ($defs in zod's output) moved to components/schemas. The same id
 * must render the same way wherever it is used (a schema named once and used both as a request and as a
 * response can differ: z.object's output forbids other keys, its input does not).
 */
class SchemaComponents {
  readonly #schemas = new Map<string, { json: JsonObject; text: string }>();

  entries(): IterableIterator<[string, { json: JsonObject; text: string }]> {
    return this.#schemas.entries();
  }

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const raw = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonObject;
    const { $schema: _dialect, $defs, ...rest } = raw;
    for (const [id, definition] of Object.entries(($defs ?? {}) as JsonObject)) {
      const json = tidy(definition) as JsonObject;
      const text = JSON.stringify(json);
      const known = this.#schemas.get(id);
      if (known && known.text !== text) throw new Error(`OpenAPI: two different schemas are named "${id}" (as a request and a response, or two schemas with one id)`);
      this.#schemas.set(id, { json, text });
    }
    return tidy(rest) as JsonObject;
  }
}

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);
/** zod's names for string checks it also writes as a `pattern`: no format any tool knows. */
const PATTERN_FORMATS = new Set(['starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase']);

/**
 * zod's refs point into the schema's own $defs: they now point to components/schemas. z.int()'s implicit
 * ±2^53 bounds say nothing a reader needs and are dropped, and so are zod's made-up formats beside a pattern.
 */
function tidy(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') out[key] = item.replace(/^#\/\$defs\//, '#/components/schemas/');
    else if ((key === 'minimum' || key === 'maximum') && value.type === 'integer' && typeof item === 'number' && SAFE_INTEGER_BOUNDS.has(item)) continue;
    else if (key === 'format' && typeof item === 'string' && PATTERN_FORMATS.has(item) && typeof value.pattern === 'string') continue;
    else out[key] = tidy(item);
  }
  return out;
}
