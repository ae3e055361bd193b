/**
 * Cameras: what is configured (stored in settings), what the pipeline reports (state), and the limits
 * every entry point (panel, CLI, API) checks with the same schemas.
 */
import { z } from 'zod';
import { LIMITS } from './limits.js';

export const CAMERA_LIMITS = { cameras: 4, minSide: 16, maxSide: 4096, maxFps: 120, maxIdleSeconds: 86_400, maxDurationSeconds: 86_400 } as const;

export const cameraBackendSchema = z.enum(['testsrc', 'v4l2', 'rpicam']);
export type CameraBackend = z.infer<typeof cameraBackendSchema>;

const side = (what: string) =>
  z
    .number({ error: `Enter the ${what} in pixels` })
    .int(`The ${what} is a whole number of pixels`)
    .min(CAMERA_LIMITS.minSide, `The ${what} is at least ${CAMERA_LIMITS.minSide} pixels`)
    .max(CAMERA_LIMITS.maxSide, `The ${what} is at most ${CAMERA_LIMITS.maxSide} pixels`)
    // MJPEG with 4:2:0 chroma and H.264 both need even sides.
    .refine((n) => n % 2 === 0, `The ${what} must be an even number of pixels`);

/** "1280x720" → { width, height }; null when the text is not of that form. */
export function parseResolution(text: string): { width: number; height: number } | null {
  const match = /^(\d{1,5})[xX×](\d{1,5})$/.exec(text.trim());
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}

/**
 * Device per backend: v4l2 a /dev/videoN path; rpicam the camera index rpicam-vid lists ("0", "1");
 * testsrc a pattern name ffmpeg's lavfi knows.
 */
export const TESTSRC_PATTERNS = ['testsrc2', 'testsrc', 'smptebars', 'mandelbrot'] as const;

export const cameraConfigSchema = z
  .strictObject({
    backend: cameraBackendSchema,
    device: z.string().max(LIMITS.path, `Device is at most ${LIMITS.path} characters`),
    width: side('width'),
    height: side('height'),
    fps: z
      .number({ error: 'Enter the frame rate' })
      .int('The frame rate is a whole number')
      .min(1, 'The frame rate is at least 1')
      .max(CAMERA_LIMITS.maxFps, `The frame rate is at most ${CAMERA_LIMITS.maxFps}`),
    jpegQuality: z
      .number({ error: 'Enter the JPEG quality' })
      .int('The JPEG quality is a whole number')
      .min(1, 'The JPEG quality is 1 to 100')
      .max(100, 'The JPEG quality is 1 to 100'),
  })
  .superRefine((camera, ctx) => {
    const problem = deviceProblem(camera.backend, camera.device);
    if (problem) ctx.addIssue({ code: 'custom', path: ['device'], message: problem });
  });
export type CameraConfig = z.infer<typeof cameraConfigSchema>;

export function deviceProblem(backend: CameraBackend, device: string): string | null {
  if (backend === 'v4l2' && !/^\/dev\/video\d{1,3}$/.test(device)) return 'A USB camera device is /dev/videoN';
  if (backend === 'rpicam' && !/^\d{1,2}$/.test(device)) return 'A Raspberry Pi camera is its number as rpicam-vid lists it (0, 1, …)';
  if (backend === 'testsrc' && !(TESTSRC_PATTERNS as readonly string[]).includes(device)) {
    return `A test camera's pattern is one of ${TESTSRC_PATTERNS.join(', ')}`;
  }
  return null;
}

export const defaultDevice = (backend: CameraBackend): string =>
  backend === 'v4l2' ? '/dev/video0' : backend === 'rpicam' ? '0' : 'testsrc2';

export const DEFAULT_CAMERA: Omit<CameraConfig, 'backend' | 'device'> = { width: 1280, height: 720, fps: 30, jpegQuality: 80 };

export const photoTypeSchema = z.enum(['jpg', 'png']);
export const rawTypeSchema = z.enum(['dng', 'tiff']);
export const videoTypeSchema = z.enum(['mp4']);

export const cameraSettingsSchema = z.strictObject({
  /** Camera N is cameras[N]. Empty until the first start picks a detected camera (or the test source). */
  cameras: z.array(cameraConfigSchema).max(CAMERA_LIMITS.cameras, `At most ${CAMERA_LIMITS.cameras} cameras`),
  /** raspiCamSrv's "active camera": /video_feed and take_photo; the second camera is the next one configured. */
  activeCamera: z
    .number({ error: 'Choose the active camera' })
    .int('The active camera is a camera number')
    .min(0, 'The active camera is a camera number')
    .max(CAMERA_LIMITS.cameras - 1, `The active camera is 0 to ${CAMERA_LIMITS.cameras - 1}`),
  photoType: photoTypeSchema,
  /** dng where the backend has sensor data (rpicam); lossless tiff otherwise. */
  rawType: rawTypeSchema,
  videoType: videoTypeSchema,
  /** '' = <data dir>/photos. */
  photoDir: z.string().max(LIMITS.path, `Path is at most ${LIMITS.path} characters`),
  /** Seconds without any consumer before a camera source stops; 0 = always on. */
  idleTimeoutSeconds: z
    .number({ error: 'Enter the idle timeout in seconds (0 = always on)' })
    .int('The idle timeout is a whole number of seconds')
    .min(0, 'The idle timeout is 0 (always on) or more seconds')
    .max(CAMERA_LIMITS.maxIdleSeconds, `The idle timeout is at most ${CAMERA_LIMITS.maxIdleSeconds} seconds (a day)`),
  requireAuthForStreaming: z.boolean(),
});
export type CameraSettings = z.infer<typeof cameraSettingsSchema>;

export const DEFAULT_CAMERA_SETTINGS: CameraSettings = {
  cameras: [],
  activeCamera: 0,
  photoType: 'jpg',
  rawType: 'tiff',
  videoType: 'mp4',
  photoDir: '',
  idleTimeoutSeconds: 10,
  requireAuthForStreaming: true,
};

/** One camera as the pipeline reports it. */
export const cameraStateSchema = z.strictObject({
  num: z.number().int(),
  backend: cameraBackendSchema,
  device: z.string(),
  state: z.enum(['starting', 'running', 'idle', 'failed']),
  width: z.number().int(),
  height: z.number().int(),
  /** Frames per second measured over the last seconds; 0 when not running. */
  fps: z.number(),
  /** Open stream connections on this camera. */
  clients: z.number().int(),
  recording: z.boolean(),
  /** When the running recording started (ISO), for the panel's elapsed timer; null when not recording. */
  recordingStartedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Last lines the camera's source process wrote to stderr when it failed. */
  stderr: z.array(z.string()),
});
export type CameraState = z.infer<typeof cameraStateSchema>;

/** The pipeline as a whole: the worker process and its cameras. */
export const pipelineStateSchema = z.strictObject({
  state: z.enum(['starting', 'running', 'idle', 'restarting', 'failed', 'stopped']),
  /** restarting: which attempt comes next and when (ISO time). */
  attempt: z.number().int(),
  nextTryAt: z.string().nullable(),
  /** failed: the stage that failed and the last stderr lines of the worker. */
  failedStage: z.enum(['spawn', 'handshake', 'camera']).nullable(),
  error: z.string().nullable(),
  stderr: z.array(z.string()),
  /** raspiCamSrv's active camera (/video_feed, take_photo); the panel's main preview. */
  activeCamera: z.number().int().min(0),
  cameras: z.array(cameraStateSchema),
});
export type PipelineState = z.infer<typeof pipelineStateSchema>;

/** What applying camera settings did: the stored settings and which cameras had to restart. */
export const appliedCameraSettingsSchema = z.strictObject({
  settings: cameraSettingsSchema,
  /** Camera numbers whose source restarted because their own settings changed. */
  restarted: z.array(z.number().int()),
  /** Options that changed without restarting anything (types, photo directory, idle timeout, …). */
  changedOptions: z.array(z.string()),
});
export type AppliedCameraSettings = z.infer<typeof appliedCameraSettingsSchema>;

export const detectedCameraSchema = z.strictObject({
  backend: cameraBackendSchema,
  device: z.string(),
  model: z.string(),
});
export type DetectedCameraView = z.infer<typeof detectedCameraSchema>;
