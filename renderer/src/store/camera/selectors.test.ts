import { describe, expect, it } from 'vitest';
import type { CameraState, PipelineState } from '../../../../shared/domain';
import { cameraState, pipelineState } from '../../test/pipeline-fixtures';
import { activeCameraState, activeCameraText, pipelineLabel, pipelineSummary, pipelineTone, secondsUntil } from './selectors';

const camera = (num: number, over: Partial<CameraState> = {}): CameraState =>
  cameraState(num, { width: 1280, height: 720, fps: 29.7, ...over });

const pipeline = (over: Partial<PipelineState> = {}): PipelineState => pipelineState({ cameras: [camera(0)], ...over });

const NOW = Date.parse('2026-11-27T10:00:00.000Z');

describe('camera selectors', () => {
  it('gives every pipeline state a tone: running green, starting/restarting amber, idle/stopped grey, failed red', () => {
    expect(pipelineTone('running')).toBe('ok');
    expect(pipelineTone('starting')).toBe('busy');
    expect(pipelineTone('restarting')).toBe('busy');
    expect(pipelineTone('idle')).toBe('idle');
    expect(pipelineTone('stopped')).toBe('idle');
    expect(pipelineTone('failed')).toBe('error');
    expect(pipelineLabel('restarting')).toBe('Restarting');
  });

  it('names the active camera, long and short, and says when there is none', () => {
    const status = pipeline({ activeCamera: 1, cameras: [camera(0), camera(1, { backend: 'v4l2', width: 640, height: 480 })] });
    expect(activeCameraState(status)?.num).toBe(1);
    expect(activeCameraText(status)).toBe('Camera 1 · v4l2 640×480');
    expect(activeCameraText(status, true)).toBe('Cam 1 · 640×480');
    expect(activeCameraText(pipeline({ cameras: [] }))).toBe('No camera');
    expect(activeCameraText(null)).toBe('No camera');
  });

  it('describes a running camera by fps, resolution and clients', () => {
    expect(pipelineSummary(pipeline(), NOW).text).toBe('Running: 30 fps, 1280×720, 1 client');
    const slow = pipeline({ cameras: [camera(0, { fps: 2.44, clients: 3 })] });
    expect(pipelineSummary(slow, NOW).text).toBe('Running: 2.4 fps, 1280×720, 3 clients');
  });

  it('describes idle and a restart with its attempt and the seconds to the next try', () => {
    expect(pipelineSummary(pipeline({ state: 'idle' }), NOW)).toMatchObject({ tone: 'idle', text: 'Idle: the camera starts when someone watches' });
    const restarting = pipeline({ state: 'restarting', attempt: 3, nextTryAt: '2026-11-27T10:00:04.200Z' });
    expect(pipelineSummary(restarting, NOW)).toMatchObject({ tone: 'busy', text: 'Restarting: attempt 3, next try in 5 s' });
    const due = pipeline({ state: 'restarting', attempt: 2, nextTryAt: '2026-11-27T09:59:59.000Z' });
    expect(pipelineSummary(due, NOW).text).toBe('Restarting: attempt 2, trying now');
  });

  it('describes a failure by stage, error and the last stderr lines, the camera’s own first', () => {
    const worker = pipeline({ state: 'failed', failedStage: 'handshake', error: 'No answer in 10 s', stderr: ['a', 'b'], cameras: [] });
    expect(pipelineSummary(worker, NOW)).toEqual({
      phase: 'failed',
      tone: 'error',
      label: 'Failed',
      text: 'Failed while waiting for the worker to answer: No answer in 10 s',
      stderr: ['a', 'b'],
    });
    const lines = Array.from({ length: 14 }, (_, i) => `line ${i}`);
    const cam = pipeline({ state: 'failed', failedStage: 'camera', cameras: [camera(0, { error: 'ffmpeg exited with 1', stderr: lines })] });
    const summary = pipelineSummary(cam, NOW);
    expect(summary.text).toBe('Failed while starting the camera: ffmpeg exited with 1');
    expect(summary.stderr).toEqual(lines.slice(-10));
  });

  it('counts seconds up to an ISO time, never below zero, null without one', () => {
    expect(secondsUntil('2026-11-27T10:00:01.000Z', NOW)).toBe(1);
    expect(secondsUntil('2026-11-27T09:00:00.000Z', NOW)).toBe(0);
    expect(secondsUntil(null, NOW)).toBeNull();
    expect(secondsUntil('not a date', NOW)).toBeNull();
  });
});
