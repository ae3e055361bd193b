import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA_SETTINGS, type AppliedCameraSettings, type CameraSettings } from '../../../../shared/domain';
import { CORRECT_MARKED_FIELDS } from '../../forms/field-errors';
import { newCamera, toDraft } from './draft';
import { applyErrorText, appliedMessage, cameraSummary, configuredAs, fieldName, joinWords } from './selectors';

const camera = (width: number, height: number, fps: number): CameraSettings['cameras'][number] => ({
  backend: 'testsrc',
  device: 'testsrc2',
  width,
  height,
  fps,
  jpegQuality: 80,
});

const applied = (cameras: CameraSettings['cameras'], restarted: number[], changedOptions: string[] = []): AppliedCameraSettings => ({
  settings: { ...DEFAULT_CAMERA_SETTINGS, cameras },
  restarted,
  changedOptions,
});

describe('what Apply did, in words', () => {
  it('names the restarted camera with its new size and the one that kept running', () => {
    expect(appliedMessage(applied([camera(640, 480, 15), camera(1280, 720, 30)], [0]))).toBe(
      'Camera 0 restarted with 640×480 @ 15 fps. Camera 1 kept running.',
    );
  });

  it('says when nothing had to restart', () => {
    expect(appliedMessage(applied([camera(640, 480, 15)], []))).toBe('Saved. Nothing had to restart.');
  });

  it('lists the options that changed, in words', () => {
    expect(appliedMessage(applied([camera(640, 480, 15)], [], ['photoType', 'idleTimeoutSeconds', 'somethingNew']))).toBe(
      'Saved: photo type, idle timeout and somethingNew changed. Nothing had to restart.',
    );
    expect(appliedMessage(applied([camera(640, 480, 15), camera(640, 480, 15), camera(640, 480, 15)], [1], ['photoDir']))).toBe(
      'Camera 1 restarted with 640×480 @ 15 fps. Cameras 0 and 2 kept running. Also changed: photo directory.',
    );
  });

  it('says a removed camera stopped', () => {
    expect(appliedMessage(applied([camera(640, 480, 15)], [1]))).toBe('Camera 1 was removed and stopped. Camera 0 kept running.');
    // The main process lists only cameras that exist after Apply; the count before names the rest.
    expect(appliedMessage(applied([camera(640, 480, 15)], [0]), 3)).toBe(
      'Camera 0 restarted with 640×480 @ 15 fps. Cameras 1 and 2 were removed and stopped.',
    );
    expect(appliedMessage(applied([camera(640, 480, 15)], []), 2)).toBe('Saved. Camera 1 was removed and stopped. Nothing else had to restart.');
  });

  it('joins words as a sentence does', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('a refused Apply', () => {
  const draft = { ...toDraft(DEFAULT_CAMERA_SETTINGS), cameras: [newCamera()] };

  it('does not repeat a message shown beside its field', () => {
    const error = { code: 'invalid' as const, message: 'The width must be an even number of pixels', fields: { 'cameras.0.width': 'The width must be an even number of pixels' } };
    expect(applyErrorText(error, draft)).toBe(CORRECT_MARKED_FIELDS);
  });

  it('names a field the tab does not show, so the message is not lost', () => {
    const error = { code: 'invalid' as const, message: 'Some values were refused', fields: { 'cameras.3.fps': 'Too fast', photoDir: 'Not writable' } };
    expect(applyErrorText(error, draft)).toBe('Some values were refused Camera 3 · Frame rate: Too fast');
  });

  it("puts a refusal of a whole camera on that camera's card", () => {
    const text = 'Camera 0 is recording: stop the recording before changing or removing it';
    expect(applyErrorText({ code: 'conflict', message: text, fields: { 'cameras.0': text } }, draft)).toBe(CORRECT_MARKED_FIELDS);
  });

  it('shows the message itself when no field is named', () => {
    expect(applyErrorText({ code: 'unsupported', message: 'Not built yet' }, draft)).toBe('Not built yet');
    expect(fieldName('requireAuthForStreaming')).toBe('Require authentication for streaming');
    expect(fieldName('general.allowApi')).toBe('general.allowApi');
    expect(fieldName('')).toBe('Camera settings');
    expect(fieldName('_')).toBe('Camera settings');
    expect(fieldName('cameras.1')).toBe('Camera 1');
  });
});

describe('camera cards', () => {
  it('sums a camera up in one line', () => {
    expect(cameraSummary({ ...newCamera(), width: '640', height: '480', fps: '15' })).toBe('Test pattern testsrc2 · 640×480 @ 15 fps');
  });

  it('knows which detected camera is already configured', () => {
    const draft = { ...toDraft(DEFAULT_CAMERA_SETTINGS), cameras: [newCamera(), newCamera({ backend: 'v4l2', device: '/dev/video0', model: '' })] };
    expect(configuredAs(draft, 'v4l2', '/dev/video0')).toBe(1);
    expect(configuredAs(draft, 'v4l2', '/dev/video1')).toBeNull();
  });
});
