/**
 * Test helper: a small capture store on a real directory (what electron/captures provides, reduced to the
 * media routes' needs) and a camera with a real FrameHub whose holds are counted.
 */
import { mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { captureIdSchema, captureKindOf } from '../../shared/domain/captures.js';
import { DomainError } from '../core/errors.js';
import { FrameHub } from '../pipeline/frames/frame-hub.js';
import type { CaptureFile, CaptureFiles } from './media-handler.js';
import type { PreviewCamera } from './preview-stream.js';

const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', dng: 'image/x-adobe-dng', mp4: 'video/mp4' };

export async function testCaptureStore(root: string): Promise<CaptureFiles & { thumbsMade: number }> {
  await mkdir(join(root, 'camera_0'), { recursive: true });
  const thumbs = join(root, '.thumbs');
  await mkdir(thumbs, { recursive: true });
  const store = {
    thumbsMade: 0,
    async resolve(id: string): Promise<CaptureFile> {
      if (!captureIdSchema.safeParse(id).success) throw new DomainError('bad_request', `bad id ${id}`);
      const kind = captureKindOf(id);
      if (!kind) throw new DomainError('bad_request', `not a capture: ${id}`);
      const path = join(root, id);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) throw new DomainError('not_found', `No capture ${path}`);
      if (!(await realpath(path)).startsWith(`${await realpath(root)}${sep}`)) throw new DomainError('not_found', `outside ${path}`);
      const name = id.slice(id.indexOf('/') + 1);
      return { path, size: info.size, mtimeMs: info.mtimeMs, kind, contentType: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', name };
    },
    async thumbnail(id: string) {
      const file = await store.resolve(id);
      if (file.kind !== 'photo') throw new DomainError('unsupported', `No thumbnail for ${file.path}`);
      const path = join(thumbs, `${id.replace('/', '_')}.jpg`);
      await writeFile(path, Buffer.from(`thumb of ${id}`));
      store.thumbsMade += 1;
      return { path, contentType: 'image/jpeg' as const };
    },
  };
  return store;
}

/** A camera service stand-in: real FrameHub, configured cameras 0..count-1, counted holds. */
export function testPreviewCamera(count = 1) {
  const holds = new Map<number, number>();
  const camera: PreviewCamera & { pipeline: string; holds: Map<number, number> } = {
    hub: new FrameHub(),
    pipeline: 'running',
    holds,
    isConfigured: (num) => Number.isInteger(num) && num >= 0 && num < count,
    state: () => ({ state: camera.pipeline }),
    holdPreview(num) {
      holds.set(num, (holds.get(num) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds.set(num, (holds.get(num) ?? 1) - 1);
      };
    },
  };
  return camera;
}

/** A tiny valid-looking JPEG (SOI … EOI) with a marker byte so frames can be told apart. */
export const jpegOf = (marker: number, size = 64): Buffer => {
  const bytes = Buffer.alloc(size, marker);
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  bytes[size - 2] = 0xff;
  bytes[size - 1] = 0xd9;
  return bytes;
};
