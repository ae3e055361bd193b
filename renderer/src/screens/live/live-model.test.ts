import { describe, expect, it } from 'vitest';
import { cameraState, pipelineState } from '../../test/pipeline-fixtures';
import { cameraProblem, elapsedText, liveControls, liveLayout } from './live-model';

const camera = cameraState;

const pipeline = pipelineState;

describe('liveLayout', () => {
  it('puts the active camera large and the others beside', () => {
    const layout = liveLayout(pipeline({ activeCamera: 1, cameras: [camera(0), camera(1), camera(2)] }));
    expect(layout.active?.num).toBe(1);
    expect(layout.others.map((c) => c.num)).toEqual([0, 2]);
  });

  it('falls back to the first camera, and to none', () => {
    expect(liveLayout(pipeline({ activeCamera: 3 })).active?.num).toBe(0);
    expect(liveLayout(pipeline({ cameras: [] }))).toEqual({ active: null, others: [] });
  });
});

describe('liveControls', () => {
  it('lets a user capture and record, without Switch for one camera or Restart', () => {
    expect(liveControls(pipeline(), false)).toEqual({ capture: true, record: 'record', switchCamera: false, restartPipeline: false });
  });

  it('shows Stop while recording and Switch with two cameras', () => {
    const status = pipeline({ cameras: [camera(0, { recording: true }), camera(1)] });
    expect(liveControls(status, false)).toMatchObject({ record: 'stop', switchCamera: true });
  });

  it('offers Restart pipeline to admins only, and only when something failed or is restarting', () => {
    expect(liveControls(pipeline({ state: 'failed' }), true).restartPipeline).toBe(true);
    expect(liveControls(pipeline({ state: 'restarting' }), true).restartPipeline).toBe(true);
    expect(liveControls(pipeline({ cameras: [camera(0, { state: 'failed' })] }), true).restartPipeline).toBe(true);
    expect(liveControls(pipeline({ state: 'failed' }), false).restartPipeline).toBe(false);
    expect(liveControls(pipeline({ state: 'idle' }), true).restartPipeline).toBe(false);
  });

  it('shows no capture buttons without a camera', () => {
    expect(liveControls(pipeline({ cameras: [] }), true)).toMatchObject({ capture: false, record: null, switchCamera: false });
  });
});

describe('elapsedText', () => {
  const start = '2026-11-26T12:00:00.000Z';
  const at = (s: number) => Date.parse(start) + s * 1000;
  it('counts from when the recording started', () => {
    expect(elapsedText(start, at(5.9))).toBe('0:05');
    expect(elapsedText(start, at(61))).toBe('1:01');
    expect(elapsedText(start, at(3600))).toBe('1:00:00');
  });
  it('never goes below zero and is null when unknown', () => {
    expect(elapsedText(start, at(-2))).toBe('0:00');
    expect(elapsedText(null, at(1))).toBeNull();
    expect(elapsedText('not a date', at(1))).toBeNull();
  });
});

describe('cameraProblem', () => {
  it('names a failed camera while the pipeline runs', () => {
    const failed = camera(1, { state: 'failed', error: 'device busy', stderr: ['a', 'b'] });
    expect(cameraProblem(failed, pipeline())).toEqual({ text: 'Camera 1 failed: device busy', stderr: ['a', 'b'] });
    expect(cameraProblem(camera(0), pipeline())).toBeNull();
    expect(cameraProblem(failed, pipeline({ state: 'failed' }))).toBeNull();
  });
});
