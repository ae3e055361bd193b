/**
 * GET /api/info (raspiCamSrv's fields, plus CamPanel's "pipeline" with fps and clients per camera) and
 * GET /api/probe, which answers only from an allowlist of status properties: raspiCamSrv evaluates any
 * dotted path a client sends; CamPanel never evaluates anything (docs/compatibility.md §4).
 */
import { z } from 'zod';
import type { CameraState, PipelineState } from '../../../shared/domain.js';
import type { CameraService } from '../../pipeline/camera-service.js';
import type { ApiDeps } from '../api-deps.js';
import { readJsonBody } from '../json-body.js';
import { ApiHttpError } from './errors.js';
import { sendJson, type JsonValue } from './flask-json.js';
import { guarded } from './guard.js';
import type { ApiRoute } from './routes.js';

const RASPICAMSRV_VERSION = 'V4.10.0';

const model = (camera: CameraState): string => (camera.backend === 'v4l2' ? `USB ${camera.device}` : camera.backend === 'rpicam' ? `rpicam ${camera.device}` : camera.device);

/** raspiCamSrv's status words for a camera. */
function statusText(camera: CameraState, active: boolean): string {
  if (camera.state === 'failed') return 'closed';
  const started = camera.state === 'running' || camera.state === 'starting';
  if (camera.backend === 'v4l2') return 'open';
  if (active && camera.backend === 'rpicam') return started ? 'open - started - current Sensor Mode: unknown' : 'open - stopped';
  return started ? 'open - started' : 'open - stopped';
}

interface Status {
  pipeline: PipelineState;
  active: number | null;
  second: number | null;
  recording: (camera: number) => boolean;
}

function status(camera: CameraService | undefined): Status {
  if (!camera) return { pipeline: emptyPipeline(), active: null, second: null, recording: () => false };
  const pipeline = camera.state();
  const active = pipeline.cameras.length > 0 ? camera.activeCamera() : null;
  return { pipeline, active, second: camera.secondCamera(), recording: (n) => camera.isRecording(n) };
}

const emptyPipeline = (): PipelineState => ({ state: 'stopped', attempt: 0, nextTryAt: null, failedStage: null, error: null, stderr: [], activeCamera: 0, cameras: [] });

const streaming = (pipeline: PipelineState, camera: number | null): boolean =>
  camera !== null && (pipeline.cameras[camera]?.clients ?? 0) > 0 && pipeline.cameras[camera]?.state === 'running';

function infoMessage(deps: ApiDeps, host: string, now: Status): JsonValue {
  const { pipeline, active, second } = now;
  const activeCamera = active === null ? null : pipeline.cameras[active];
  const operation: Record<string, JsonValue> = {
    livestream_active: streaming(pipeline, active),
    photoseries_recording: false,
    motion_capturing: false,
    event_handling: false,
    video_recording: active !== null && now.recording(active),
    audio_recording: false,
    video_recording2: second !== null && now.recording(second),
  };
  if (pipeline.cameras.length > 1) operation.livestream2_active = streaming(pipeline, second);
  return {
    version: `raspiCamSrv ${RASPICAMSRV_VERSION} (${deps.version ?? 'CamPanel'})`,
    server: host,
    active_camera: activeCamera ? `Camera ${activeCamera.num} (${model(activeCamera)})` : 'none',
    cameras: pipeline.cameras.map((camera) => ({
      num: camera.num,
      model: model(camera),
      is_usb: camera.backend === 'v4l2',
      active: camera.num === active,
      status: camera.num === active || camera.num === second ? statusText(camera, camera.num === active) : 'inactive',
    })),
    operation_status: operation,
    pipeline: {
      state: pipeline.state,
      attempt: pipeline.attempt,
      next_try_at: pipeline.nextTryAt,
      failed_stage: pipeline.failedStage,
      error: pipeline.error,
      cameras: pipeline.cameras.map((camera) => ({
        num: camera.num,
        backend: camera.backend,
        state: camera.state,
        resolution: `${camera.width}x${camera.height}`,
        fps: camera.fps,
        clients: camera.clients,
        recording: camera.recording,
        error: camera.error,
      })),
    },
  };
}

/** The status properties /api/probe answers, by the names raspiCamSrv's clients use. */
const PROBES: Record<string, (now: Status) => JsonValue> = {
  'CameraCfg().serverConfig.error': (now) => now.pipeline.error,
  'CameraCfg().serverConfig.activeCamera': (now) => now.active,
  'CameraCfg().serverConfig.isLiveStream': (now) => streaming(now.pipeline, now.active),
  'CameraCfg().serverConfig.isLiveStream2': (now) => (now.pipeline.cameras.length > 1 ? streaming(now.pipeline, now.second) : null),
  'CameraCfg().serverConfig.isVideoRecording': (now) => now.active !== null && now.recording(now.active),
  'CameraCfg().serverConfig.isVideoRecording2': (now) => now.second !== null && now.recording(now.second),
  'CameraCfg().serverConfig.isAudioRecording': () => false,
  'CameraCfg().serverConfig.isPhotoSeriesRecording': () => false,
  'CameraCfg().serverConfig.isTriggerRecording': () => false,
  'CameraCfg().serverConfig.isEventhandling': () => false,
  'CameraCfg().serverConfig.useAPI': () => true,
  'CameraCfg().serverConfig.API_active': () => true,
  'Camera().threadLock.locked()': () => false,
  'CamPanel.pipeline.state': (now) => now.pipeline.state,
  'CamPanel.pipeline.cameras': (now) => now.pipeline.cameras.map((camera) => ({ num: camera.num, state: camera.state, fps: camera.fps, clients: camera.clients })),
};
export const PROBE_PROPERTIES = Object.keys(PROBES);

const probeBody = z.looseObject({ properties: z.unknown() });

export function infoRoutes(deps: ApiDeps): ApiRoute[] {
  const info = guarded(deps, 'access', (_caller, request, reply) => {
    sendJson(reply, 200, { message: infoMessage(deps, request.headers.host ?? '', status(deps.camera)) });
  });

  const probe = guarded(deps, 'access', async (_caller, request, reply) => {
    const body = probeBody.safeParse(await readJsonBody(request));
    if (!body.success || body.data.properties === undefined) throw new ApiHttpError(400, 'No properties provided');
    const properties = body.data.properties;
    if (!Array.isArray(properties) || properties.length === 0) throw new ApiHttpError(400, 'properties must not be empty');
    const now = status(deps.camera);
    const results = properties.map((item: unknown): JsonValue => {
      const name = typeof item === 'object' && item !== null && 'property' in item ? item.property : undefined;
      if (typeof name !== 'string') return { property: 'ERROR:each entry needs a "property" string' };
      const read = Object.prototype.hasOwnProperty.call(PROBES, name) ? PROBES[name] : undefined;
      return read ? { [name]: read(now) } : { property: "ERROR:not a status property CamPanel answers (see docs/compatibility.md §4)" };
    });
    sendJson(reply, 200, { results });
  });

  return [
    { method: 'GET', url: '/api/info', handler: info },
    { method: 'GET', url: '/api/probe', handler: probe },
  ];
}
