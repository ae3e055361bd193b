/**
 * The capture store on a real photo directory: listing order, filter and paging, video lengths, thumbnails
 * made with real sharp and ffmpeg, deletion. Files are made by sharp and ffmpeg, as the camera would.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureListSchema } from '../../shared/domain.js';
import { CaptureStore } from './capture-store.js';

let base: string;
let dataDir: string;
let root: string;
let photoDir: string;
let changes: number;
let store: CaptureStore;
/** Reference files, made once. */
let jpeg: Buffer;
let longVideo: string;
let shortVideo: string;

const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute, 0));

async function put(relative: string, data: Buffer | string, minute: number): Promise<string> {
  const path = join(root, relative);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, data);
  await utimes(path, at(minute), at(minute));
  return path;
}

async function putCopy(relative: string, source: string, minute: number): Promise<void> {
  const path = join(root, relative);
  await mkdir(join(path, '..'), { recursive: true });
  await copyFile(source, path);
  await utimes(path, at(minute), at(minute));
}

function video(out: string, seconds: number): void {
  // Black, turning white at 0.9 s: a thumbnail taken at 1 s is white, one of the first frame black.
  const filter = `color=c=black:s=160x120:r=10:d=${seconds},drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='gte(t,0.9)'`;
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', filter, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', out]);
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cp-store-'));
  jpeg = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#3080c0' } }).jpeg().toBuffer();
  longVideo = join(base, 'long.mp4');
  shortVideo = join(base, 'short.mp4');
  video(longVideo, 2);
  video(shortVideo, 0.5);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

beforeEach(async () => {
  dataDir = await mkdtemp(join(base, 'data-'));
  root = join(dataDir, 'photos');
  photoDir = '';
  changes = 0;
  store = new CaptureStore({ dataDir, photoDir: () => photoDir, ffmpeg: '/usr/bin/ffmpeg', onChange: () => (changes += 1) });
});

describe('list', () => {
  beforeEach(async () => {
    await put('camera_0/20261126_100100.jpg', jpeg, 1);
    await putCopy('camera_0/20261126_100300.mp4', longVideo, 3);
    await put('camera_1/20261126_100200.png', await sharp(jpeg).png().toBuffer(), 2);
    // Same time: the later name first.
    await put('camera_1/20261126_100400.jpg', jpeg, 4);
    await put('camera_1/20261126_100400_1.jpg', jpeg, 4);
    // Not captures: hidden, temp, unknown kind, folders, symlinks leaving the folder, a non-canonical folder.
    await put('camera_0/.hidden.jpg', jpeg, 9);
    await put('camera_0/.20261126_100900.mp4.partial-123-1', 'partial', 9);
    await put('camera_0/notes.txt', 'notes', 9);
    await put('camera_0/with space.jpg', jpeg, 9);
    await mkdir(join(root, 'camera_0', 'folder.jpg'));
    await symlink('/etc/passwd', join(root, 'camera_0', 'passwd.jpg'));
    await put('camera_03/20261126_100900.jpg', jpeg, 9);
    await put('20261126_100900.jpg', jpeg, 9);
    await mkdir(join(root, 'camera_2'));
  });

  it('newest first (time, then name), with ids, sizes, times and video lengths; nothing else', async () => {
    const list = await store.list({});
    expect(captureListSchema.parse(list)).toEqual(list);
    expect(list.items.map((item) => item.id)).toEqual([
      'camera_1/20261126_100400_1.jpg',
      'camera_1/20261126_100400.jpg',
      'camera_0/20261126_100300.mp4',
      'camera_1/20261126_100200.png',
      'camera_0/20261126_100100.jpg',
    ]);
    expect(list).toMatchObject({ total: 5, cameras: [0, 1], photoDir: root });
    const video = list.items[2];
    expect(video).toMatchObject({ camera: 0, name: '20261126_100300.mp4', kind: 'video', size: (await stat(longVideo)).size, modifiedAt: at(3).toISOString() });
    expect(video?.durationSeconds).toBeCloseTo(2, 1);
    expect(list.items[0]).toMatchObject({ kind: 'photo', size: jpeg.length, durationSeconds: null });
  });

  it('one camera’s captures; the filter still lists every camera that has some', async () => {
    const list = await store.list({ camera: 0 });
    expect(list.items.map((item) => item.name)).toEqual(['20261126_100300.mp4', '20261126_100100.jpg']);
    expect([list.total, list.cameras]).toEqual([2, [0, 1]]);
    expect(await store.list({ camera: 5 })).toMatchObject({ items: [], total: 0, cameras: [0, 1] });
  });

  it('pages with offset and limit; total counts them all', async () => {
    const first = await store.list({ limit: 2 });
    const second = await store.list({ offset: 2, limit: 2 });
    const last = await store.list({ offset: 4, limit: 2 });
    expect([first.items.length, second.items.length, last.items.length, last.total]).toEqual([2, 2, 1, 5]);
    expect([...first.items, ...second.items, ...last.items].map((item) => item.id)).toEqual((await store.list()).items.map((item) => item.id));
  });

  it('refuses a request the schema refuses', async () => {
    await expect(store.list({ limit: 0 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(store.list({ limit: 501 })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('follows the photo directory setting at each call', async () => {
    photoDir = join(base, 'elsewhere');
    expect(await store.list()).toEqual({ items: [], total: 0, cameras: [], photoDir: join(base, 'elsewhere') });
    await mkdir(join(base, 'elsewhere', 'camera_3'), { recursive: true });
    await writeFile(join(base, 'elsewhere', 'camera_3', 'x.jpg'), jpeg);
    expect((await store.list()).items.map((item) => item.id)).toEqual(['camera_3/x.jpg']);
  });

  it('a damaged video is listed with an unknown length', async () => {
    await put('camera_0/20261126_101000.mp4', 'not a video', 10);
    expect((await store.list({ limit: 1 })).items[0]).toMatchObject({ name: '20261126_101000.mp4', durationSeconds: null });
  });
});

describe('entry and idOf', () => {
  it('a file the camera wrote becomes the listing’s entry', async () => {
    const path = await put('camera_1/20261126_100500.jpg', jpeg, 5);
    const id = store.idOf(1, path);
    expect(id).toBe('camera_1/20261126_100500.jpg');
    expect(await store.entry(id)).toEqual({
      id,
      camera: 1,
      name: '20261126_100500.jpg',
      kind: 'photo',
      size: jpeg.length,
      modifiedAt: at(5).toISOString(),
      durationSeconds: null,
    });
  });
});

describe('thumbnail', () => {
  const thumbDir = () => join(dataDir, 'cache', 'thumbnails');

  it('a photo: a 320 px wide JPEG, made once and cached under cache/thumbnails', async () => {
    await put('camera_0/a.jpg', jpeg, 1);
    const thumb = await store.thumbnail('camera_0/a.jpg');
    expect(thumb.contentType).toBe('image/jpeg');
    expect(thumb.path.startsWith(thumbDir())).toBe(true);
    const meta = await sharp(thumb.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 160]);
    const made = (await stat(thumb.path)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.thumbnail('camera_0/a.jpg')).toEqual(thumb);
    expect((await stat(thumb.path)).mtimeMs).toBe(made);
  });

  it('concurrent requests for one capture share one thumbnail and leave no temp file', async () => {
    await put('camera_0/a.jpg', jpeg, 1);
    const thumbs = await Promise.all(Array.from({ length: 6 }, () => store.thumbnail('camera_0/a.jpg')));
    expect(new Set(thumbs.map((thumb) => thumb.path)).size).toBe(1);
    expect(await readdir(thumbDir())).toHaveLength(1);
  });

  it('a changed file gets a new thumbnail', async () => {
    await put('camera_0/a.jpg', jpeg, 1);
    const before = await store.thumbnail('camera_0/a.jpg');
    await put('camera_0/a.jpg', await sharp({ create: { width: 640, height: 640, channels: 3, background: '#000' } }).jpeg().toBuffer(), 2);
    const after = await store.thumbnail('camera_0/a.jpg');
    expect(after.path).not.toBe(before.path);
    expect((await sharp(after.path).metadata()).height).toBe(320);
  });

  it('honours the EXIF orientation', async () => {
    await put('camera_0/turned.jpg', await sharp(jpeg).withMetadata({ orientation: 6 }).jpeg().toBuffer(), 1);
    const meta = await sharp((await store.thumbnail('camera_0/turned.jpg')).path).metadata();
    expect([meta.width, meta.height]).toEqual([320, 640]);
  });

  it('a raw TIFF is thumbnailed by sharp', async () => {
    await put('camera_0/raw.tiff', await sharp(jpeg).tiff().toBuffer(), 1);
    expect((await sharp((await store.thumbnail('camera_0/raw.tiff')).path).metadata()).width).toBe(320);
  });

  it('a video: the frame at 1 s, 320 px wide', async () => {
    await putCopy('camera_0/v.mp4', longVideo, 1);
    const thumb = await store.thumbnail('camera_0/v.mp4');
    const stats = await sharp(thumb.path).stats();
    expect((await sharp(thumb.path).metadata()).width).toBe(320);
    expect(stats.channels[0]?.mean).toBeGreaterThan(200); // white: not the black first frame
  });

  it('a video shorter than 1 s: its first frame', async () => {
    await putCopy('camera_0/short.mp4', shortVideo, 1);
    const stats = await sharp((await store.thumbnail('camera_0/short.mp4')).path).stats();
    expect(stats.channels[0]?.mean).toBeLessThan(50);
  });

  it.each<[string, string, Buffer | string]>([
    ['a DNG sharp cannot read', 'camera_0/raw.dng', Buffer.from('II*\0 not really a dng')],
    ['a damaged JPEG', 'camera_0/broken.jpg', 'not a jpeg'],
    ['a damaged video', 'camera_0/broken.mp4', 'not a video'],
  ])('%s: unsupported, "No preview for this file"', async (_name, id, data) => {
    await put(id, data, 1);
    await expect(store.thumbnail(id)).rejects.toMatchObject({ code: 'unsupported', message: 'No preview for this file' });
    await expect(store.thumbnail(id)).rejects.toMatchObject({ code: 'unsupported' });
    expect((await readdir(thumbDir()).catch(() => [])).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('a video without ffmpeg: unsupported', async () => {
    const without = new CaptureStore({ dataDir, photoDir: () => '', ffmpeg: null });
    await putCopy('camera_0/v.mp4', longVideo, 1);
    await expect(without.thumbnail('camera_0/v.mp4')).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('ids are checked as for the file itself', async () => {
    await expect(store.thumbnail('camera_0/../../etc/passwd')).rejects.toMatchObject({ code: 'bad_request' });
    await symlink('/etc/passwd', join(await mkdir(join(root, 'camera_0'), { recursive: true }).then(() => root), 'camera_0', 'p.jpg'));
    await expect(store.thumbnail('camera_0/p.jpg')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('remove', () => {
  it('deletes the file and its thumbnail, and says so', async () => {
    const path = await put('camera_0/a.jpg', jpeg, 1);
    const thumb = await store.thumbnail('camera_0/a.jpg');
    await store.remove('camera_0/a.jpg');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(thumb.path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(changes).toBe(1);
    expect((await store.list()).total).toBe(0);
  });

  it('a symlinked capture: removes the link, not the file it points at', async () => {
    const target = await put('camera_0/a.jpg', jpeg, 1);
    await symlink('a.jpg', join(root, 'camera_0', 'alias.jpg'));
    await store.remove('camera_0/alias.jpg');
    expect((await stat(target)).isFile()).toBe(true);
    expect((await store.list()).items.map((item) => item.id)).toEqual(['camera_0/a.jpg']);
  });

  it('refuses what it cannot find or parse, and changes nothing', async () => {
    await put('camera_0/a.jpg', jpeg, 1);
    await expect(store.remove('camera_0/missing.jpg')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.remove('camera_0/../camera_0/a.jpg')).rejects.toMatchObject({ code: 'bad_request' });
    expect([changes, (await store.list()).total]).toEqual([0, 1]);
  });
});
