/**
 * What a `media/…` URL names: a capture file, its thumbnail, or a camera's preview. The path is decoded
 * exactly once and the result must match the capture id schema, so no spelling of "..", no backslash, NUL,
 * doubled slash or absolute path gets through, whatever the request says; the capture store checks the
 * file on disk again.
 */
import { captureIdSchema } from '../../shared/domain/captures.js';

export type MediaTarget =
  | { kind: 'capture'; id: string; download: boolean }
  | { kind: 'thumb'; id: string }
  | { kind: 'preview'; camera: number };

export type MediaPathResult = { ok: true; target: MediaTarget } | { ok: false; status: 400 | 404; message: string };

/** Longer request targets are refused before any decoding (an id is at most 140 characters). */
export const MAX_MEDIA_TARGET = 512;
const PREFIX = '/media/';
const SECTIONS = { captures: 'capture', thumbs: 'thumb', preview: 'preview' } as const;

const bad = (message: string): MediaPathResult => ({ ok: false, status: 400, message });

/**
 * @param target the request target as sent, still percent-encoded: "/media/captures/camera_0/x.jpg?download=1"
 */
export function parseMediaTarget(target: string): MediaPathResult {
  if (target.length > MAX_MEDIA_TARGET) return bad('Request target too long');
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1));
  if (!path.startsWith(PREFIX)) return { ok: false, status: 404, message: 'Not found' };
  const rest = path.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const section = slash < 0 ? rest : rest.slice(0, slash);
  if (!Object.prototype.hasOwnProperty.call(SECTIONS, section)) return { ok: false, status: 404, message: 'Not found' };
  let name: string;
  try {
    name = decodeURIComponent(slash < 0 ? '' : rest.slice(slash + 1));
  } catch {
    return bad('Malformed percent-encoding');
  }
  const kind = SECTIONS[section as keyof typeof SECTIONS];
  if (kind === 'preview') {
    if (!/^\d{1,2}$/.test(name)) return bad('A preview is media/preview/<camera number>');
    return { ok: true, target: { kind, camera: Number(name) } };
  }
  if (!captureIdSchema.safeParse(name).success) return bad('A capture is camera_<n>/<file name>');
  return kind === 'capture'
    ? { ok: true, target: { kind, id: name, download: query.get('download') === '1' } }
    : { ok: true, target: { kind, id: name } };
}
