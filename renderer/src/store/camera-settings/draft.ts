/**
 * The Camera tab's form: the stored camera settings as the user edits them (numbers as typed text, so
 * that "" or "12.5" can be refused beside the field), and back through the shared schema.
 */
import {
  CAMERA_LIMITS,
  DEFAULT_CAMERA,
  cameraSettingsSchema,
  defaultDevice,
  deviceProblem,
  type CameraBackend,
  type CameraSettings,
  type DetectedCameraView,
} from '../../../../shared/domain';
import type { FieldErrors } from '../../forms/field-errors';

export interface CameraDraft {
  backend: CameraBackend;
  device: string;
  width: string;
  height: string;
  fps: string;
  jpegQuality: string;
}

export interface SettingsDraft {
  cameras: CameraDraft[];
  activeCamera: number;
  photoType: CameraSettings['photoType'];
  rawType: CameraSettings['rawType'];
  videoType: CameraSettings['videoType'];
  photoDir: string;
  idleTimeoutSeconds: string;
  requireAuthForStreaming: boolean;
}

export const IDLE_TIMEOUT_MESSAGE = `Enter whole seconds from 0 to ${CAMERA_LIMITS.maxIdleSeconds} (0 = always on)`;

/** The options outside the cameras list, in form order. */
export type OptionKey = Exclude<keyof SettingsDraft, 'cameras'>;

export const RESOLUTION_PRESETS = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

export const resolutionText = (width: number | string, height: number | string): string => `${width}×${height}`;

/** "1280x720" for a preset the camera's width and height match; 'custom' otherwise. */
export function presetOf(camera: Pick<CameraDraft, 'width' | 'height'>): string {
  const preset = RESOLUTION_PRESETS.find((p) => String(p.width) === camera.width.trim() && String(p.height) === camera.height.trim());
  return preset ? `${preset.width}x${preset.height}` : 'custom';
}

const cameraDraftOf = (camera: CameraSettings['cameras'][number]): CameraDraft => ({
  backend: camera.backend,
  device: camera.device,
  width: String(camera.width),
  height: String(camera.height),
  fps: String(camera.fps),
  jpegQuality: String(camera.jpegQuality),
});

export function toDraft(settings: CameraSettings): SettingsDraft {
  return {
    cameras: settings.cameras.map(cameraDraftOf),
    activeCamera: settings.activeCamera,
    photoType: settings.photoType,
    rawType: settings.rawType,
    videoType: settings.videoType,
    photoDir: settings.photoDir,
    idleTimeoutSeconds: String(settings.idleTimeoutSeconds),
    requireAuthForStreaming: settings.requireAuthForStreaming,
  };
}

/** Two drafts hold the same values (the key order of both is toDraft's). */
export const sameDraft = (a: SettingsDraft, b: SettingsDraft): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A blank or non-numeric field is "not a number", never 0, so the schema names it. */
export function numberOf(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * The first message per field, keyed by its path as the main process keys its refusals
 * ("cameras.0.width", "photoDir"); zod 4 issues carry the path as an array.
 */
export function fieldErrorsByPath(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

export type DraftCheck = { ok: true; settings: CameraSettings } | { ok: false; fields: FieldErrors };

/** The draft as the contract's CameraSettings, or the messages per field. */
export function checkDraft(draft: SettingsDraft): DraftCheck {
  const parsed = cameraSettingsSchema.safeParse({
    cameras: draft.cameras.map((c) => ({
      backend: c.backend,
      device: c.device.trim(),
      width: numberOf(c.width),
      height: numberOf(c.height),
      fps: numberOf(c.fps),
      jpegQuality: numberOf(c.jpegQuality),
    })),
    activeCamera: draft.activeCamera,
    photoType: draft.photoType,
    rawType: draft.rawType,
    videoType: draft.videoType,
    photoDir: draft.photoDir.trim(),
    idleTimeoutSeconds: numberOf(draft.idleTimeoutSeconds),
    requireAuthForStreaming: draft.requireAuthForStreaming,
  });
  const fields = parsed.success ? {} : fieldErrorsByPath(parsed.error.issues);
  // zod runs the schema's device check only once every other field of that camera parses; asking here
  // shows a wrong device at the same time as the other mistakes.
  draft.cameras.forEach((c, num) => {
    const problem = deviceProblem(c.backend, c.device.trim());
    const key = `cameras.${num}.device`;
    if (problem && !fields[key]) fields[key] = problem;
  });
  // The shared schema has no words of its own for the idle timeout (zod's default text is technical).
  if (fields.idleTimeoutSeconds) fields.idleTimeoutSeconds = IDLE_TIMEOUT_MESSAGE;
  // The schema allows any camera number; an active camera that is not configured is caught here too.
  if (draft.cameras.length > 0 && draft.activeCamera >= draft.cameras.length && !fields.activeCamera) {
    fields.activeCamera = `Choose one of the ${draft.cameras.length} configured cameras`;
  }
  if (parsed.success && Object.keys(fields).length === 0) return { ok: true, settings: parsed.data };
  return { ok: false, fields };
}

/** A new camera: a detected one, or the test pattern; the common defaults for the rest. */
export function newCamera(from?: DetectedCameraView): CameraDraft {
  const backend = from?.backend ?? 'testsrc';
  return cameraDraftOf({ backend, device: from?.device ?? defaultDevice(backend), ...DEFAULT_CAMERA });
}

export const canAddCamera = (draft: SettingsDraft): boolean => draft.cameras.length < CAMERA_LIMITS.cameras;

/**
 * Without Camera N: later cameras move up one number, and the active camera stays the same camera
 * (or becomes Camera 0 when it was the one removed).
 */
export function withoutCamera(draft: SettingsDraft, num: number): SettingsDraft {
  if (num < 0 || num >= draft.cameras.length) return draft;
  const cameras = draft.cameras.filter((_, i) => i !== num);
  const active = draft.activeCamera === num ? 0 : draft.activeCamera > num ? draft.activeCamera - 1 : draft.activeCamera;
  return { ...draft, cameras, activeCamera: Math.min(active, Math.max(cameras.length - 1, 0)) };
}

/** A backend change brings a device that backend understands: the first detected one, else its default. */
export function deviceForBackend(backend: CameraBackend, detected: readonly DetectedCameraView[] | null): string {
  return detected?.find((d) => d.backend === backend)?.device ?? defaultDevice(backend);
}

/** Field errors under "cameras.N." move with their camera when one before it is removed. */
export function errorsWithoutCamera(fields: FieldErrors, num: number): FieldErrors {
  const next: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    const match = /^cameras\.(\d+)(\..*)?$/.exec(key);
    if (!match) {
      next[key] = message;
      continue;
    }
    const index = Number(match[1]);
    if (index === num) continue;
    next[`cameras.${index > num ? index - 1 : index}${match[2] ?? ''}`] = message;
  }
  return next;
}
