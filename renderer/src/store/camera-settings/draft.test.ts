import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA_SETTINGS, cameraSettingsSchema } from '../../../../shared/domain';
import { IDLE_TIMEOUT_MESSAGE, checkDraft, deviceForBackend, fieldErrorsByPath, newCamera, presetOf, toDraft, withoutCamera, type SettingsDraft } from './draft';

const draftWith = (patch: Partial<SettingsDraft> = {}): SettingsDraft => ({
  ...toDraft(DEFAULT_CAMERA_SETTINGS),
  cameras: [newCamera(), newCamera({ backend: 'v4l2', device: '/dev/video0', model: 'Webcam' })],
  ...patch,
});

describe('camera settings draft', () => {
  it('turns a valid draft into the contract object', () => {
    const checked = checkDraft(draftWith({ photoDir: '  /srv/photos ', idleTimeoutSeconds: '0' }));
    expect(checked).toEqual({
      ok: true,
      settings: {
        ...DEFAULT_CAMERA_SETTINGS,
        cameras: [
          { backend: 'testsrc', device: 'testsrc2', width: 1280, height: 720, fps: 30, jpegQuality: 80 },
          { backend: 'v4l2', device: '/dev/video0', width: 1280, height: 720, fps: 30, jpegQuality: 80 },
        ],
        photoDir: '/srv/photos',
        idleTimeoutSeconds: 0,
      },
    });
  });

  it('maps zod issue paths to the keys the main process uses', () => {
    const draft = draftWith();
    draft.cameras[0] = { ...draft.cameras[0]!, width: '15', jpegQuality: '101' };
    draft.cameras[1] = { ...draft.cameras[1]!, device: 'video0', fps: 'abc' };
    const checked = checkDraft({ ...draft, idleTimeoutSeconds: '' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.fields).toEqual({
      'cameras.0.width': 'The width is at least 16 pixels',
      'cameras.0.jpegQuality': 'The JPEG quality is 1 to 100',
      'cameras.1.fps': 'Enter the frame rate',
      'cameras.1.device': 'A USB camera device is /dev/videoN',
      idleTimeoutSeconds: IDLE_TIMEOUT_MESSAGE,
    });
  });

  it('keeps the first message per path', () => {
    const result = cameraSettingsSchema.safeParse({ ...DEFAULT_CAMERA_SETTINGS, cameras: [{ backend: 'testsrc', device: 'testsrc2', width: 17.5, height: 720, fps: 30, jpegQuality: 80 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrorsByPath(result.error.issues)).toEqual({ 'cameras.0.width': 'The width is a whole number of pixels' });
    expect(fieldErrorsByPath([{ path: ['photoDir'], message: 'first' }, { path: ['photoDir'], message: 'second' }, { path: [], message: 'whole' }])).toEqual({
      photoDir: 'first',
      '': 'whole',
    });
  });

  it('names a wrong device together with the other mistakes of its camera', () => {
    const draft = draftWith();
    draft.cameras[0] = { ...draft.cameras[0]!, device: 'nope', width: '' };
    const checked = checkDraft(draft);
    expect(checked.ok ? null : checked.fields).toEqual({
      'cameras.0.width': 'Enter the width in pixels',
      'cameras.0.device': expect.stringContaining('testsrc2'),
    });
  });

  it('refuses an active camera that is not configured', () => {
    const checked = checkDraft(draftWith({ activeCamera: 2 }));
    expect(checked.ok ? null : checked.fields.activeCamera).toBe('Choose one of the 2 configured cameras');
    expect(checkDraft(draftWith({ cameras: [], activeCamera: 0 })).ok).toBe(true);
  });

  it('recognises the resolution presets and calls everything else custom', () => {
    expect(presetOf({ width: '640', height: '480' })).toBe('640x480');
    expect(presetOf({ width: '1920', height: '1080' })).toBe('1920x1080');
    expect(presetOf({ width: '1920', height: '1088' })).toBe('custom');
  });

  it('renumbers after a removal and keeps the active camera pointing at the same camera', () => {
    const three = draftWith({ cameras: [newCamera(), newCamera(), newCamera()], activeCamera: 2 });
    expect(withoutCamera(three, 0).activeCamera).toBe(1);
    expect(withoutCamera(three, 2).activeCamera).toBe(0);
    expect(withoutCamera({ ...three, activeCamera: 0 }, 1).activeCamera).toBe(0);
    expect(withoutCamera(three, 5)).toBe(three);
  });

  it('gives a new backend a device it understands, a detected one first', () => {
    expect(deviceForBackend('rpicam', null)).toBe('0');
    expect(deviceForBackend('v4l2', [{ backend: 'v4l2', device: '/dev/video4', model: 'Cam' }])).toBe('/dev/video4');
  });
});
