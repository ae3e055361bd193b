/** Stream authentication: HTTP Basic credentials and the ?token= parameter, and Basic over real HTTP. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, makeWorld, serverPool, type World } from '../../test-support/api-test-kit.js';
import { decodeBasic, tokenParameter } from './stream-auth.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

describe('decodeBasic', () => {
  it('splits name and password at the first colon', () => {
    expect(decodeBasic(basic('bob:bob-password-12'))).toEqual({ name: 'bob', password: 'bob-password-12' });
  });

  it('keeps every further colon in the password (RFC 7617)', () => {
    expect(decodeBasic(basic('bob:pa:ss:word:'))).toEqual({ name: 'bob', password: 'pa:ss:word:' });
  });

  it('allows an empty password and UTF-8 in both parts', () => {
    expect(decodeBasic(basic('bob:'))).toEqual({ name: 'bob', password: '' });
    expect(decodeBasic(basic('jürgen:pässwört€'))).toEqual({ name: 'jürgen', password: 'pässwört€' });
  });

  it('tolerates extra spaces around the credentials and any case of the scheme', () => {
    expect(decodeBasic(`Basic   ${Buffer.from('bob:pw').toString('base64')}  `)).toEqual({ name: 'bob', password: 'pw' });
    expect(decodeBasic(`bAsIc ${Buffer.from('bob:pw').toString('base64')}`)).toEqual({ name: 'bob', password: 'pw' });
  });

  it.each([
    ['empty credentials', 'Basic '],
    ['nothing after the scheme', 'Basic'],
    ['no colon', basic('bobpassword')],
    ['empty name', basic(':password')],
    ['characters outside base64', 'Basic Ym9i!OnB3'],
    ['base64url alphabet', 'Basic Pz8_Pz8-Pz8'],
    ['padding in the middle', 'Basic Ym9i==OnB3'],
    ['a second word', `Basic ${Buffer.from('bob:pw').toString('base64')} extra`],
  ])('refuses %s', (_name, header) => {
    expect(decodeBasic(header)).toBeNull();
  });
});

describe('tokenParameter', () => {
  it.each<[string, string | null]>([
    ['/video_feed?token=abc.def.ghi', 'abc.def.ghi'],
    ['/api/stream?camera=1&token=abc.def.ghi&x=2', 'abc.def.ghi'],
    ['/api/stream?token=a%2Bb%3D', 'a+b='],
    ['/api/stream?token=first&token=second', 'first'],
    ['/video_feed', null],
    ['/video_feed?', null],
    ['/video_feed?token=', null],
    ['/video_feed?tokens=abc', null],
    ['/video_feed?camera=0', null],
  ])('%s → %s', (url, expected) => {
    expect(tokenParameter(url)).toBe(expected);
  });
});

describe('HTTP Basic on the stream URLs', () => {
  let world: World;
  const pool = serverPool();
  beforeAll(async () => {
    world = await makeWorld();
  });
  afterEach(() => pool.stopAll());
  afterAll(() => world.cleanUp());

  // Past the authentication, a server without a camera answers 404: anything but 401 means "admitted".
  const snapshot = (baseUrl: string, credentials: string) =>
    http(baseUrl, 'GET', '/photo_feed', { headers: { authorization: basic(credentials) } });

  it('a remembered admission ends when the password changes', async () => {
    await world.users.add('gus', 'user', 'gus-initial-111');
    await world.users.changePassword('gus', 'gus-initial-111', 'gus-password-11');
    const { baseUrl } = await pool.start(world);
    expect((await snapshot(baseUrl, 'gus:gus-password-11')).status).toBe(404);
    expect((await snapshot(baseUrl, 'gus:gus-password-11')).status).toBe(404); // from the cache
    await world.users.changePassword('gus', 'gus-password-11', 'gus-password-12');
    expect((await snapshot(baseUrl, 'gus:gus-password-11')).status).toBe(401);
    expect((await snapshot(baseUrl, 'gus:gus-password-12')).status).toBe(404);
  });
});
