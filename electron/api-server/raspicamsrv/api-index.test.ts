/** GET /api: the index the panel's banner points at, open without a token, listing only URLs that answer. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameFedCamera, http, makeWorld, serverPool, type World } from '../../test-support/api-test-kit.js';

let world: World;
const pool = serverPool();
beforeAll(async () => {
  world = await makeWorld();
});
afterEach(() => pool.stopAll());
afterAll(() => world.cleanUp());

interface Index {
  message: { version: string; authentication: string; auth: string[]; camera: string[]; streams: string[] };
}

describe('GET /api', () => {
  it.each(['/api', '/api/'])('%s answers {"message": {…}} without a token', async (path) => {
    const { baseUrl } = await pool.start(world, { version: 'CamPanel 9.9.9' });
    const result = await http(baseUrl, 'GET', path);
    expect([result.status, result.headers['content-type']]).toEqual([200, 'application/json']);
    expect(result.body.endsWith('}\n')).toBe(true);
    const { message } = JSON.parse(result.body) as Index;
    expect(Object.keys(JSON.parse(result.body) as object)).toEqual(['message']);
    expect(message.version).toBe('CamPanel 9.9.9');
    expect(message.auth).toEqual(['POST /api/login', 'POST /api/refresh', 'GET /api/protected']);
    expect(message.camera).toEqual(expect.arrayContaining(['GET /api/take_photo', 'GET /api/record_video', 'GET /api/info', 'GET /api/probe']));
    expect(message.streams).toEqual([
      'GET /video_feed', 'GET /video_feed2', 'GET /photo_feed', 'GET /photo_feed2',
      'GET /api/stream?camera=N', 'GET /api/snapshot?camera=N', 'GET /?action=stream', 'GET /?action=snapshot',
    ]);
    expect(message.authentication).toContain('Authorization: Bearer');
  });

  it('answers HEAD and OPTIONS, and 405 to other methods', async () => {
    const { baseUrl } = await pool.start(world);
    expect((await http(baseUrl, 'HEAD', '/api')).status).toBe(200);
    const post = await http(baseUrl, 'POST', '/api');
    expect([post.status, post.headers['allow']]).toEqual([405, 'GET, HEAD, OPTIONS']);
  });

  it('lists only URLs that exist: none of them answers 404 or 405', async () => {
    const camera = frameFedCamera(world.dataDir);
    try {
      const { baseUrl } = await pool.start(world, { camera });
      const { message } = JSON.parse((await http(baseUrl, 'GET', '/api')).body) as Index;
      const entries = [...message.auth, ...message.camera, ...message.streams];
      expect(entries.length).toBeGreaterThan(25);
      for (const entry of entries) {
        const [method = '', path = ''] = entry.split(' ');
        const result = await http(baseUrl, method, path.replace('camera=N', 'camera=0'));
        expect([entry, result.status]).not.toEqual([entry, 404]);
        expect([entry, result.status]).not.toEqual([entry, 405]);
      }
    } finally {
      await camera.stop();
    }
  });
});
