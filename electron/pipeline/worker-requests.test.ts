/** Numbered requests to the worker: answers, deadlines, a worker that is not there, and failing them all. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CameraError } from './camera-errors.js';
import { WorkerRequests } from './worker-requests.js';

afterEach(() => {
  vi.useRealTimers();
});

/** What a rejected promise rejected with (or 'resolved: <value>'), without an unhandled rejection. */
const outcome = (promise: Promise<string>) =>
  promise.then(
    (value) => `resolved: ${value}`,
    (error: unknown) => error,
  );

describe('WorkerRequests', () => {
  it('gives each request a fresh id and resolves it with its own answer’s path', async () => {
    const requests = new WorkerRequests();
    const ids: number[] = [];
    const first = requests.request((id) => ids.push(id) > 0, 1000, 'timed out');
    const second = requests.request((id) => ids.push(id) > 0, 1000, 'timed out');
    expect(ids).toEqual([1, 2]);
    expect(requests.size).toBe(2);
    requests.answer({ type: 'result', id: 2, ok: true, path: '/photos/b.jpg' });
    requests.answer({ type: 'result', id: 1, ok: true, path: '/photos/a.jpg' });
    await expect(first).resolves.toBe('/photos/a.jpg');
    await expect(second).resolves.toBe('/photos/b.jpg');
    expect(requests.size).toBe(0);
  });

  it('rejects with CameraError failed carrying the worker’s error text', async () => {
    const requests = new WorkerRequests();
    let sentId = -1;
    const pending = outcome(requests.request((id) => ((sentId = id), true), 1000, 'timed out'));
    requests.answer({ type: 'result', id: sentId, ok: false, error: 'rpicam-still: camera busy' });
    const error = await pending;
    expect(error).toBeInstanceOf(CameraError);
    expect(error).toMatchObject({ kind: 'failed', message: 'rpicam-still: camera busy' });
  });

  it('ignores answers to unknown or already settled ids', async () => {
    const requests = new WorkerRequests();
    const pending = requests.request(() => true, 1000, 'timed out');
    requests.answer({ type: 'result', id: 99, ok: true, path: '/nope' });
    expect(requests.size).toBe(1);
    requests.answer({ type: 'result', id: 1, ok: true, path: '/first' });
    requests.answer({ type: 'result', id: 1, ok: false, error: 'late' });
    await expect(pending).resolves.toBe('/first');
  });

  it('rejects with CameraError failed and the timeout text after timeoutMs, and forgets the request', async () => {
    vi.useFakeTimers();
    const requests = new WorkerRequests();
    const pending = outcome(requests.request(() => true, 5000, 'The camera did not take the photo within 5 s'));
    await vi.advanceTimersByTimeAsync(4999);
    expect(requests.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toBeInstanceOf(CameraError);
    expect(error).toMatchObject({ kind: 'failed', message: 'The camera did not take the photo within 5 s' });
    expect(requests.size).toBe(0);
    requests.answer({ type: 'result', id: 1, ok: true, path: '/too-late' }); // harmless
  });

  it('an answer in time clears the deadline', async () => {
    vi.useFakeTimers();
    const requests = new WorkerRequests();
    const pending = requests.request(() => true, 5000, 'timed out');
    requests.answer({ type: 'result', id: 1, ok: true, path: '/ok' });
    expect(vi.getTimerCount()).toBe(0);
    await expect(pending).resolves.toBe('/ok');
  });

  it('rejects at once with CameraError unavailable when the message could not be sent', async () => {
    vi.useFakeTimers();
    const requests = new WorkerRequests();
    const error = await outcome(requests.request(() => false, 5000, 'timed out'));
    expect(error).toBeInstanceOf(CameraError);
    expect(error).toMatchObject({ kind: 'unavailable', message: 'The camera pipeline is restarting: its worker has just stopped' });
    expect([requests.size, vi.getTimerCount()]).toEqual([0, 0]);
  });

  it('failAll rejects every open request with the given error and clears their deadlines', async () => {
    vi.useFakeTimers();
    const requests = new WorkerRequests();
    const pending = [outcome(requests.request(() => true, 5000, 'a')), outcome(requests.request(() => true, 5000, 'b'))];
    const gone = new CameraError('unavailable', 'The camera pipeline stopped');
    requests.failAll(gone);
    expect(await Promise.all(pending)).toEqual([gone, gone]);
    expect([requests.size, vi.getTimerCount()]).toEqual([0, 0]);
    requests.failAll(gone); // nothing left: no effect
  });
});
