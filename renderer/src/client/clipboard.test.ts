import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeClient } from '../test/fake-client';
import { CLIPBOARD_CLEAR_MS, copySecret, sha256Hex } from './clipboard';

function fakeClipboard(initial = '') {
  let text = initial;
  return {
    writeText: vi.fn(async (t: string) => {
      text = t;
    }),
    readText: vi.fn(async () => text),
    get text() {
      return text;
    },
    set text(t: string) {
      text = t;
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** The hash comparison runs on WebCrypto (off the JS thread): give it real time. */
const settle = async () => {
  vi.useRealTimers();
  await new Promise((resolve) => setTimeout(resolve, 100));
};

describe('copySecret', () => {
  it('hashes with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('in Electron, lets the main process copy (and clear)', async () => {
    const { client, world } = createFakeClient({}, 'electron');
    expect(await copySecret(client, 'tok')).toEqual({ ok: true, value: true });
    expect(world.calls).toEqual([{ name: 'copySecret', request: { text: 'tok' } }]);
  });

  it('in the browser, copies and clears after 60 s when the clipboard still holds the token', async () => {
    const clipboard = fakeClipboard();
    vi.stubGlobal('navigator', { clipboard });
    const { client, world } = createFakeClient();
    expect(await copySecret(client, 'tok')).toEqual({ ok: true, value: true });
    expect(clipboard.text).toBe('tok');
    expect(world.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 1);
    expect(clipboard.text).toBe('tok');
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(clipboard.text).toBe(''));
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const clipboard = fakeClipboard();
    vi.stubGlobal('navigator', { clipboard });
    const { client } = createFakeClient();
    await copySecret(client, 'tok');
    clipboard.text = 'shopping list';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    await settle();
    expect(clipboard.readText).toHaveBeenCalled();
    expect(clipboard.text).toBe('shopping list');
  });
});
