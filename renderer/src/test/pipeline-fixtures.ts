/** Pipeline and camera states for renderer tests: a running 640×480 test camera unless a test says otherwise. */
import type { CameraState, PipelineState } from '../../../shared/domain';

export const cameraState = (num: number, over: Partial<CameraState> = {}): CameraState => ({
  num,
  backend: 'testsrc',
  device: 'testsrc2',
  state: 'running',
  width: 640,
  height: 480,
  fps: 15,
  clients: 1,
  recording: false,
  recordingStartedAt: null,
  error: null,
  stderr: [],
  ...over,
});

export const pipelineState = (over: Partial<PipelineState> = {}): PipelineState => ({
  state: 'running',
  attempt: 0,
  nextTryAt: null,
  failedStage: null,
  error: null,
  stderr: [],
  activeCamera: 0,
  cameras: [cameraState(0)],
  ...over,
});
