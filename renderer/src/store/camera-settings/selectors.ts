/** The Camera tab's words: labels, what Apply did, what a refusal was about. Pure, unit-tested. */
import type { PanelErrorBody } from '../../../../shared/contract';
import type { AppliedCameraSettings, CameraBackend } from '../../../../shared/domain';
import { formErrorText, type FieldErrors } from '../../forms/field-errors';
import { resolutionText, type CameraDraft, type SettingsDraft } from './draft';

export const BACKEND_LABELS: Record<CameraBackend, string> = {
  testsrc: 'Test pattern',
  v4l2: 'USB camera (V4L2)',
  rpicam: 'Raspberry Pi camera',
};

/** Visible labels of the fields, as the tab shows them (also used to name a refused field in words). */
export const CAMERA_FIELD_LABELS: Record<keyof CameraDraft, string> = {
  backend: 'Backend',
  device: 'Device',
  width: 'Width',
  height: 'Height',
  fps: 'Frame rate',
  jpegQuality: 'JPEG quality',
};

export const OPTION_LABELS: Record<Exclude<keyof SettingsDraft, 'cameras'>, string> = {
  activeCamera: 'Active camera',
  photoType: 'Photo type',
  rawType: 'Raw type',
  videoType: 'Video type',
  photoDir: 'Photo directory',
  idleTimeoutSeconds: 'Idle timeout',
  requireAuthForStreaming: 'Require authentication for streaming',
};

/** "Test pattern testsrc2 · 1280×720 @ 30 fps": a collapsed camera card's line. */
export const cameraSummary = (camera: CameraDraft): string =>
  `${BACKEND_LABELS[camera.backend]} ${camera.device} · ${resolutionText(camera.width, camera.height)} @ ${camera.fps} fps`;

/** Every field key the tab shows a message beside, for this draft. */
export function placedFieldKeys(draft: SettingsDraft): string[] {
  // "cameras.N" is a refusal about the camera as a whole (e.g. it is recording), shown on its card.
  const cameraKeys = draft.cameras.flatMap((_, num) => [`cameras.${num}`, ...Object.keys(CAMERA_FIELD_LABELS).map((key) => `cameras.${num}.${key}`)]);
  return ['cameras', ...cameraKeys, ...Object.keys(OPTION_LABELS)];
}

/** "Camera 0 · Width" for "cameras.0.width"; the key itself when the tab has no such field. */
export function fieldName(key: string): string {
  const camera = /^cameras\.(\d+)\.(\w+)$/.exec(key);
  if (camera) {
    const label = CAMERA_FIELD_LABELS[camera[2] as keyof CameraDraft] ?? camera[2];
    return `Camera ${camera[1]} · ${label}`;
  }
  const whole = /^cameras\.(\d+)$/.exec(key);
  if (whole) return `Camera ${whole[1]}`;
  if (key === 'cameras') return 'Cameras';
  // The main process keys a refusal of the whole object "_"; zod's own path for it is empty.
  if (key === '' || key === '_') return 'Camera settings';
  return OPTION_LABELS[key as keyof typeof OPTION_LABELS] ?? key;
}

/**
 * The message of a refused Apply. Messages shown beside a field are not repeated; a field the tab does
 * not show (a key the main process named that no field here has) is named in words, so nothing is lost.
 */
export function applyErrorText(error: PanelErrorBody, draft: SettingsDraft | null): string {
  const fields: FieldErrors = error.fields ?? {};
  const placed = new Set(draft ? placedFieldKeys(draft) : []);
  const unplaced = Object.entries(fields).filter(([key]) => !placed.has(key));
  const head = formErrorText({ ...error, fields: Object.fromEntries(Object.entries(fields).filter(([key]) => placed.has(key))) });
  if (unplaced.length === 0) return head;
  return [head, ...unplaced.map(([key, message]) => `${fieldName(key)}: ${message}`)].join(' ');
}

/** Words for the options the main process reports as changed; unknown names pass through as sent. */
const CHANGED_OPTION_WORDS: Record<string, string> = {
  activeCamera: 'active camera',
  photoType: 'photo type',
  rawType: 'raw type',
  videoType: 'video type',
  photoDir: 'photo directory',
  idleTimeoutSeconds: 'idle timeout',
  requireAuthForStreaming: 'authentication for streaming',
  cameras: 'cameras',
};

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const camerasPhrase = (nums: readonly number[]): string =>
  nums.length === 1 ? `Camera ${nums[0]}` : `Cameras ${joinWords(nums.map(String))}`;

/**
 * What Apply did, in words: "Camera 0 restarted with 640×480 @ 15 fps. Camera 1 kept running.",
 * "Saved. Nothing had to restart.", and the options that changed without a restart. `previousCount`
 * (cameras configured before) names the numbers that no longer exist after a removal.
 */
export function appliedMessage(applied: AppliedCameraSettings, previousCount = applied.settings.cameras.length): string {
  const { settings, restarted, changedOptions } = applied;
  const options = changedOptions.map((o) => CHANGED_OPTION_WORDS[o] ?? o);
  const sentences: string[] = [];
  const restartedNow = [...new Set(restarted)].sort((a, b) => a - b);
  for (const num of restartedNow) {
    const camera = settings.cameras[num];
    sentences.push(
      camera
        ? `Camera ${num} restarted with ${resolutionText(camera.width, camera.height)} @ ${camera.fps} fps.`
        : `Camera ${num} was removed and stopped.`,
    );
  }
  const gone: number[] = [];
  for (let num = settings.cameras.length; num < previousCount; num += 1) if (!restartedNow.includes(num)) gone.push(num);
  if (gone.length > 0) sentences.push(`${camerasPhrase(gone)} ${gone.length === 1 ? 'was' : 'were'} removed and stopped.`);
  if (restartedNow.length === 0) {
    sentences.unshift(options.length > 0 ? `Saved: ${joinWords(options)} changed.` : 'Saved.');
    sentences.push(gone.length > 0 ? 'Nothing else had to restart.' : 'Nothing had to restart.');
    return sentences.join(' ');
  }
  const kept = settings.cameras.map((_, num) => num).filter((num) => !restartedNow.includes(num));
  if (kept.length > 0) sentences.push(`${camerasPhrase(kept)} kept running.`);
  if (options.length > 0) sentences.push(`Also changed: ${joinWords(options)}.`);
  return sentences.join(' ');
}

/** What a detected camera is already configured as, or null. */
export function configuredAs(draft: SettingsDraft | null, backend: CameraBackend, device: string): number | null {
  const num = draft?.cameras.findIndex((c) => c.backend === backend && c.device.trim() === device) ?? -1;
  return num >= 0 ? num : null;
}
