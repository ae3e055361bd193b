/**
 * Responses byte-compatible with Flask's `jsonify` (non-debug): keys sorted, compact separators,
 * non-ASCII escaped as \uXXXX (ensure_ascii), a trailing newline, and `Content-Type: application/json`
 * without a charset parameter.
 */
import type { FastifyReply } from 'fastify';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Python's `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"`. */
export function flaskJson(value: JsonValue): string {
  // Python escapes everything outside printable ASCII, DEL (0x7f) included; JSON.stringify leaves those raw.
  return `${JSON.stringify(sortKeys(value)).replace(/[\u007f-\uffff]/g, escapeCodeUnit)}\n`;
}

function escapeCodeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // No prototype: a key such as "__proto__" (a valid /system config key) is then an ordinary key.
  const sorted = Object.create(null) as { [key: string]: JsonValue };
  // Python sorts str keys by code point; JS `<` on strings compares UTF-16 units, which agrees except for
  // astral-plane characters in keys (never used by this API).
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}

/** A body serialised once, for answers that never change (the hot paths send these). */
export function precomputedJson(value: JsonValue): Buffer {
  return Buffer.from(flaskJson(value), 'utf8');
}

/**
 * Sends a JSON body. A Buffer payload makes Fastify keep the Content-Type exactly as set (with a string it
 * would append "; charset=utf-8") and skips its serializer: the cheapest way through Fastify's reply.
 */
export function sendJson(reply: FastifyReply, status: number, body: JsonValue | Buffer): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(flaskJson(body), 'utf8');
  reply.code(status).header('content-type', 'application/json').send(payload);
}
