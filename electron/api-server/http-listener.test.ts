/**
 * The listener under the API port, over raw TCP: slow and stalled requests time out with a JSON 408, one
 * address cannot hold more than its share of connections, streams outlive every timeout, and what never
 * reaches a route (framing errors, CONNECT, Expect, Host problems) is still answered in raspiCamSrv's JSON.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_JPEG, PASSWORDS, frameFedCamera, loginTokens, makeWorld, serverPool, type World } from '../test-support/api-test-kit.js';
import { buildApiApp } from './api-app.js';
import { DEFAULT_LISTENER_LIMITS, type ListenerLimits } from './http-listener.js';
import { LongLivedConnections } from './long-lived.js';
import { ERROR_TEXTS } from './raspicamsrv/errors.js';
import { rawExchange, type RawAnswer } from './test-raw-http.js';

let world: World;
const pool = serverPool();
beforeAll(async () => {
  world = await makeWorld();
});
afterEach(() => pool.stopAll());
afterAll(() => world.cleanUp());

const SHORT: Partial<ListenerLimits> = { headersTimeoutMs: 400, requestTimeoutMs: 400, checkIntervalMs: 100 };
const portOf = (baseUrl: string) => Number(new URL(baseUrl).port);
const flaskError = (text: string) => `${JSON.stringify({ error: text })}\n`;

function expectJsonError(answer: RawAnswer | undefined, status: number, text: string): void {
  expect(answer).toBeDefined();
  expect([answer?.status, answer?.headers['content-type'], answer?.body.toString()]).toEqual([status, 'application/json', flaskError(text)]);
}

describe('timeouts', () => {
  it('a body that never arrives is answered 408 in JSON and the connection closed (POST /api/login)', async () => {
    const { baseUrl } = await pool.start(world, {}, SHORT);
    const head = 'POST /api/login HTTP/1.1\r\nHost: pi\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const result = await rawExchange(portOf(baseUrl), [head, '{"us'], { timeoutMs: 5000, graceMs: 0 });
    expectJsonError(result.answers[0], 408, ERROR_TEXTS.requestTimeout);
    expect(result.closedByServer).toBe(true);
  });

  it('a GET body that never arrives times out too (read by the route, not by Fastify)', async () => {
    const { baseUrl } = await pool.start(world, {}, SHORT);
    const { access_token } = await loginTokens(baseUrl, 'bob', PASSWORDS.bob);
    const head = `GET /api/probe HTTP/1.1\r\nHost: pi\r\nAuthorization: Bearer ${access_token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const result = await rawExchange(portOf(baseUrl), [head, '{"pr'], { timeoutMs: 5000, graceMs: 0 });
    expectJsonError(result.answers[0], 408, ERROR_TEXTS.requestTimeout);
    expect(result.closedByServer).toBe(true);
  });

  it('headers that never end are answered 408 in JSON', async () => {
    const { baseUrl } = await pool.start(world, {}, SHORT);
    const result = await rawExchange(portOf(baseUrl), 'GET /api/protected HTTP/1.1\r\nHost: pi\r\n', { timeoutMs: 5000, graceMs: 0 });
    expectJsonError(result.answers[0], 408, ERROR_TEXTS.requestTimeout);
  });

  it('production defaults answer a stalled request within 10 s, and the listener carries them', async () => {
    const limits = DEFAULT_LISTENER_LIMITS;
    expect(limits.requestTimeoutMs + limits.checkIntervalMs).toBeLessThanOrEqual(10_000);
    expect(limits.headersTimeoutMs).toBeLessThanOrEqual(limits.requestTimeoutMs);
    const app = buildApiApp((await pool.start(world)).deps, new LongLivedConnections());
    try {
      expect([app.server.requestTimeout, app.server.headersTimeout, app.server.keepAliveTimeout]).toEqual([limits.requestTimeoutMs, limits.headersTimeoutMs, limits.keepAliveTimeoutMs]);
    } finally {
      await app.close();
    }
  });

  it('a connection with no traffic either way is closed after the idle time', async () => {
    const { baseUrl } = await pool.start(world, {}, { idleTimeoutMs: 300, keepAliveTimeoutMs: 20_000 });
    const result = await rawExchange(portOf(baseUrl), 'GET /api/nothing HTTP/1.1\r\nHost: pi\r\n\r\n', { graceMs: 0, timeoutMs: 5000 });
    expectJsonError(result.answers[0], 404, ERROR_TEXTS.notFound);
    expect(result.closedByServer).toBe(true);
    expect(result.elapsedMs).toBeLessThan(3000);
  });

  it('an MJPEG stream keeps flowing after every timeout has passed', async () => {
    const camera = frameFedCamera(world.dataDir);
    const limits: Partial<ListenerLimits> = { ...SHORT, idleTimeoutMs: 300, keepAliveTimeoutMs: 300 };
    const { baseUrl } = await pool.start(world, { camera, streamAuthRequired: () => false }, limits);
    const socket = connect({ host: '127.0.0.1', port: portOf(baseUrl) });
    let received = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => (closed = true));
    try {
      socket.write('GET /video_feed HTTP/1.1\r\nHost: pi\r\n\r\n');
      await until(() => camera.hub.subscribers(0) > 0);
      camera.hub.publish(0, FAKE_JPEG, 1);
      // Silence from the source for several times every limit: only the stream's own 1 s repeats flow.
      await new Promise((r) => setTimeout(r, 2200));
      camera.hub.publish(0, FAKE_JPEG, 2);
      await until(() => received.includes('X-Timestamp: 2.000000'));
      expect(received.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
      expect(received.split('--frame\r\n').length - 1).toBeGreaterThanOrEqual(3);
      expect(closed).toBe(false);
    } finally {
      socket.destroy();
      await camera.stop();
    }
  });
});

describe('connections per client address', () => {
  const LIMIT = 3;

  async function idleSockets(port: number, count: number): Promise<Socket[]> {
    return Promise.all(
      Array.from({ length: count }, () => new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
        socket.on('error', reject);
      })),
    );
  }

  it('answers a connection over the limit 503 in JSON; a freed slot is usable again', async () => {
    const { baseUrl } = await pool.start(world, {}, { maxConnectionsPerAddress: LIMIT });
    const port = portOf(baseUrl);
    const held = await idleSockets(port, LIMIT);
    try {
      const refused = await rawExchange(port, 'GET /api/nothing HTTP/1.1\r\nHost: pi\r\n\r\n', { graceMs: 0 });
      expectJsonError(refused.answers[0], 503, ERROR_TEXTS.tooManyConnections);
      expect(refused.answers[0]?.headers['connection']).toBe('close');
      held.pop()?.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const admitted = await rawExchange(port, 'GET /api/nothing HTTP/1.1\r\nHost: pi\r\n\r\n');
      expectJsonError(admitted.answers[0], 404, ERROR_TEXTS.notFound);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('closes a connection at once, without reading it, beyond twice the limit', async () => {
    const { baseUrl } = await pool.start(world, {}, { maxConnectionsPerAddress: LIMIT });
    const port = portOf(baseUrl);
    const held = await idleSockets(port, 2 * LIMIT);
    try {
      const dropped = await rawExchange(port, 'GET /api/nothing HTTP/1.1\r\nHost: pi\r\n\r\n', { timeoutMs: 3000 });
      expect([dropped.answers.length, dropped.closedByServer]).toEqual([0, true]);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});

describe('answers that never reach a route are raspiCamSrv JSON, echo nothing, and carry a content type', () => {
  const cases: Array<[string, string, number, string]> = [
    ['bad method token', 'FOO /api/login HTTP/1.1\r\nHost: pi\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['method token with a control byte', 'GE\u0001T /api/login HTTP/1.1\r\nHost: pi\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['bad HTTP version', 'GET /api/login HTTP/7.9\r\nHost: pi\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['two different Content-Lengths', 'POST /api/login HTTP/1.1\r\nHost: pi\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, ERROR_TEXTS.badRequest],
    ['Content-Length and chunked', 'POST /api/login HTTP/1.1\r\nHost: pi\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}', 400, ERROR_TEXTS.badRequest],
    ['chunked garbage', 'POST /api/login HTTP/1.1\r\nHost: pi\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nqq\r\n', 400, ERROR_TEXTS.badRequest],
    ['a control byte in the URL', 'GET /api/lo\u0007gin HTTP/1.1\r\nHost: pi\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['bad % escape in the path (FST_ERR_BAD_URL)', 'GET /api/%zzEchoMe HTTP/1.1\r\nHost: pi\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['no Host header', 'GET /api/protected HTTP/1.1\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['two Host headers', 'GET /api/protected HTTP/1.1\r\nHost: pi\r\nHost: evil.example\r\n\r\n', 400, ERROR_TEXTS.badRequest],
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405, ERROR_TEXTS.methodNotAllowed],
    ['TRACE on a known URL', 'TRACE /api/login HTTP/1.1\r\nHost: pi\r\n\r\n', 405, ERROR_TEXTS.methodNotAllowed],
    ['PURGE on a known URL', 'PURGE /api/protected HTTP/1.1\r\nHost: pi\r\n\r\n', 405, ERROR_TEXTS.methodNotAllowed],
    ['TRACE on an unknown URL', 'TRACE /api/EchoMe HTTP/1.1\r\nHost: pi\r\n\r\n', 404, ERROR_TEXTS.notFound],
    ['a header over 16 KiB', `GET /api/protected HTTP/1.1\r\nHost: pi\r\nX-EchoMe: ${'a'.repeat(20_000)}\r\n\r\n`, 431, ERROR_TEXTS.headersTooLarge],
    ['an Expect the server cannot meet', 'GET /api/protected HTTP/1.1\r\nHost: pi\r\nExpect: EchoMe\r\n\r\n', 417, ERROR_TEXTS.expectationFailed],
  ];

  it.each(cases)('%s', async (_name, request, status, text) => {
    const { baseUrl } = await pool.start(world);
    const result = await rawExchange(portOf(baseUrl), request, { timeoutMs: 3000 });
    expectJsonError(result.answers[0], status, text);
    expect(result.bytes.toString('latin1')).not.toContain('EchoMe');
  });

  it('a client that resets after CONNECT costs nothing (no unhandled socket error)', async () => {
    const { baseUrl } = await pool.start(world);
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: portOf(baseUrl) }, () => {
          socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nmore bytes');
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, i % 2 === 0 ? 0 : 20);
        });
        socket.on('error', () => undefined);
      });
    }
    // An unhandled 'error' on the server's side would fail this file; the listener must still answer.
    await new Promise((r) => setTimeout(r, 200));
    const after = await rawExchange(portOf(baseUrl), 'GET /api/nothing HTTP/1.1\r\nHost: pi\r\n\r\n');
    expectJsonError(after.answers[0], 404, ERROR_TEXTS.notFound);
  });

  it('405 lists the allowed methods for TRACE, as for any other method', async () => {
    const { baseUrl } = await pool.start(world);
    const result = await rawExchange(portOf(baseUrl), 'TRACE /api/login HTTP/1.1\r\nHost: pi\r\n\r\n');
    expect(result.answers[0]?.headers['allow']).toBe('POST, OPTIONS');
  });

  it('a request that completes while the listener stops is answered 503 in JSON', async () => {
    const { baseUrl, server } = await pool.start(world);
    const socket = connect({ host: '127.0.0.1', port: portOf(baseUrl) });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    await new Promise((resolve) => socket.once('connect', resolve));
    // Headers under way: the connection is busy, so stopping waits for it instead of closing it.
    socket.write('GET /api/nothing HTTP/1.1\r\nHost: pi\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const stopped = server.stop();
    // New connections are refused once the listener closes, which comes after it has started answering 503.
    while (await accepts(portOf(baseUrl))) await new Promise((r) => setTimeout(r, 10));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('\r\n');
    await Promise.all([stopped, closed]);
    expect(received).toMatch(/^HTTP\/1\.1 503 /);
    expect(received).toContain('content-type: application/json');
    expect(received.endsWith(flaskError(ERROR_TEXTS.unavailable))).toBe(true);
  });

  it('HTTP/1.0 needs no Host; OPTIONS carries a content type', async () => {
    const { baseUrl } = await pool.start(world);
    const old = await rawExchange(portOf(baseUrl), 'GET /api/nothing HTTP/1.0\r\n\r\n');
    expectJsonError(old.answers[0], 404, ERROR_TEXTS.notFound);
    const options = await rawExchange(portOf(baseUrl), 'OPTIONS /api/login HTTP/1.1\r\nHost: pi\r\n\r\n');
    expect([options.answers[0]?.status, options.answers[0]?.headers['allow'], options.answers[0]?.headers['content-type']]).toEqual([200, 'POST, OPTIONS', 'application/json']);
  });
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ host: '127.0.0.1', port }, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
