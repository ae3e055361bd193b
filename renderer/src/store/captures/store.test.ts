import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../shared/contract';
import type { CaptureList } from '../../../../shared/domain';
import { createFakeClient } from '../../test/fake-client';
import { CAPTURES_PAGE, createCapturesStore } from './store';

/** A world with `count` photos, alternating between cameras 0 and 1, newest first. */
function withCaptures(count: number, overrides: Parameters<typeof createFakeClient>[0] = {}) {
  const fake = createFakeClient(overrides);
  for (let i = 0; i < count; i++) {
    const camera = i % 2;
    const name = `img_${String(count - i).padStart(5, '0')}.jpg`;
    fake.world.captures.push({ id: `camera_${camera}/${name}`, camera, name, kind: 'photo', size: 100, modifiedAt: new Date(count - i).toISOString(), durationSeconds: null });
  }
  return fake;
}

const listCalls = (world: ReturnType<typeof createFakeClient>['world']) =>
  world.calls.filter((c) => c.name === 'listCaptures').map((c) => c.request);

describe('captures store', () => {
  it('loads the first page only, newest first', async () => {
    const { client, world } = withCaptures(2000);
    const store = createCapturesStore(client);
    expect(store.getState().loaded).toBe(false);
    await store.getState().refresh();
    const state = store.getState();
    expect(state.items).toHaveLength(CAPTURES_PAGE);
    expect(state.items[0]!.name).toBe('img_02000.jpg');
    expect(state).toMatchObject({ total: 2000, cameras: [0, 1], photoDir: '/home/pi/campanel/photos', loaded: true, loading: false });
    expect(listCalls(world)).toEqual([{ offset: 0, limit: CAPTURES_PAGE }]);
  });

  it('appends the next page with Show more and stops at the end', async () => {
    const { client, world } = withCaptures(130);
    const store = createCapturesStore(client);
    await store.getState().refresh();
    await store.getState().loadMore();
    await store.getState().loadMore();
    expect(store.getState().items).toHaveLength(130);
    expect(new Set(store.getState().items.map((c) => c.id)).size).toBe(130);
    await store.getState().loadMore();
    expect(listCalls(world)).toEqual([
      { offset: 0, limit: 60 },
      { offset: 60, limit: 60 },
      { offset: 120, limit: 60 },
    ]);
  });

  it('does not show an item twice when a new capture shifted the pages', async () => {
    const { client, world } = withCaptures(100);
    const store = createCapturesStore(client);
    await store.getState().refresh();
    await client.takePhoto({ camera: 0, kind: 'photo' });
    await store.getState().loadMore();
    const ids = store.getState().items.map((c) => c.id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    expect(world.captures).toHaveLength(101);
  });

  it('refreshes as many items as are shown, in calls within the contract limit, keeping the filter', async () => {
    const { client, world } = withCaptures(2000);
    const store = createCapturesStore(client);
    await store.getState().setCamera(1);
    for (let i = 0; i < 10; i++) await store.getState().loadMore();
    expect(store.getState().items).toHaveLength(660);
    world.calls.length = 0;
    await store.getState().refresh();
    expect(store.getState().items).toHaveLength(660);
    expect(store.getState().items.every((c) => c.camera === 1)).toBe(true);
    expect(listCalls(world)).toEqual([
      { camera: 1, offset: 0, limit: 500 },
      { camera: 1, offset: 500, limit: 160 },
    ]);
  });

  it('filters by camera and starts again from the first page', async () => {
    const { client } = withCaptures(200);
    const store = createCapturesStore(client);
    await store.getState().refresh();
    await store.getState().loadMore();
    await store.getState().setCamera(0);
    expect(store.getState()).toMatchObject({ camera: 0, total: 100, loaded: true });
    expect(store.getState().items).toHaveLength(60);
    expect(store.getState().items.every((c) => c.camera === 0)).toBe(true);
    await store.getState().setCamera(null);
    expect(store.getState().total).toBe(200);
  });

  it('drops an answer that arrives after the filter changed', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const fake = withCaptures(10);
    const { client } = createFakeClient({
      listCaptures: async (request) => {
        if (request.camera === undefined) await slow;
        return (await fake.client.listCaptures(request)) as Result<CaptureList>;
      },
    });
    const store = createCapturesStore(client);
    const first = store.getState().refresh();
    await store.getState().setCamera(1);
    release();
    await first;
    expect(store.getState().camera).toBe(1);
    expect(store.getState().items.every((c) => c.camera === 1)).toBe(true);
    expect(store.getState().total).toBe(5);
  });

  it('deletes a capture and removes it from the list', async () => {
    const { client, world } = withCaptures(3);
    const store = createCapturesStore(client);
    await store.getState().refresh();
    const id = store.getState().items[1]!.id;
    const result = await store.getState().deleteCapture(id);
    expect(result.ok).toBe(true);
    expect(store.getState().items.map((c) => c.id)).not.toContain(id);
    expect(store.getState().total).toBe(2);
    expect(world.captures).toHaveLength(2);
  });

  it('keeps a load error in words and the items already shown', async () => {
    let fail = false;
    const fake = withCaptures(3);
    const { client } = createFakeClient({
      listCaptures: async (request) =>
        fail ? { ok: false, error: { code: 'internal', message: 'The photo directory cannot be read' } } : ((await fake.client.listCaptures(request)) as Result<CaptureList>),
    });
    const store = createCapturesStore(client);
    await store.getState().refresh();
    fail = true;
    await store.getState().refresh();
    expect(store.getState().loadError?.message).toBe('The photo directory cannot be read');
    expect(store.getState().items).toHaveLength(3);
  });
});
