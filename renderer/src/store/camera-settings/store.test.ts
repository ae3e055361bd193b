import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA_SETTINGS, type CameraSettings } from '../../../../shared/domain';
import { CORRECT_MARKED_FIELDS } from '../../forms/field-errors';
import { createFakeClient, type Overrides } from '../../test/fake-client';
import { createCameraSettingsStore, isDirty } from './store';

const twoCameras = (): CameraSettings => ({
  ...DEFAULT_CAMERA_SETTINGS,
  cameras: [
    { backend: 'testsrc', device: 'testsrc2', width: 1280, height: 720, fps: 30, jpegQuality: 80 },
    { backend: 'testsrc', device: 'smptebars', width: 640, height: 480, fps: 15, jpegQuality: 70 },
  ],
  activeCamera: 1,
});

async function loaded(overrides: Overrides = {}) {
  const fake = createFakeClient(overrides);
  fake.world.settings.camera = twoCameras();
  const store = createCameraSettingsStore(fake.client);
  await store.getState().refresh();
  return { ...fake, store };
}

describe('camera settings store', () => {
  it('loads the stored settings into a clean draft', async () => {
    const { store } = await loaded();
    const state = store.getState();
    expect(state.settings?.cameras).toHaveLength(2);
    expect(state.draft?.cameras[1]).toEqual({ backend: 'testsrc', device: 'smptebars', width: '640', height: '480', fps: '15', jpegQuality: '70' });
    expect(isDirty(state)).toBe(false);
  });

  it('keeps a load refusal for the screen', async () => {
    const { store } = await loaded({ cameraSettings: () => ({ ok: false, error: { code: 'unsupported', message: 'Not built yet' } }) });
    expect(store.getState().settings).toBeNull();
    expect(store.getState().loadError?.message).toBe('Not built yet');
  });

  it('is dirty after an edit and clean again after Revert', async () => {
    const { store } = await loaded();
    store.getState().setCamera(0, { width: '640' });
    expect(isDirty(store.getState())).toBe(true);
    store.getState().setCamera(0, { width: '1280' });
    expect(isDirty(store.getState())).toBe(false);
    store.getState().setOption('photoType', 'png');
    store.getState().revert();
    expect(store.getState().draft?.photoType).toBe('jpg');
    expect(isDirty(store.getState())).toBe(false);
  });

  it('applies the whole settings object and keeps what the main process answered', async () => {
    const { store, world } = await loaded();
    store.getState().setCamera(0, { width: '640', height: '480', fps: '15' });
    const result = await store.getState().apply();
    expect(result.ok).toBe(true);
    expect(world.calls.at(-1)).toEqual({ name: 'applyCameraSettings', request: { ...twoCameras(), cameras: [{ ...twoCameras().cameras[0], width: 640, height: 480, fps: 15 }, twoCameras().cameras[1]] } });
    const state = store.getState();
    expect(state.lastApplied?.restarted).toEqual([0]);
    expect(state.camerasBeforeApply).toBe(2);
    expect(state.lastApplied?.changedOptions).toEqual([]);
    expect(state.settings?.cameras[0]?.width).toBe(640);
    expect(isDirty(state)).toBe(false);
  });

  it('reports the options that changed without a restart', async () => {
    const { store } = await loaded();
    store.getState().setOption('photoType', 'png');
    store.getState().setOption('activeCamera', 0);
    await store.getState().apply();
    expect(store.getState().lastApplied).toMatchObject({ restarted: [], changedOptions: ['activeCamera', 'photoType'] });
  });

  it('refuses invalid values beside the field without calling the main process', async () => {
    const { store, world } = await loaded();
    store.getState().setCamera(1, { width: '641', fps: '' });
    store.getState().setOption('idleTimeoutSeconds', '-1');
    const result = await store.getState().apply();
    expect(result.ok).toBe(false);
    const { fieldErrors, applyError } = store.getState();
    expect(fieldErrors['cameras.1.width']).toBe('The width must be an even number of pixels');
    expect(fieldErrors['cameras.1.fps']).toBe('Enter the frame rate');
    expect(fieldErrors.idleTimeoutSeconds).toBeDefined();
    expect(applyError?.message).toBe(CORRECT_MARKED_FIELDS);
    expect(world.calls.some((c) => c.name === 'applyCameraSettings')).toBe(false);
    // Editing a field takes its message away, the others stay.
    store.getState().setCamera(1, { width: '640' });
    expect(store.getState().fieldErrors['cameras.1.width']).toBeUndefined();
    expect(store.getState().fieldErrors['cameras.1.fps']).toBe('Enter the frame rate');
  });

  it("shows the main process's refusal beside the fields and keeps the edits", async () => {
    const { store } = await loaded({
      applyCameraSettings: () => ({
        ok: false,
        error: { code: 'invalid', message: 'Photo directory is not writable', fields: { photoDir: 'Photo directory is not writable' } },
      }),
    });
    store.getState().setOption('photoDir', '/root/nope');
    const result = await store.getState().apply();
    expect(result.ok).toBe(false);
    const state = store.getState();
    expect(state.fieldErrors).toEqual({ photoDir: 'Photo directory is not writable' });
    expect(state.draft?.photoDir).toBe('/root/nope');
    expect(state.settings?.photoDir).toBe('');
    expect(state.applying).toBe(false);
    expect(isDirty(state)).toBe(true);
  });

  it('keeps unsaved edits when the stored settings change elsewhere, and says so', async () => {
    const { store, world } = await loaded();
    store.getState().setCamera(0, { fps: '10' });
    world.settings.camera = { ...twoCameras(), idleTimeoutSeconds: 60 };
    await store.getState().refresh();
    let state = store.getState();
    expect(state.draft?.cameras[0]?.fps).toBe('10');
    expect(state.draft?.idleTimeoutSeconds).toBe('10');
    expect(state.settings?.idleTimeoutSeconds).toBe(60);
    expect(state.changedElsewhere).toBe(true);
    store.getState().revert();
    state = store.getState();
    expect(state.draft?.idleTimeoutSeconds).toBe('60');
    expect(state.draft?.cameras[0]?.fps).toBe('30');
    expect(state.changedElsewhere).toBe(false);
  });

  it('follows a refresh while the form is clean, and does not warn when nothing changed', async () => {
    const { store, world } = await loaded();
    world.settings.camera = { ...twoCameras(), photoType: 'png' };
    await store.getState().refresh();
    expect(store.getState().draft?.photoType).toBe('png');
    store.getState().setOption('rawType', 'dng');
    await store.getState().refresh();
    expect(store.getState().draft?.rawType).toBe('dng');
    expect(store.getState().changedElsewhere).toBe(false);
  });

  it('adds cameras up to the limit and removes one, keeping the active camera the same camera', async () => {
    const { store } = await loaded();
    expect(store.getState().addCamera({ backend: 'v4l2', device: '/dev/video2', model: 'HD Webcam' })).toBe(true);
    expect(store.getState().draft?.cameras[2]).toEqual({ backend: 'v4l2', device: '/dev/video2', width: '1280', height: '720', fps: '30', jpegQuality: '80' });
    expect(store.getState().addCamera()).toBe(true);
    expect(store.getState().draft?.cameras[3]?.backend).toBe('testsrc');
    expect(store.getState().addCamera()).toBe(false);
    store.getState().removeCamera(0);
    const draft = store.getState().draft;
    expect(draft?.cameras.map((c) => c.device)).toEqual(['smptebars', '/dev/video2', 'testsrc2']);
    expect(draft?.activeCamera).toBe(0);
  });

  it('moves field messages with their camera when one before it is removed', async () => {
    const { store } = await loaded();
    store.getState().setCamera(1, { height: '' });
    await store.getState().apply();
    expect(Object.keys(store.getState().fieldErrors)).toEqual(['cameras.1.height']);
    store.getState().removeCamera(0);
    expect(store.getState().fieldErrors).toEqual({ 'cameras.0.height': 'Enter the height in pixels' });
  });

  it('detects cameras, and keeps a detection failure apart from the settings', async () => {
    const { store } = await loaded();
    const pending = store.getState().detect();
    expect(store.getState().detecting).toBe(true);
    await pending;
    expect(store.getState().detecting).toBe(false);
    expect(store.getState().detected).toEqual([{ backend: 'testsrc', device: 'testsrc2', model: 'Test pattern (ffmpeg)' }]);

    const failing = await loaded({ detectCameras: () => ({ ok: false, error: { code: 'internal', message: 'v4l2-ctl failed' } }) });
    await failing.store.getState().detect();
    expect(failing.store.getState().detectError?.message).toBe('v4l2-ctl failed');
    expect(failing.store.getState().loadError).toBeNull();
  });
});
