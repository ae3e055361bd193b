/* eslint-disable no-restricted-imports -- this test runs in Node and serves the stream over real HTTP; the code under test imports no Node module. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MjpegFrame } from './mjpeg-parser';
import { previewBackoff, runPreviewStream, type PreviewConnection } from './preview-stream';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/media/preview/0`, requests: () => n };
}

const streamHead = { 'Content-Type': 'multipart/x-mixed-replace; boundary=frame', 'Cache-Control': 'no-cache' };
const writePart = (res: ServerResponse, body: Buffer, timestamp: number) =>
  res.write(Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${body.length}\r\nX-Timestamp: ${timestamp.toFixed(6)}\r\n\r\n`), body, Buffer.from('\r\n')]));

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Runs the preview against `url` until it first waits to retry; the connection state it reported then. */
async function firstWaiting(url: string): Promise<PreviewConnection | undefined> {
  const connections: PreviewConnection[] = [];
  const controller = new AbortController();
  const done = runPreviewStream({ url, signal: controller.signal, onFrame: () => undefined, onConnection: (c) => connections.push(c), backoff: () => 1000 });
  await until(() => connections.some((c) => c.phase === 'waiting'));
  controller.abort();
  await done;
  return connections.find((c) => c.phase === 'waiting');
}

describe('runPreviewStream over real HTTP', () => {
  it('hands over each frame with its timestamp and stops when aborted', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, streamHead);
      let i = 0;
      const timer = setInterval(() => writePart(res, Buffer.from(`jpeg-${i}`), 1000 + i++), 5);
      res.on('close', () => clearInterval(timer));
    });
    const frames: MjpegFrame[] = [];
    const controller = new AbortController();
    const connections: PreviewConnection[] = [];
    const done = runPreviewStream({ url, signal: controller.signal, onFrame: (f) => frames.push(f), onConnection: (c) => connections.push(c) });
    await until(() => frames.length >= 5);
    controller.abort();
    await done;
    expect(new TextDecoder().decode(frames[0]!.jpeg)).toBe('jpeg-0');
    expect(frames.slice(0, 5).map((f) => f.timestamp)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(connections.map((c) => c.phase)).toEqual(['connecting', 'streaming']);
  });

  it('reconnects when the stream ends, and says why while it waits', async () => {
    const server = await serve((_req, res, n) => {
      res.writeHead(200, streamHead);
      writePart(res, Buffer.from(`conn-${n}`), n);
      res.end();
    });
    const frames: string[] = [];
    const connections: PreviewConnection[] = [];
    const controller = new AbortController();
    const done = runPreviewStream({
      url: server.url,
      signal: controller.signal,
      onFrame: (f) => frames.push(new TextDecoder().decode(f.jpeg)),
      onConnection: (c) => connections.push(c),
      backoff: () => 20,
    });
    await until(() => frames.length >= 3);
    controller.abort();
    await done;
    expect(frames.slice(0, 3)).toEqual(['conn-1', 'conn-2', 'conn-3']);
    // A connection that delivered frames resets the count: every wait is attempt 1.
    expect(connections.find((c) => c.phase === 'waiting')).toEqual({ phase: 'waiting', attempt: 1, retryInMs: 20, error: 'The preview stream ended' });
  });

  it('reports a refused request in words and backs off attempt after attempt', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 'unauthenticated', message: 'Log in again' }));
    });
    const connections: PreviewConnection[] = [];
    const controller = new AbortController();
    const done = runPreviewStream({ url: server.url, signal: controller.signal, onFrame: () => undefined, onConnection: (c) => connections.push(c), backoff: (a) => a * 5 });
    await until(() => server.requests() >= 3);
    controller.abort();
    await done;
    const waits = connections.filter((c) => c.phase === 'waiting');
    expect(waits.slice(0, 2)).toEqual([
      { phase: 'waiting', attempt: 1, retryInMs: 5, error: 'The preview answered 401: Log in again' },
      { phase: 'waiting', attempt: 2, retryInMs: 10, error: 'The preview answered 401: Log in again' },
    ]);
  });

  it("reads the preview's own refusal, { error: text }", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'The camera pipeline is failed' }));
    });
    expect(await firstWaiting(server.url)).toMatchObject({ error: 'The preview answered 503: The camera pipeline is failed' });
  });

  it('refuses a response that is not a multipart stream', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>');
    });
    expect(await firstWaiting(server.url)).toMatchObject({ error: 'The preview answered with text/html, not an MJPEG stream' });
  });

  it('gives up on a stalled connection and opens a new one', async () => {
    const server = await serve((_req, res, n) => {
      res.writeHead(200, streamHead);
      if (n === 1) res.write('--fr'); // then silence
      else writePart(res, Buffer.from('fresh'), 1);
    });
    const frames: string[] = [];
    const connections: PreviewConnection[] = [];
    const controller = new AbortController();
    const done = runPreviewStream({
      url: server.url,
      signal: controller.signal,
      onFrame: (f) => frames.push(new TextDecoder().decode(f.jpeg)),
      onConnection: (c) => connections.push(c),
      stallMs: 200,
      backoff: () => 10,
    });
    await until(() => frames.length >= 1);
    controller.abort();
    await done;
    expect(frames[0]).toBe('fresh');
    expect(connections.find((c) => c.phase === 'waiting')).toMatchObject({ error: 'No frame for 0.2 s' });
  });

  it('stops at once when aborted during the wait before a retry', async () => {
    const controller = new AbortController();
    const done = runPreviewStream({ url: 'http://127.0.0.1:9/none', signal: controller.signal, onFrame: () => undefined, backoff: () => 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    controller.abort();
    await done;
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('previewBackoff', () => {
  it('doubles from half a second up to five seconds', () => {
    expect([1, 2, 3, 4, 5, 9].map(previewBackoff)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });
});
