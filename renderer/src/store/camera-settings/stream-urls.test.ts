import { describe, expect, it } from 'vitest';
import { DEFAULT_API_SETTINGS, type ApiStatusView } from '../../../../shared/domain';
import { TOKEN_PLACEHOLDER, basicAuthExample, isLoopback, streamBase, streamUrls } from './stream-urls';

const status = (patch: Partial<ApiStatusView> = {}): ApiStatusView => ({
  banner: { colour: 'green', message: 'API active', restartButton: false, newKeyButton: false, urls: ['http://127.0.0.1:5000/api', 'http://192.168.1.20:5000/api'] },
  running: true,
  keyPresent: true,
  generateDisabledReason: null,
  recommendedPath: '~/.secrets/campanel.secrets',
  resolvedSecretsPath: '/home/pi/.secrets/campanel.secrets',
  ...patch,
});
const api = { ...DEFAULT_API_SETTINGS, host: '0.0.0.0', port: 5000 };
const local = { protocol: 'http:', hostname: '127.0.0.1' };

describe('stream base URL', () => {
  it('waits for the settings and the status', () => {
    expect(streamBase(null, status(), local)).toEqual({ state: 'loading' });
    expect(streamBase(api, null, local)).toEqual({ state: 'loading' });
  });

  it('says when the API is not running (streams are served on its port)', () => {
    expect(streamBase({ ...api, port: 5001 }, status({ running: false, banner: null }), local)).toEqual({ state: 'notRunning', port: 5001 });
  });

  it('uses loopback on this machine for a wildcard listener, and lists the LAN addresses for other machines', () => {
    expect(streamBase(api, status(), local)).toEqual({
      state: 'running',
      origin: 'http://127.0.0.1:5000',
      otherMachines: 'useMachineAddress',
      lanOrigins: ['http://192.168.1.20:5000'],
      restartPending: false,
    });
    expect(streamBase(api, status(), { protocol: 'app:', hostname: 'panel' })).toMatchObject({ origin: 'http://127.0.0.1:5000' });
  });

  it("uses the page's host name when the panel was opened from another machine", () => {
    expect(streamBase({ ...api, host: '::' }, status(), { protocol: 'http:', hostname: 'campi.local' })).toMatchObject({
      origin: 'http://campi.local:5000',
      otherMachines: null,
    });
  });

  it('uses a host the API is bound to, and warns when that is loopback only', () => {
    expect(streamBase({ ...api, host: '192.168.1.20' }, status(), local)).toMatchObject({ origin: 'http://192.168.1.20:5000', otherMachines: null });
    expect(streamBase({ ...api, host: '127.0.0.1' }, status(), local)).toMatchObject({ origin: 'http://127.0.0.1:5000', otherMachines: 'unreachable' });
    expect(streamBase({ ...api, host: 'fd00::5' }, status(), local)).toMatchObject({ origin: 'http://[fd00::5]:5000' });
  });

  it('notes a pending restart', () => {
    const yellow = status({ banner: { colour: 'yellow', message: 'To update the port, restart the API', restartButton: true, newKeyButton: false, urls: [] } });
    expect(streamBase(api, yellow, local)).toMatchObject({ restartPending: true, lanOrigins: [] });
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['192.168.1.2', 'campi.local', '127.example.com'].some(isLoopback)).toBe(false);
  });
});

describe('stream and snapshot URLs', () => {
  const origin = 'http://127.0.0.1:5000';

  it('lists plain URLs when streaming is open', () => {
    expect(streamUrls(origin, 2, 1, { mode: 'open' }).map((u) => [u.label, u.url])).toEqual([
      ['Active camera (Camera 1) stream', `${origin}/video_feed`],
      ['Active camera (Camera 1) snapshot', `${origin}/photo_feed`],
      ['Second camera (Camera 0) stream', `${origin}/video_feed2`],
      ['Second camera (Camera 0) snapshot', `${origin}/photo_feed2`],
      ['Camera 0 stream', `${origin}/api/stream?camera=0`],
      ['Camera 0 snapshot', `${origin}/api/snapshot?camera=0`],
      ['Camera 1 stream', `${origin}/api/stream?camera=1`],
      ['Camera 1 snapshot', `${origin}/api/snapshot?camera=1`],
    ]);
  });

  it('has no second camera URLs with one camera, and none at all without cameras', () => {
    expect(streamUrls(origin, 1, 0, { mode: 'open' }).map((u) => u.id)).toEqual(['video_feed', 'photo_feed', 'stream-0', 'snapshot-0']);
    expect(streamUrls(origin, 0, 0, { mode: 'open' })).toEqual([]);
  });

  it('adds the token placeholder until a token is pasted, with & after an existing query', () => {
    const placeholder = streamUrls(origin, 1, 0, { mode: 'token', token: null });
    expect(placeholder[0]?.url).toBe(`${origin}/video_feed?token=${TOKEN_PLACEHOLDER}`);
    expect(placeholder[2]?.url).toBe(`${origin}/api/stream?camera=0&token=${TOKEN_PLACEHOLDER}`);
    const pasted = streamUrls(origin, 1, 0, { mode: 'token', token: ' eyJ.a+b/c= ' });
    expect(pasted[1]?.url).toBe(`${origin}/photo_feed?token=eyJ.a%2Bb%2Fc%3D`);
    expect(streamUrls(origin, 1, 0, { mode: 'token', token: '   ' })[0]?.url).toContain(TOKEN_PLACEHOLDER);
  });

  it('leaves the URLs plain when credentials are sent another way', () => {
    expect(streamUrls(origin, 1, 0, { mode: 'credentials' })[0]?.url).toBe(`${origin}/video_feed`);
  });

  it('falls back to Camera 0 when the active camera is not configured, as the API server does', () => {
    expect(streamUrls(origin, 2, 3, { mode: 'open' })[0]?.label).toBe('Active camera (Camera 0) stream');
  });

  it('shows HTTP Basic in the URL for Home Assistant', () => {
    expect(basicAuthExample(origin, 'alice')).toBe('http://alice:<password>@127.0.0.1:5000/video_feed');
    expect(basicAuthExample(origin, 'a b')).toBe('http://a%20b:<password>@127.0.0.1:5000/video_feed');
    expect(basicAuthExample(origin, null)).toBe('http://<user>:<password>@127.0.0.1:5000/video_feed');
  });
});
