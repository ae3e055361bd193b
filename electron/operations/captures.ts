/**
 * Captures: taking a photo, recording a video, listing and deleting them, for the panel's Live and Captures
 * screens. Photos and videos are taken by the camera service (as /api does) and answered as the listing
 * shows them; the 'captures' event is emitted by the core when the file is complete or deleted.
 */
import { CAMERA_LIMITS, type CaptureEntry, type CaptureKind, type CaptureList, type PipelineState } from '../../shared/domain.js';
import type { ListRequest } from '../captures/capture-store.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { audit, type Actor } from './actor.js';
import { asDomain } from './camera.js';

type Deps = Pick<CamPanelCore, 'camera' | 'captures' | 'logger'>;

/** A photo or raw photo from the camera's next frame. */
export async function takePhoto(deps: Deps, request: { camera: number; kind: Extract<CaptureKind, 'photo' | 'raw'> }, actor: Actor): Promise<CaptureEntry> {
  const { camera, kind } = request;
  const path = await asDomain(() => deps.camera.capture(camera, kind));
  const entry = await deps.captures.entry(deps.captures.idOf(camera, path));
  audit(deps.logger, actor, 'capture.photo', kind === 'raw' ? 'raw photo taken' : 'photo taken', { camera, kind, id: entry.id });
  return entry;
}

/**
 * Starts recording until stopRecording (at most CAMERA_LIMITS.maxDurationSeconds, so a forgotten recording
 * cannot fill the disk forever). raspiCamSrv's record_video keeps its own duration rules on /api.
 */
export async function startRecording(deps: Deps, request: { camera: number }, actor: Actor): Promise<PipelineState> {
  const { camera } = request;
  const path = await asDomain(() => deps.camera.startRecording(camera, CAMERA_LIMITS.maxDurationSeconds));
  audit(deps.logger, actor, 'capture.record', 'recording started', { camera, id: deps.captures.idOf(camera, path) });
  return deps.camera.state();
}

/** Stops recording; answers with the closed video. */
export async function stopRecording(deps: Deps, request: { camera: number }, actor: Actor): Promise<CaptureEntry> {
  const { camera } = request;
  const path = await asDomain(() => deps.camera.stopRecording(camera));
  const entry = await deps.captures.entry(deps.captures.idOf(camera, path));
  audit(deps.logger, actor, 'capture.stop', 'recording stopped', { camera, id: entry.id, durationSeconds: entry.durationSeconds });
  return entry;
}

export function listCaptures(deps: Pick<CamPanelCore, 'captures'>, request: ListRequest): Promise<CaptureList> {
  return deps.captures.list(request);
}

/** Deletes one capture and its cached thumbnail. */
export async function deleteCapture(deps: Pick<CamPanelCore, 'captures' | 'logger'>, id: string, actor: Actor): Promise<{ id: string }> {
  await deps.captures.remove(id);
  audit(deps.logger, actor, 'capture.delete', 'capture deleted', { id });
  return { id };
}
