/**
 * The pipeline as the panel, /api/info and `campanel camera status` show it: the supervisor's state plus
 * each configured camera as the worker last reported it, with its stream clients.
 */
import type { CameraConfig, CameraState, PipelineState } from '../../shared/domain.js';
import type { WorkerCameraState } from './protocol.js';
import type { SupervisorState } from './supervisor.js';

export function pipelineView(
  supervisor: SupervisorState,
  configured: readonly CameraConfig[],
  reported: ReadonlyMap<number, WorkerCameraState>,
  clients: (camera: number) => number,
  activeCamera = 0,
  recordingSince: (camera: number) => string | null = () => null,
): PipelineState {
  const workerUp = supervisor.state === 'running';
  const cameras: CameraState[] = configured.map((config, num) => {
    const report = workerUp ? reported.get(num) : undefined;
    // This side knows a recording has started before the worker's next report says so.
    const since = workerUp ? recordingSince(num) : null;
    return {
      num,
      backend: config.backend,
      device: config.device,
      state: report?.state ?? (workerUp ? 'idle' : 'starting'),
      width: report && report.width > 0 ? report.width : config.width,
      height: report && report.height > 0 ? report.height : config.height,
      fps: report?.state === 'running' ? Math.round(report.fps * 10) / 10 : 0,
      clients: clients(num),
      recording: (report?.recording ?? false) || since !== null,
      recordingStartedAt: since,
      error: report?.error ?? null,
      stderr: report?.stderr ?? [],
    };
  });
  if (!workerUp) return { ...supervisor, activeCamera, cameras };

  const failed = cameras.filter((camera) => camera.state === 'failed');
  if (cameras.length > 0 && failed.length === cameras.length) {
    const first = failed[0];
    return { ...supervisor, state: 'failed', failedStage: 'camera', error: first?.error ?? null, stderr: first?.stderr ?? [], activeCamera, cameras };
  }
  const anyRunning = cameras.some((camera) => camera.state === 'running' || camera.state === 'starting');
  return { ...supervisor, state: anyRunning ? 'running' : 'idle', activeCamera, cameras };
}

/** One line in words, for errors that name the state ("the camera pipeline is restarting (attempt 2, next try in 1 s)"). */
export function describePipeline(state: SupervisorState, now = Date.now()): string {
  switch (state.state) {
    case 'starting':
      return 'The camera pipeline is starting';
    case 'restarting': {
      const next = state.nextTryAt ? Math.max(0, Math.ceil((Date.parse(state.nextTryAt) - now) / 1000)) : null;
      return `The camera pipeline is restarting (attempt ${state.attempt}${next === null ? '' : `, next try in ${next} s`})`;
    }
    case 'failed':
      return `The camera pipeline has failed (${state.failedStage ?? 'worker'}: ${state.error ?? 'unknown error'})`;
    case 'stopped':
      return 'The camera pipeline is stopped';
    default:
      return 'The camera pipeline is running';
  }
}
