import { describe, expect, it } from 'vitest';
import type { CameraState } from '../../../../shared/domain';
import { createFakeClient } from '../../test/fake-client';
import { cameraState } from '../../test/pipeline-fixtures';
import { createCameraStore } from './store';

const camera = (num: number): CameraState => cameraState(num, { clients: 0 });

function setup(cameras = 2) {
  const fake = createFakeClient();
  fake.world.pipeline.state = 'running';
  fake.world.pipeline.cameras = Array.from({ length: cameras }, (_, i) => camera(i));
  return { ...fake, store: createCameraStore(fake.client) };
}

describe('camera store', () => {
  it('loads the pipeline state', async () => {
    const { store } = setup();
    expect(store.getState().status).toBeNull();
    await store.getState().refresh();
    expect(store.getState().status?.cameras.map((c) => c.num)).toEqual([0, 1]);
  });

  it('takes a photo and a raw photo and answers the new captures', async () => {
    const { store, world } = setup();
    const photo = await store.getState().takePhoto(0, 'photo');
    const raw = await store.getState().takePhoto(1, 'raw');
    expect(photo.ok && photo.value).toMatchObject({ camera: 0, kind: 'photo' });
    expect(raw.ok && raw.value).toMatchObject({ camera: 1, kind: 'raw', id: expect.stringMatching(/^camera_1\/.+\.tiff$/) });
    expect(world.captures).toHaveLength(2);
  });

  it('starts recording and shows it at once; stopping answers the video and refreshes', async () => {
    const { store, world } = setup();
    await store.getState().startRecording(0);
    expect(store.getState().status?.cameras[0]).toMatchObject({ recording: true, recordingStartedAt: expect.any(String) });
    const video = await store.getState().stopRecording(0);
    expect(video.ok && video.value).toMatchObject({ kind: 'video', durationSeconds: 3 });
    expect(store.getState().status?.cameras[0]?.recording).toBe(false);
    expect(world.calls.at(-1)?.name).toBe('cameraStatus');
  });

  it('switches the active camera', async () => {
    const { store } = setup();
    await store.getState().refresh();
    await store.getState().switchCamera();
    expect(store.getState().status?.activeCamera).toBe(1);
  });

  it('keeps the last state and answers the error when an action is refused', async () => {
    const fake = createFakeClient({
      restartPipeline: () => ({ ok: false, error: { code: 'forbidden', message: 'Only administrators can do this' } }),
      takePhoto: () => ({ ok: false, error: { code: 'conflict', message: 'The camera is restarting' } }),
    });
    const store = createCameraStore(fake.client);
    await store.getState().refresh();
    const before = store.getState().status;
    const restart = await store.getState().restartPipeline();
    expect(restart.ok || restart.error.message).toBe('Only administrators can do this');
    const photo = await store.getState().takePhoto(0, 'photo');
    expect(photo.ok || photo.error.message).toBe('The camera is restarting');
    expect(store.getState().status).toBe(before);
  });

  it('keeps a load error for the screen', async () => {
    const { client } = createFakeClient({ cameraStatus: () => ({ ok: false, error: { code: 'internal', message: 'Pipeline unavailable' } }) });
    const store = createCameraStore(client);
    await store.getState().refresh();
    expect(store.getState().loadError?.message).toBe('Pipeline unavailable');
  });
});
