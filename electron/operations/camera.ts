/**
 * Cameras and their settings: `campanel camera …`, the panel's Camera tab, switching, and the pipeline's
 * restart. Settings are validated with the shared schemas here, whatever the entry point; a running
 * pipeline picks the change up at once and restarts only the cameras whose settings changed.
 */
import type { ErrorCode } from '../../shared/contract.js';
import {
  CAMERA_LIMITS,
  cameraConfigSchema,
  cameraSettingsSchema,
  type AppliedCameraSettings,
  type CameraConfig,
  type CameraSettings,
  type PipelineState,
} from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError, fieldErrors, refusal } from '../core/errors.js';
import { CameraError, type CameraErrorKind } from '../pipeline/camera-errors.js';
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

/** The camera service's refusals as the panel's error codes, with their words (never a stack). */
const CODE_OF: Record<CameraErrorKind, ErrorCode> = {
  unavailable: 'conflict', // the pipeline is starting, restarting or failed: try again later
  notConfigured: 'not_found',
  invalid: 'invalid',
  state: 'conflict', // already recording, nothing recording, no other camera
  failed: 'internal', // the camera or its tools failed while doing it; the message says how
  storage: 'conflict', // the photo directory cannot be written
};

/** Runs a camera service call; a CameraError becomes a DomainError with the same words. */
export async function asDomain<T>(act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof CameraError) throw new DomainError(CODE_OF[error.kind], error.message);
    throw error;
  }
}

/** raspiCamSrv's switch_cameras: the second camera becomes the active one. */
export async function switchCamera(deps: Pick<CamPanelCore, 'camera' | 'logger'>, actor: Actor): Promise<PipelineState> {
  await asDomain(() => deps.camera.switchCameras());
  const state = deps.camera.state();
  audit(deps.logger, actor, 'camera.switch', 'cameras switched', { activeCamera: state.activeCamera });
  return state;
}

/** Settings that are not per camera, by name, for "what changed". */
const OPTION_KEYS = ['activeCamera', 'photoType', 'rawType', 'videoType', 'photoDir', 'idleTimeoutSeconds', 'requireAuthForStreaming'] as const;

const sameCamera = (a: CameraConfig | undefined, b: CameraConfig | undefined): boolean =>
  a !== undefined && b !== undefined && a.backend === b.backend && a.device === b.device && a.width === b.width && a.height === b.height && a.fps === b.fps && a.jpegQuality === b.jpegQuality;

/**
 * The Camera tab's Apply: the whole camera settings, checked again here (the main process refuses what a
 * renderer let through), stored at once. Cameras whose own settings changed (or that were added) restart;
 * the others keep running. A camera that is recording can be neither changed nor removed.
 */
export async function applyCameraSettings(deps: Deps, input: unknown, actor: Actor): Promise<AppliedCameraSettings> {
  const parsed = cameraSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    throw new DomainError('invalid', Object.values(fields)[0] ?? 'Invalid camera settings', fields);
  }
  const next = parsed.data;
  const current = cameraSettings(deps);
  if (next.activeCamera >= Math.max(1, next.cameras.length)) {
    const text = `Camera ${next.activeCamera} is not configured`;
    throw new DomainError('invalid', text, { activeCamera: text });
  }
  const count = Math.max(current.cameras.length, next.cameras.length);
  for (let num = 0; num < count; num += 1) {
    if (sameCamera(current.cameras[num], next.cameras[num]) || !deps.camera.isRecording(num)) continue;
    const text = `Camera ${num} is recording: stop the recording before changing or removing it`;
    throw new DomainError('conflict', text, { [`cameras.${num}`]: text });
  }
  if (next.photoDir !== current.photoDir) {
    try {
      await checkWritableDir(photoRoot(deps.dataDir, next.photoDir));
    } catch (error) {
      if (error instanceof CameraError) throw new DomainError('invalid', error.message, { photoDir: error.message });
      throw error;
    }
  }
  const settings = store(deps, next);
  const restarted = settings.cameras.flatMap((camera, num) => (sameCamera(current.cameras[num], camera) ? [] : [num]));
  const changedOptions = OPTION_KEYS.filter((key) => current[key] !== settings[key]);
  audit(deps.logger, actor, 'camera.apply', 'camera settings applied', { cameras: settings.cameras.length, restarted, changedOptions });
  return { settings, restarted, changedOptions };
}
