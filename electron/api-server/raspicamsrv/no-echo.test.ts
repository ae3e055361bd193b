/**
 * Token refusals word what was wrong without quoting the token (docs/compatibility.md §3.1): V8's JSON.parse
 * messages quote their input, so passing them on would send the client's bytes back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameFedCamera, http, makeWorld, serverPool, type World } from '../../test-support/api-test-kit.js';

let world: World;
const pool = serverPool();
beforeAll(async () => {
  world = await makeWorld();
});
afterEach(() => pool.stopAll());
afterAll(() => world.cleanUp());

const segment = (text: string) => Buffer.from(text).toString('base64url');
const tokens: Array<[string, string, string]> = [
  ['header not JSON', `${segment('EchoMe')}.${segment('{}')}.sig`, 'Invalid header string: not valid UTF-8 JSON'],
  ['header cut short', `${segment('{"alg":"EchoMe"')}.${segment('{}')}.sig`, 'Invalid header string: not valid UTF-8 JSON'],
];

describe('token refusals quote nothing the client sent', () => {
  it.each(tokens)('%s, as a Bearer header', async (_name, token, msg) => {
    const { baseUrl } = await pool.start(world);
    const result = await http(baseUrl, 'GET', '/api/protected', { headers: { authorization: `Bearer ${token}` } });
    expect([result.status, result.body]).toEqual([422, `${JSON.stringify({ msg })}\n`]);
  });

  it.each(tokens)('%s, as a stream ?token=', async (_name, token, msg) => {
    const camera = frameFedCamera(world.dataDir);
    try {
      const { baseUrl } = await pool.start(world, { camera, streamAuthRequired: () => true });
      const result = await http(baseUrl, 'GET', `/photo_feed?token=${token}`);
      expect([result.status, result.body]).toEqual([401, `${JSON.stringify({ error: msg })}\n`]);
    } finally {
      await camera.stop();
    }
  });
});
