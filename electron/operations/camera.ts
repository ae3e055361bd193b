/**
 * Cameras and their settings: `campanel camera …`, the panel's Camera tab (next), and the pipeline's
 * restart. Settings are validated with the shared schemas here, whatever the entry point; a running
 * pipeline picks the change up at once and restarts only the cameras whose settings changed.
 */
import {
  CAMERA_LIMITS,
  cameraConfigSchema,
  cameraSettingsSchema,
  type CameraConfig,
  type CameraSettings,
  type PipelineState,
} from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError, refusal } from '../core/errors.js';
import { CameraError } from '../pipeline/camera-errors.js';
import { checkWritableDir, photoRoot } from '../pipeline/capture-files.js';
import { detectCameras, type DetectedCamera } from '../pipeline/detection.js';
import { audit, type Actor } from './actor.js';

type Deps = Pick<CamPanelCore, 'settings' | 'logger' | 'camera' | 'dataDir'>;

function parseCamera(candidate: unknown): CameraConfig {
  const parsed = cameraConfigSchema.safeParse(candidate);
  if (!parsed.success) throw refusal('invalid', parsed.error);
  return parsed.data;
}

function store(deps: Deps, next: CameraSettings): CameraSettings {
  const parsed = cameraSettingsSchema.safeParse(next);
  if (!parsed.success) throw refusal('invalid', parsed.error);
  return deps.settings.setCamera(parsed.data).camera;
}

function requireCamera(settings: CameraSettings, num: number): CameraConfig {
  const camera = settings.cameras[num];
  if (!camera) throw new DomainError('not_found', `Camera ${num} is not configured (there ${settings.cameras.length === 1 ? 'is 1 camera' : `are ${settings.cameras.length} cameras`})`);
  return camera;
}

export function cameraSettings(deps: Pick<CamPanelCore, 'settings'>): CameraSettings {
  return deps.settings.get().camera;
}

export async function listDetected(deps: Pick<CamPanelCore, 'tools'>): Promise<DetectedCamera[]> {
  return detectCameras(deps.tools);
}

export function addCamera(deps: Deps, input: unknown, actor: Actor): { num: number; camera: CameraConfig } {
  const current = cameraSettings(deps);
  if (current.cameras.length >= CAMERA_LIMITS.cameras) throw new DomainError('invalid', `At most ${CAMERA_LIMITS.cameras} cameras can be configured`);
  const camera = parseCamera(input);
  const stored = store(deps, { ...current, cameras: [...current.cameras, camera] });
  const num = stored.cameras.length - 1;
  audit(deps.logger, actor, 'camera.add', 'camera added', { camera: num, ...camera });
  return { num, camera };
}

export function setCamera(deps: Deps, num: number, patch: Partial<CameraConfig>, actor: Actor): CameraConfig {
  const current = cameraSettings(deps);
  const camera = parseCamera({ ...requireCamera(current, num), ...patch });
  const cameras = current.cameras.map((each, index) => (index === num ? camera : each));
  store(deps, { ...current, cameras });
  audit(deps.logger, actor, 'camera.set', 'camera changed', { camera: num, ...patch });
  return camera;
}

/** Cameras after `num` move down one number (their photo folders camera_<n> stay where they are). */
export function removeCamera(deps: Deps, num: number, actor: Actor): CameraSettings {
  const current = cameraSettings(deps);
  requireCamera(current, num);
  if (deps.camera.isRecording(num)) throw new DomainError('conflict', `Camera ${num} is recording: stop the recording first`);
  const cameras = current.cameras.filter((_each, index) => index !== num);
  const activeCamera = current.activeCamera > num ? current.activeCamera - 1 : current.activeCamera >= cameras.length ? 0 : current.activeCamera;
  const stored = store(deps, { ...current, cameras, activeCamera });
  audit(deps.logger, actor, 'camera.remove', 'camera removed', { camera: num });
  return stored;
}

export type CameraOptions = Partial<Omit<CameraSettings, 'cameras'>>;

/** Photo/raw/video types, photo directory, idle timeout, streaming authentication, active camera. */
export async function setCameraOptions(deps: Deps, options: CameraOptions, actor: Actor): Promise<CameraSettings> {
  const current = cameraSettings(deps);
  const next = { ...current, ...options };
  if (options.photoDir !== undefined) {
    try {
      await checkWritableDir(photoRoot(deps.dataDir, options.photoDir));
    } catch (error) {
      if (error instanceof CameraError) throw new DomainError('invalid', error.message, { photoDir: error.message });
      throw error;
    }
  }
  if (next.activeCamera >= Math.max(1, next.cameras.length)) throw new DomainError('invalid', `Camera ${next.activeCamera} is not configured`);
  const stored = store(deps, next);
  audit(deps.logger, actor, 'camera.options', 'camera options changed', { ...options });
  return stored;
}

export function cameraStatus(deps: Pick<CamPanelCore, 'camera'>): PipelineState {
  return deps.camera.state();
}

export async function restartPipeline(deps: Pick<CamPanelCore, 'camera' | 'logger'>, actor: Actor): Promise<PipelineState> {
  const state = await deps.camera.restartPipeline();
  audit(deps.logger, actor, 'camera.restart', 'camera pipeline restarted');
  return state;
}
