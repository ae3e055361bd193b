import { describe, expect, it } from 'vitest';
import { parseMediaTarget } from './media-path.js';

describe('parseMediaTarget', () => {
  it('names a capture, its download, its thumbnail and a preview', () => {
    expect(parseMediaTarget('/media/captures/camera_0/20261126_101500.jpg')).toEqual({
      ok: true,
      target: { kind: 'capture', id: 'camera_0/20261126_101500.jpg', download: false },
    });
    expect(parseMediaTarget('/media/captures/camera_1/a.mp4?download=1')).toMatchObject({ target: { download: true } });
    expect(parseMediaTarget('/media/thumbs/camera_1/a.mp4')).toEqual({ ok: true, target: { kind: 'thumb', id: 'camera_1/a.mp4' } });
    expect(parseMediaTarget('/media/preview/1')).toEqual({ ok: true, target: { kind: 'preview', camera: 1 } });
    // An encoded slash decodes to the same id: one decoding, then the schema.
    expect(parseMediaTarget('/media/captures/camera_0%2Fa.jpg')).toMatchObject({ ok: true, target: { id: 'camera_0/a.jpg' } });
  });

  it.each([
    ['dot segments', '/media/captures/camera_0/../../etc/passwd'],
    ['encoded dot segments', '/media/captures/camera_0/%2e%2e/%2e%2e/etc/passwd'],
    ['encoded slash after dots', '/media/captures/..%2f..%2fsettings.json'],
    ['doubly encoded dots', '/media/captures/camera_0/%252e%252e%252fsecret'],
    ['a backslash', '/media/captures/camera_0\\..\\x.jpg'],
    ['an encoded backslash', '/media/captures/camera_0%5C..%5Cx.jpg'],
    ['a double slash', '/media/captures/camera_0//x.jpg'],
    ['an absolute path', '/media/captures//etc/passwd'],
    ['NUL', '/media/captures/camera_0/x.jpg%00.png'],
    ['a hidden file', '/media/captures/camera_0/.x.jpg'],
    ['a name with two dots', '/media/thumbs/camera_0/x..jpg'],
    ['bad percent-encoding', '/media/captures/camera_0/%E0%A4%A'],
    ['an overlong target', `/media/captures/camera_0/${'a'.repeat(600)}.jpg`],
    ['an overlong name', `/media/captures/camera_0/${'a'.repeat(200)}.jpg`],
    ['a folder that is not a camera', '/media/captures/photos/x.jpg'],
    ['a preview that is not a number', '/media/preview/..%2f0'],
    ['a preview number too long', '/media/preview/007'],
  ])('refuses %s with 400', (_what, target) => {
    expect(parseMediaTarget(target)).toMatchObject({ ok: false, status: 400 });
  });

  it.each([['/media/'], ['/media/files/camera_0/a.jpg'], ['/media/__proto__/x'], ['/assets/x.js']])('does not know %s (404)', (target) => {
    expect(parseMediaTarget(target)).toMatchObject({ ok: false, status: 404 });
  });

  it('never puts what it was sent into its message', () => {
    const result = parseMediaTarget('/media/captures/zzqx/../../x');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('zzqx');
  });
});
