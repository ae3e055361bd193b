/**
 * raspiCamSrv's camera endpoints (docs/compatibility.md §4): photos, raw photos, videos and switching, for
 * the active camera, the second camera and both. GET with the access token, as raspiCamSrv's clients send them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CAMERA_LIMITS } from '../../../shared/domain.js';
import { CameraError } from '../../pipeline/camera-errors.js';
import type { CameraService } from '../../pipeline/camera-service.js';
import { captureStem } from '../../pipeline/capture-files.js';
import type { ApiDeps } from '../api-deps.js';
import { readOptionalJsonBody } from '../json-body.js';
import { CAMERA_TEXTS, cameraOf, errorStatus, errorText, secondOf, sendCameraError, sendMessage, type ErrorSource } from './camera-answers.js';
import { guarded } from './guard.js';
import type { ApiRoute } from './routes.js';

type Which = 'active' | 'second';
const pick = (camera: CameraService, which: Which): number => (which === 'active' ? camera.activeCamera() : secondOf(camera));
const suffix = (which: Which): '' | '2' => (which === 'active' ? '' : '2');

/** The optional body of /api/record_video* (also the OpenAPI document's request schema: openapi-docs.ts). */
export const durationBody = z.looseObject({
  duration: z
    .number({ error: 'duration must be a number of seconds' })
    .min(0, 'duration must not be negative')
    .max(CAMERA_LIMITS.maxDurationSeconds, `duration must be at most ${CAMERA_LIMITS.maxDurationSeconds} seconds`)
    .optional(),
});

/** {"duration": seconds} from an optional JSON body; absent or 0 = until stopped. */
async function requestedDuration(request: FastifyRequest): Promise<number> {
  const body = await readOptionalJsonBody(request);
  if (body === undefined) return 0;
  const parsed = durationBody.safeParse(body);
  if (!parsed.success) throw new CameraError('invalid', parsed.error.issues[0]?.message ?? 'invalid body');
  return parsed.data.duration ?? 0;
}

/** Runs `act` and answers a single-camera endpoint: 200 with `ok(result)`, or the error in raspiCamSrv's shape. */
async function answer<T>(reply: FastifyReply, source: ErrorSource, act: () => Promise<T>, ok: (result: T) => string | Record<string, string>): Promise<void> {
  let result: T;
  try {
    result = await act();
  } catch (error) {
    sendCameraError(reply, error, source);
    return;
  }
  sendMessage(reply, 200, ok(result));
}

/** Both cameras at once: each result or error under its key; 500 when either failed (the other is still done). */
async function answerBoth(
  reply: FastifyReply,
  keys: [string, string],
  sources: [ErrorSource, ErrorSource],
  act: (camera: number) => Promise<string | Record<string, string>>,
  cameras: CameraService,
): Promise<void> {
  const numbers = [cameras.activeCamera(), secondOf(cameras)] as const;
  const settled = await Promise.allSettled(numbers.map((camera) => act(camera)));
  const message: Record<string, string | Record<string, string>> = {};
  let status = 200;
  settled.forEach((outcome, index) => {
    const key = keys[index] ?? '';
    if (outcome.status === 'fulfilled') {
      message[key] = outcome.value;
    } else {
      message[key] = errorText(outcome.reason, sources[index] ?? 'Camera.takeImage');
      status = Math.max(status, errorStatus(outcome.reason));
    }
  });
  sendMessage(reply, status, message);
}

/** Preconditions of the "both" endpoints (second camera present) answered before anything is done. */
function withCameras(deps: ApiDeps, reply: FastifyReply, run: (cameras: CameraService) => Promise<void>): Promise<void> | void {
  let cameras: CameraService;
  try {
    cameras = cameraOf(deps);
    secondOf(cameras);
  } catch (error) {
    sendCameraError(reply, error, 'Camera.takeImage');
    return;
  }
  return run(cameras);
}

export function cameraRoutes(deps: ApiDeps): ApiRoute[] {
  const photo = (which: Which, kind: 'photo' | 'raw') =>
    guarded(deps, 'access', (_caller, _request, reply) => {
      const source: ErrorSource = kind === 'photo' ? `Camera.takeImage${suffix(which)}` : `Camera.takeRawImage${suffix(which)}`;
      return answer(
        reply,
        source,
        () => {
          const cameras = cameraOf(deps);
          return cameras.capture(pick(cameras, which), kind);
        },
        (path) => (kind === 'photo' ? `Photo taken: ${path}` : `Raw photo taken: ${path}`),
      );
    });

  const photoBoth = (kind: 'photo' | 'raw') =>
    guarded(deps, 'access', (_caller, _request, reply) =>
      withCameras(deps, reply, (cameras) => {
        const stem = captureStem();
        const sources: [ErrorSource, ErrorSource] = kind === 'photo' ? ['Camera.takeImage', 'Camera.takeImage2'] : ['Camera.takeRawImage', 'Camera.takeRawImage2'];
        return answerBoth(reply, ['Photo1', 'Photo2'], sources, (camera) => cameras.capture(camera, kind, stem), cameras);
      }),
    );

  const record = (which: Which) =>
    guarded(deps, 'access', (_caller, request, reply) =>
      answer(
        reply,
        `Camera.recordVideo${suffix(which)}`,
        async () => {
          const cameras = cameraOf(deps);
          const camera = pick(cameras, which);
          return cameras.startRecording(camera, await requestedDuration(request));
        },
        (path) => `Video recorded to ${path}`,
      ),
    );

  const recordBoth = guarded(deps, 'access', (_caller, request, reply) =>
    withCameras(deps, reply, async (cameras) => {
      let duration: number;
      try {
        duration = await requestedDuration(request);
      } catch (error) {
        sendCameraError(reply, error, 'Camera.recordVideo');
        return;
      }
      const stem = captureStem();
      return answerBoth(reply, ['Video 1', 'Video 2'], ['Camera.recordVideo', 'Camera.recordVideo2'], (camera) => cameras.startRecording(camera, duration, stem), cameras);
    }),
  );

  const stopOne = async (cameras: CameraService, camera: number, noneText: string) => {
    if (!cameras.isRecording(camera)) throw new CameraError('state', noneText);
    return { Status: 'Stopped', Video: await cameras.stopRecording(camera) };
  };

  const stop = (which: Which) =>
    guarded(deps, 'access', (_caller, _request, reply) =>
      answer(
        reply,
        `Camera.recordVideo${suffix(which)}`,
        () => {
          const cameras = cameraOf(deps);
          return stopOne(cameras, pick(cameras, which), CAMERA_TEXTS.noRecording);
        },
        (stopped) => stopped,
      ),
    );

  const stopBoth = guarded(deps, 'access', (_caller, _request, reply) =>
    withCameras(deps, reply, (cameras) => {
      const numbers = [cameras.activeCamera(), secondOf(cameras)];
      return answerBoth(
        reply,
        ['Video 1', 'Video 2'],
        ['Camera.recordVideo', 'Camera.recordVideo2'],
        (camera) => stopOne(cameras, camera, `${CAMERA_TEXTS.noRecording} for camera ${numbers.indexOf(camera) + 1}`),
        cameras,
      );
    }),
  );

  const switchCameras = guarded(deps, 'access', (_caller, _request, reply) =>
    answer(
      reply,
      'Camera.takeImage',
      async () => {
        const cameras = cameraOf(deps);
        if (cameras.secondCamera() === null) throw new CameraError('state', CAMERA_TEXTS.noOtherCamera);
        await cameras.switchCameras();
      },
      () => CAMERA_TEXTS.switched,
    ),
  );

  // No motion detection or event triggers exist yet: raspiCamSrv's answer when none is configured.
  const noTrigger = guarded(deps, 'access', (_caller, _request, reply) => sendMessage(reply, 500, CAMERA_TEXTS.noTrigger));

  const get = (url: string, handler: ApiRoute['handler']): ApiRoute => ({ method: 'GET', url, handler });
  return [
    get('/api/take_photo', photo('active', 'photo')),
    get('/api/take_photo2', photo('second', 'photo')),
    get('/api/take_photo_both', photoBoth('photo')),
    get('/api/take_raw_photo', photo('active', 'raw')),
    get('/api/take_raw_photo2', photo('second', 'raw')),
    get('/api/take_raw_photo_both', photoBoth('raw')),
    get('/api/record_video', record('active')),
    get('/api/record_video2', record('second')),
    get('/api/record_video_both', recordBoth),
    get('/api/stop_video', stop('active')),
    get('/api/stop_video2', stop('second')),
    get('/api/stop_video_both', stopBoth),
    get('/api/switch_cameras', switchCameras),
    get('/api/start_triggered_capture', noTrigger),
    get('/api/stop_triggered_capture', noTrigger),
  ];
}
