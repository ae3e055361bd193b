/** The pipeline as shown to people: supervisor state combined with the worker's camera reports, and in words. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA, pipelineStateSchema, type CameraConfig } from '../../shared/domain.js';
import { describePipeline, pipelineView } from './pipeline-view.js';
import type { WorkerCameraState } from './protocol.js';
import type { SupervisorState } from './supervisor.js';

const running: SupervisorState = { state: 'running', attempt: 0, nextTryAt: null, failedStage: null, error: null, stderr: [] };
const configured: CameraConfig[] = [
  { backend: 'v4l2', device: '/dev/video0', ...DEFAULT_CAMERA },
  { backend: 'testsrc', device: 'testsrc2', ...DEFAULT_CAMERA, width: 640, height: 480 },
];

function report(camera: number, state: WorkerCameraState['state'], extra: Partial<WorkerCameraState> = {}): WorkerCameraState {
  return { camera, state, width: 0, height: 0, fps: 0, recording: false, recordingPath: null, error: null, stderr: [], ...extra };
}

const reports = (...states: WorkerCameraState[]) => new Map(states.map((s) => [s.camera, s]));
const noClients = () => 0;

describe('pipelineView', () => {
  it('while the worker is not running: the supervisor’s state, every camera starting, reports ignored', () => {
    const restarting: SupervisorState = { ...running, state: 'restarting', attempt: 2, nextTryAt: '2030-01-01T00:00:05.000Z', error: 'worker exited (code 1)', stderr: ['boom'] };
    const view = pipelineView(restarting, configured, reports(report(0, 'running', { fps: 30, width: 1920, height: 1080 })), (n) => n + 1);
    expect(pipelineStateSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ state: 'restarting', activeCamera: 0, attempt: 2, nextTryAt: '2030-01-01T00:00:05.000Z', error: 'worker exited (code 1)', stderr: ['boom'] });
    expect(view.cameras).toEqual([
      { num: 0, backend: 'v4l2', device: '/dev/video0', state: 'starting', width: 1280, height: 720, fps: 0, clients: 1, recording: false, recordingStartedAt: null, error: null, stderr: [] },
      { num: 1, backend: 'testsrc', device: 'testsrc2', state: 'starting', width: 640, height: 480, fps: 0, clients: 2, recording: false, recordingStartedAt: null, error: null, stderr: [] },
    ]);
  });

  it('some camera running: running, with the reported size, fps to one decimal, recording and clients', () => {
    const view = pipelineView(
      running,
      configured,
      reports(report(0, 'running', { fps: 29.96, width: 1920, height: 1080, recording: true }), report(1, 'idle')),
      (n) => (n === 0 ? 3 : 0),
    );
    expect(view.state).toBe('running');
    expect(view.cameras[0]).toMatchObject({ state: 'running', width: 1920, height: 1080, fps: 30, clients: 3, recording: true });
    expect(view.cameras[1]).toMatchObject({ state: 'idle', width: 640, height: 480, fps: 0, clients: 0 });
  });

  it('recording: with its start time as this side knows it, even before the worker reports it', () => {
    const since = (camera: number) => (camera === 0 ? '2030-01-01T00:00:00.000Z' : null);
    const view = pipelineView(running, configured, reports(report(0, 'running'), report(1, 'running')), noClients, 1, since);
    expect(pipelineStateSchema.parse(view)).toEqual(view);
    expect(view.activeCamera).toBe(1);
    expect(view.cameras.map((c) => [c.recording, c.recordingStartedAt])).toEqual([
      [true, '2030-01-01T00:00:00.000Z'],
      [false, null],
    ]);
  });

  it('recording the worker reports without a known start: recording, start unknown; none while the worker is down', () => {
    const recordingReport = reports(report(0, 'running', { recording: true }));
    expect(pipelineView(running, configured, recordingReport, noClients).cameras[0]).toMatchObject({ recording: true, recordingStartedAt: null });
    const down = pipelineView({ ...running, state: 'restarting' }, configured, recordingReport, noClients, 0, () => '2030-01-01T00:00:00.000Z');
    expect(down.cameras[0]).toMatchObject({ recording: false, recordingStartedAt: null });
  });

  it('the active camera is reported whatever the worker’s state', () => {
    const stopped: SupervisorState = { ...running, state: 'stopped' };
    expect(pipelineView(stopped, configured, new Map(), noClients, 1).activeCamera).toBe(1);
  });

  it('a camera still starting counts as running; one failed beside it does not fail the pipeline', () => {
    const view = pipelineView(running, configured, reports(report(0, 'starting'), report(1, 'failed', { error: 'no such device' })), noClients);
    expect(view.state).toBe('running');
    expect(view.error).toBeNull();
  });

  it('no camera running: idle, and an unreported camera shows idle with its configured size', () => {
    const view = pipelineView(running, configured, reports(report(0, 'idle', { fps: 12 })), noClients);
    expect(view.state).toBe('idle');
    expect(view.cameras.map((c) => [c.state, c.width, c.height, c.fps])).toEqual([
      ['idle', 1280, 720, 0],
      ['idle', 640, 480, 0],
    ]);
  });

  it('every camera failed: failed at stage camera, with the first camera’s error and stderr', () => {
    const view = pipelineView(
      running,
      configured,
      reports(
        report(0, 'failed', { error: 'ffmpeg: /dev/video0: No such file or directory', stderr: ['[video4linux2] cannot open'] }),
        report(1, 'failed', { error: 'second', stderr: ['other'] }),
      ),
      noClients,
    );
    expect(pipelineStateSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      state: 'failed',
      failedStage: 'camera',
      error: 'ffmpeg: /dev/video0: No such file or directory',
      stderr: ['[video4linux2] cannot open'],
    });
    expect(view.cameras[1]).toMatchObject({ state: 'failed', error: 'second', stderr: ['other'] });
  });

  it('no cameras configured: idle, not failed', () => {
    const view = pipelineView(running, [], new Map(), noClients);
    expect([view.state, view.cameras]).toEqual(['idle', []]);
  });
});

describe('describePipeline', () => {
  const now = Date.parse('2030-01-01T00:00:00.000Z');
  it.each<[string, Partial<SupervisorState>, string]>([
    ['starting', { state: 'starting' }, 'The camera pipeline is starting'],
    ['running', { state: 'running' }, 'The camera pipeline is running'],
    ['stopped', { state: 'stopped' }, 'The camera pipeline is stopped'],
    ['restarting, next try in 2.1 s', { state: 'restarting', attempt: 2, nextTryAt: '2030-01-01T00:00:02.100Z' }, 'The camera pipeline is restarting (attempt 2, next try in 3 s)'],
    ['restarting, next try already due', { state: 'restarting', attempt: 5, nextTryAt: '2029-12-31T23:59:59.000Z' }, 'The camera pipeline is restarting (attempt 5, next try in 0 s)'],
    ['restarting, no time known', { state: 'restarting', attempt: 1, nextTryAt: null }, 'The camera pipeline is restarting (attempt 1)'],
    ['failed at spawn', { state: 'failed', failedStage: 'spawn', error: 'spawn ENOENT' }, 'The camera pipeline has failed (spawn: spawn ENOENT)'],
    ['failed, nothing known', { state: 'failed' }, 'The camera pipeline has failed (worker: unknown error)'],
  ])('%s', (_name, state, text) => {
    expect(describePipeline({ ...running, ...state }, now)).toBe(text);
  });
});
