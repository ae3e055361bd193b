/**
 * The raspiCamSrv dialect in the OpenAPI document: every route this folder registers, with the answers its
 * handlers give (docs/compatibility.md §2–§5). Request schemas are the handlers' own where they parse with
 * zod (login, record_video*); /api/probe checks its body by hand on purpose (bad items are answered, not
 * refused), so its schema describes what a client should send. The answers are built as Buffers on hot
 * paths and are not parsed on the way out: openapi-docs.test.ts runs the real handlers and checks every
 * answer against these schemas, so they cannot drift.
 *
 * Longer than a module here usually is: it is one table, the dialect's 29 operations with their answers,
 * read top to bottom like docs/compatibility.md §2–§5.
 */
import { z } from 'zod';
import { CAMERA_LIMITS, cameraBackendSchema, cameraStateSchema, pipelineStateSchema } from '../../../shared/domain.js';
import { mergeResponses } from '../openapi/merge-responses.js';
import type { OperationDoc, ResponseDoc, SecurityKind } from '../openapi/operation-doc.js';
import { STREAM_BOUNDARY } from '../streams/mjpeg-client.js';
import { loginBodySchema } from './auth-routes.js';
import { durationBody } from './camera-routes.js';
import { ERROR_TEXTS } from './errors.js';
import { PROBE_PROPERTIES } from './info-routes.js';
import { WWW_AUTHENTICATE } from './stream-auth.js';

// ───────────────────────────── bodies ─────────────────────────────

const errorAnswer = z.object({ error: z.string() }).meta({
  id: 'ErrorAnswer',
  description: 'A refusal of the request, a login or stream refusal, or "Password change required" (docs/compatibility.md §3.2).',
});
const tokenRefusal = z.object({ msg: z.string() }).meta({
  id: 'TokenRefusal',
  description: "flask-jwt-extended's refusal of the token, e.g. \"Token has expired\" (docs/compatibility.md §2.4).",
});
const secretsLockedAnswer = z.object({ msg: z.string().startsWith('Secrets locked') }).meta({
  id: 'SecretsLocked',
  description: 'The secrets file is protected with a passphrase and not unlocked since the start: only /system/hsm answers.',
});
const messageAnswer = z.object({ message: z.string() }).meta({
  id: 'MessageAnswer',
  description: "A camera endpoint's answer: what was done, or raspiCamSrv's error text (docs/compatibility.md §4).",
});

const path = z.string().meta({ description: 'Absolute path of the file on the camera server.' });
const videoStarted = z.string().startsWith('Video recorded to ');
const photoPair = z.object({ Photo1: z.string(), Photo2: z.string() }).meta({
  id: 'PhotoPair',
  description: "Each camera's file path, or for a camera that failed its \"Error in …\" text (the other camera's photo is still taken).",
});
const stopped = z.object({ Status: z.literal('Stopped'), Video: path }).meta({ id: 'StoppedVideo' });
const videoPair = z.object({ 'Video 1': z.string(), 'Video 2': z.string() }).meta({ id: 'VideoPair', description: "Each camera's video path, or its error text." });
const stoppedPair = z.object({ 'Video 1': z.union([stopped, z.string()]), 'Video 2': z.union([stopped, z.string()]) }).meta({
  id: 'StoppedVideoPair',
  description: 'Each camera: the stopped video, or its error text (the other camera is still stopped).',
});

const apiIndexAnswer = z
  .object({
    message: z.object({
      version: z.string(),
      authentication: z.string().meta({ description: 'How to authenticate, in one sentence.' }),
      auth: z.array(z.string()),
      camera: z.array(z.string()),
      streams: z.array(z.string()),
    }),
  })
  .meta({ id: 'ApiIndex' });

const tokensAnswer = z.object({
  access_token: z.string().meta({ description: 'Access token (JWT, HS256).' }),
  refresh_token: z.string().optional().meta({ description: 'Refresh token; absent when the access token lifetime is 0 (tokens that never expire).' }),
});

const infoCamera = z.object({
  num: z.int(),
  model: z.string(),
  is_usb: z.boolean(),
  active: z.boolean(),
  status: z.enum(['open - started - current Sensor Mode: unknown', 'open - started', 'open - stopped', 'open', 'closed', 'inactive']),
});
const infoAnswer = z
  .object({
    message: z.object({
      version: z.string().meta({ description: '"raspiCamSrv V4.10.0 (CamPanel <version>)": starts like raspiCamSrv\'s for clients that parse it.' }),
      server: z.string().meta({ description: "The request's Host header." }),
      active_camera: z.string().meta({ description: '"Camera <num> (<model>)", or "none".' }),
      cameras: z.array(infoCamera),
      operation_status: z.object({
        livestream_active: z.boolean(),
        livestream2_active: z.boolean().optional().meta({ description: 'Only with more than one camera.' }),
        photoseries_recording: z.boolean(),
        motion_capturing: z.boolean(),
        event_handling: z.boolean(),
        video_recording: z.boolean(),
        audio_recording: z.boolean(),
        video_recording2: z.boolean(),
      }),
      pipeline: z
        .object({
          state: pipelineStateSchema.shape.state,
          attempt: z.int(),
          next_try_at: z.string().nullable(),
          failed_stage: pipelineStateSchema.shape.failedStage,
          error: z.string().nullable(),
          cameras: z.array(
            z.object({
              num: z.int(),
              backend: cameraBackendSchema,
              state: cameraStateSchema.shape.state,
              resolution: z.string().regex(/^\d+x\d+$/),
              fps: z.number(),
              clients: z.int(),
              recording: z.boolean(),
              error: z.string().nullable(),
            }),
          ),
        })
        .meta({ description: "CamPanel's addition: the camera pipeline, and per camera its state, fps and stream clients." }),
    }),
  })
  .meta({ id: 'Info' });

/** What /api/probe should be sent. The handler itself accepts more and answers bad items one by one (info-routes.ts). */
export const probeRequest = z
  .object({
    properties: z
      .array(
        z.object({
          property: z.string().meta({ description: 'A status property name; CamPanel answers only these.', examples: PROBE_PROPERTIES }),
        }),
      )
      .min(1),
  })
  .meta({ id: 'ProbeRequest' });

const probeAnswer = z
  .object({
    results: z.array(z.record(z.string(), z.unknown())).meta({
      description:
        'One entry per requested item, in order: {"<name>": <value>} for a known property, ' +
        '{"property": "ERROR:<reason>"} for anything else (an unknown name, an item without a "property" string).',
    }),
  })
  .meta({ id: 'ProbeAnswer' });

// ───────────────────────────── shared answers ─────────────────────────────

const json = (schema: z.ZodType) => ({ 'application/json': schema });
const errorJson = json(errorAnswer);

/**
 * What the listener and Fastify answer before a route runs (docs/compatibility.md §3.3, §3.7), for every URL
 * of the API port, /system included: a malformed request, a slow one, oversized headers…
 */
export const LISTENER_RESPONSES: Readonly<Record<string, ResponseDoc>> = {
  '400': { name: 'BadRequest', description: `The HTTP layer refused the request: "${ERROR_TEXTS.badRequest}"`, content: errorJson },
  '408': { name: 'RequestTimeout', description: 'Headers or body not complete within 9 s; the connection is closed.', content: errorJson },
  '413': { name: 'EntityTooLarge', description: 'Chunk extensions over 16 KiB.', content: errorJson },
  '417': { name: 'ExpectationFailed', description: 'An Expect header other than 100-continue.', content: errorJson },
  '431': { name: 'HeadersTooLarge', description: 'Request line and headers over 16 KiB.', content: errorJson },
  '503': {
    name: 'Unavailable',
    description:
      'Too many open connections from this address, or the listener is stopping (Restart API, shutdown) ({"error": …}); ' +
      'or the secrets file is locked and the API waits for POST /system/hsm ({"msg": "Secrets locked: …"}, docs/compatibility.md §7.6).',
    content: json(z.union([errorAnswer, secretsLockedAnswer])),
  },
};

/** The raspiCamSrv dialect's error handler: anything unexpected (logged for the operator). */
const INTERNAL: ResponseDoc = { name: 'InternalError', description: `Unexpected failure: "${ERROR_TEXTS.internal}"`, content: errorJson };

/** `responses` plus the listener's answers (and `extra`); a status documented by both is merged (mergeResponses). */
export function withListenerAnswers(responses: Record<string, ResponseDoc>, extra: Record<string, ResponseDoc> = {}): Record<string, ResponseDoc> {
  return mergeResponses(responses, { ...LISTENER_RESPONSES, ...extra });
}

const raspiAnswers = (responses: Record<string, ResponseDoc>) => withListenerAnswers(responses, { '500': INTERNAL });

const TOKEN_REFUSALS: Record<string, ResponseDoc> = {
  '401': {
    name: 'TokenMissingOrRevoked',
    description:
      'No usable token: missing header, expired, revoked, or its user removed ({"msg": …}); ' +
      'or the user must change the password an admin set ({"error": "Password change required. Please log in through UI!"}).',
    content: json(z.union([tokenRefusal, errorAnswer])),
  },
  '422': { name: 'TokenInvalid', description: 'The token is malformed, wrongly signed, or of the other type (access vs refresh).', content: json(tokenRefusal) },
};

const BODY_REFUSALS = {
  '400': `The body is not valid JSON ("${ERROR_TEXTS.badJson}"), or larger than 64 KiB.`,
  '415': `A body was sent that is not JSON: "${ERROR_TEXTS.notJsonContentType}"`,
} as const;

// ───────────────────────────── operations ─────────────────────────────

interface Op {
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: SecurityKind[];
  method?: 'get' | 'post';
  query?: z.ZodObject;
  requestBody?: Record<string, z.ZodType>;
  requestBodyOptional?: boolean;
  responses: Record<string, ResponseDoc>;
}

const op = (spec: Op): OperationDoc => ({ method: 'get', ...spec, responses: raspiAnswers(spec.responses) });

const apiIndex = (path: string, operationId: string): OperationDoc =>
  op({
    path,
    operationId,
    summary: 'List the endpoints',
    description: 'CamPanel\'s own index of the URLs this port answers, built from the registered routes (docs/compatibility.md §2.6).',
    tags: ['auth'],
    security: ['none'],
    responses: { '200': { description: 'The endpoints and how to authenticate.', content: json(apiIndexAnswer) } },
  });

const authOps: OperationDoc[] = [
  apiIndex('/api', 'apiIndex'),
  apiIndex('/api/', 'apiIndexSlash'),
  op({
    method: 'post',
    path: '/api/login',
    operationId: 'login',
    summary: 'Log in: access and refresh token',
    description:
      'Other keys in the body are ignored; any JSON content type (application/json, application/*+json) is accepted. ' +
      'Failures count against the network login limiter (docs/compatibility.md §2.1).',
    tags: ['auth'],
    security: ['none'],
    requestBody: json(loginBodySchema.meta({ id: 'LoginRequest' })),
    responses: {
      '200': { description: 'Logged in.', content: json(tokensAnswer) },
      '400': {
        description: `The body is not an object with "username" and "password" strings, one of them is too long, or it is not valid JSON or larger than 64 KiB.`,
        content: errorJson,
      },
      '401': { description: 'Unknown user or wrong password (the same answer), or the user must first change the password an admin set.', content: errorJson },
      '415': { description: BODY_REFUSALS['415'], content: errorJson },
      '429': {
        description: 'Too many failed logins: try again after Retry-After seconds.',
        content: errorJson,
        headers: { 'Retry-After': { description: 'Seconds until the next attempt is allowed.', schema: z.string().regex(/^\d+$/) } },
      },
    },
  }),
  op({
    method: 'post',
    path: '/api/refresh',
    operationId: 'refresh',
    summary: 'A new access token from the refresh token',
    description: 'Send the refresh token as the bearer token. Any body is ignored; the refresh token is not rotated.',
    tags: ['auth'],
    security: ['bearer'],
    responses: { '200': { description: 'A new (not fresh) access token.', content: json(z.object({ access_token: z.string() })) }, ...TOKEN_REFUSALS },
  }),
  op({
    path: '/api/protected',
    operationId: 'protected',
    summary: 'Check a token',
    tags: ['auth'],
    security: ['bearer'],
    responses: { '200': { description: '"Hello, <user>! You accessed a protected route."', content: json(messageAnswer) }, ...TOKEN_REFUSALS },
  }),
];

const messageOf = (message: z.ZodType) => json(z.object({ message }));
const recordVideoRequest = durationBody.meta({ id: 'RecordVideoRequest', description: 'Absent, or 0: record until stopped. Other keys are ignored.' });
const CAMERA_STATUS_TEXTS = {
  '409': 'The photo directory cannot be written.',
  '503': 'The camera pipeline is not running (starting, restarting, failed or stopped): the message names its state.',
} as const;

interface CameraOp {
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** The 200 answer's `message`. */
  ok?: z.ZodType;
  okText?: string;
  /** The 500 answer's `message`, when it is not a plain text. */
  failed?: z.ZodType;
  failedText: string;
  statuses?: readonly ('409' | '503')[];
  body?: boolean;
}

function cameraOp(spec: CameraOp): OperationDoc {
  const failure = spec.failed ? messageOf(spec.failed) : json(messageAnswer);
  const responses: Record<string, ResponseDoc> = { ...TOKEN_REFUSALS };
  if (spec.ok) responses['200'] = { description: spec.okText ?? 'Done.', content: messageOf(spec.ok) };
  responses['500'] = { description: spec.failedText, content: failure };
  for (const status of spec.statuses ?? []) responses[status] = { description: CAMERA_STATUS_TEXTS[status], content: failure };
  if (spec.body) {
    responses['400'] = {
      description: `"duration" is not a number of seconds from 0 to ${CAMERA_LIMITS.maxDurationSeconds} ({"message": …}); or ${BODY_REFUSALS['400']} ({"error": …})`,
      content: json(z.union([messageAnswer, errorAnswer])),
    };
    responses['415'] = { description: BODY_REFUSALS['415'], content: errorJson };
  }
  return op({
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: ['camera'],
    security: ['bearer'],
    ...(spec.body
      ? {
          requestBody: json(recordVideoRequest),
          requestBodyOptional: true,
        }
      : {}),
    responses,
  });
}

const captureStatuses = ['409', '503'] as const;
const SECOND = 'Second camera is not available';

/** take_photo*, take_raw_photo*: one per camera and both, as camera-routes.ts builds them. */
function captureOps(kind: 'photo' | 'raw'): OperationDoc[] {
  const [url, id, what, done, source] =
    kind === 'photo' ? ['take_photo', 'takePhoto', 'a photo', 'Photo taken: ', 'Camera.takeImage'] : ['take_raw_photo', 'takeRawPhoto', 'a raw photo', 'Raw photo taken: ', 'Camera.takeRawImage'];
  const ok = z.string().startsWith(done);
  return [
    cameraOp({
      path: `/api/${url}`,
      operationId: id,
      summary: `Take ${what} (active camera)`,
      ok,
      okText: `"${done}<path>"`,
      failedText: `"Error in ${source}: <error>", or no camera configured.`,
      statuses: captureStatuses,
    }),
    cameraOp({
      path: `/api/${url}2`,
      operationId: `${id}2`,
      summary: `Take ${what} (second camera)`,
      ok,
      okText: `"${done}<path>"`,
      failedText: `"${SECOND}", or "Error in ${source}2: <error>".`,
      statuses: captureStatuses,
    }),
    cameraOp({
      path: `/api/${url}_both`,
      operationId: `${id}Both`,
      summary: `Take ${what} with both cameras`,
      ok: photoPair,
      okText: 'Both taken.',
      failed: z.union([z.string(), photoPair]),
      failedText: `"${SECOND}", or a camera failed: its key holds "Error in …".`,
      statuses: captureStatuses,
    }),
  ];
}

const cameraOps: OperationDoc[] = [
  ...captureOps('photo'),
  ...captureOps('raw'),
  cameraOp({
    path: '/api/record_video',
    operationId: 'recordVideo',
    summary: 'Start recording (active camera)',
    ok: videoStarted,
    okText: '"Video recorded to <path>", once recording has started.',
    failedText: '"Error in Camera.recordVideo: <error>", already recording, or no camera configured.',
    statuses: captureStatuses,
    body: true,
  }),
  cameraOp({
    path: '/api/record_video2',
    operationId: 'recordVideo2',
    summary: 'Start recording (second camera)',
    ok: videoStarted,
    okText: '"Video recorded to <path>", once recording has started.',
    failedText: `"${SECOND}", "Error in Camera.recordVideo2: <error>", or already recording.`,
    statuses: captureStatuses,
    body: true,
  }),
  cameraOp({
    path: '/api/record_video_both',
    operationId: 'recordVideoBoth',
    summary: 'Start recording with both cameras',
    ok: videoPair,
    okText: 'Both cameras record.',
    failed: z.union([z.string(), videoPair]),
    failedText: `"${SECOND}", or a camera failed: its key holds the error.`,
    statuses: captureStatuses,
    body: true,
  }),
  cameraOp({
    path: '/api/stop_video',
    operationId: 'stopVideo',
    summary: 'Stop recording (active camera)',
    ok: stopped,
    okText: 'Stopped, once the file is complete.',
    failedText: '"No video recording in progress", or the recording could not be closed.',
    statuses: ['503'],
  }),
  cameraOp({
    path: '/api/stop_video2',
    operationId: 'stopVideo2',
    summary: 'Stop recording (second camera)',
    ok: stopped,
    okText: 'Stopped, once the file is complete.',
    failedText: `"${SECOND}", or "No video recording in progress".`,
    statuses: ['503'],
  }),
  cameraOp({
    path: '/api/stop_video_both',
    operationId: 'stopVideoBoth',
    summary: 'Stop recording on both cameras',
    ok: stoppedPair,
    okText: 'Both stopped, once the files are complete.',
    failed: z.union([z.string(), stoppedPair]),
    failedText: `"${SECOND}", or a camera was not recording ("No video recording in progress for camera N" under its key).`,
    statuses: ['503'],
  }),
  cameraOp({
    path: '/api/switch_cameras',
    operationId: 'switchCameras',
    summary: 'Make the second camera the active one',
    ok: z.literal('Camera switch successful'),
    okText: '"Camera switch successful"',
    failedText: '"No other camera available", or no camera configured.',
  }),
  cameraOp({
    path: '/api/start_triggered_capture',
    operationId: 'startTriggeredCapture',
    summary: 'Start triggered capture (not available yet)',
    description: 'Until motion detection exists, always raspiCamSrv\'s answer when no trigger is configured.',
    failedText: '"There is no trigger activated"',
  }),
  cameraOp({
    path: '/api/stop_triggered_capture',
    operationId: 'stopTriggeredCapture',
    summary: 'Stop triggered capture (not available yet)',
    description: 'Until motion detection exists, always raspiCamSrv\'s answer when no trigger is configured.',
    failedText: '"There is no trigger activated"',
  }),
  op({
    path: '/api/info',
    operationId: 'info',
    summary: 'Server, cameras and pipeline status',
    tags: ['camera'],
    security: ['bearer'],
    responses: { '200': { description: "raspiCamSrv's fields plus CamPanel's pipeline (docs/compatibility.md §4.5).", content: json(infoAnswer) }, ...TOKEN_REFUSALS },
  }),
  op({
    path: '/api/probe',
    operationId: 'probe',
    summary: 'Read status properties by name',
    description: 'Names are looked up in an allowlist, never evaluated (docs/compatibility.md §4.6). raspiCamSrv\'s clients send this body with GET.',
    tags: ['camera'],
    security: ['bearer'],
    requestBody: json(probeRequest),
    responses: {
      '200': { description: 'One result per item.', content: json(probeAnswer) },
      ...TOKEN_REFUSALS,
      '400': { description: `"No properties provided", "properties must not be empty", or ${BODY_REFUSALS['400']}`, content: errorJson },
      '415': { description: BODY_REFUSALS['415'], content: errorJson },
    },
  }),
];

// ───────────────────────────── streams and snapshots ─────────────────────────────

const tokenQuery = z.string().optional().meta({ description: 'An access token, for clients that cannot send headers (see the streamToken scheme).' });
const cameraQuery = z
  .string()
  .regex(/^\d{1,2}$/)
  .optional()
  .meta({ description: 'Camera number (0, 1, …); default: the active camera.' });
const NO_CACHE = { 'Cache-Control': { description: '"no-cache, no-store, must-revalidate"', schema: z.literal('no-cache, no-store, must-revalidate') } };

const STREAM_OK: ResponseDoc = {
  description: `MJPEG: parts separated by --${STREAM_BOUNDARY}, each a JPEG with Content-Type, Content-Length and X-Timestamp; runs until the client leaves.`,
  content: { 'multipart/x-mixed-replace': { binary: true } },
  headers: NO_CACHE,
};
const SNAPSHOT_OK: ResponseDoc = {
  description: 'One complete JPEG, the newest frame.',
  content: { 'image/jpeg': { binary: true } },
  headers: { ...NO_CACHE, 'X-Timestamp': { description: 'When the frame was captured: seconds, six decimals.', schema: z.string().regex(/^\d+\.\d{6}$/) } },
};

const STREAM_REFUSALS: Record<string, ResponseDoc> = {
  '401': {
    name: 'StreamUnauthorized',
    description: 'Missing or refused credentials; never a redirect (docs/compatibility.md §5.4).',
    content: errorJson,
    headers: { 'WWW-Authenticate': { description: WWW_AUTHENTICATE, schema: z.literal(WWW_AUTHENTICATE) } },
  },
  '429': {
    name: 'StreamTooManyFailures',
    description: 'Too many failed Basic logins: try again after Retry-After seconds.',
    content: errorJson,
    headers: { 'Retry-After': { description: 'Seconds until the next attempt is allowed.', schema: z.string().regex(/^\d+$/) } },
  },
};

type Feed = 'stream' | 'snapshot' | 'either';

function feedOp(path: string, operationId: string, summary: string, feed: Feed, query: z.ZodObject, notFound: string, badCamera: boolean): OperationDoc {
  const ok: ResponseDoc =
    feed === 'stream'
      ? STREAM_OK
      : feed === 'snapshot'
        ? SNAPSHOT_OK
        : { description: `?action=stream: ${STREAM_OK.description} ?action=snapshot: ${SNAPSHOT_OK.description}`, content: { ...STREAM_OK.content, ...SNAPSHOT_OK.content }, headers: NO_CACHE };
  const responses: Record<string, ResponseDoc> = { '200': ok, ...STREAM_REFUSALS, '404': { description: notFound, content: errorJson } };
  if (badCamera) responses['400'] = { description: '"camera must be a camera number (0, 1, …)"', content: errorJson };
  if (feed !== 'stream') responses['503'] = { description: 'The camera pipeline is not running, or no frame arrived in time.', content: errorJson };
  return op({
    path,
    operationId,
    summary,
    description: 'Authentication: Basic, ?token= or a bearer token while "Require authentication for streaming" is on (the default); none when it is off.',
    tags: ['streams'],
    security: ['streamAuth', 'none'],
    query,
    responses,
  });
}

const NO_CAMERA = '"No camera is configured".';
const feedOps: OperationDoc[] = [
  feedOp('/video_feed', 'videoFeed', 'MJPEG stream of the active camera', 'stream', z.object({ token: tokenQuery }), NO_CAMERA, false),
  feedOp('/video_feed2', 'videoFeed2', 'MJPEG stream of the second camera', 'stream', z.object({ token: tokenQuery }), `${NO_CAMERA} or "${SECOND}".`, false),
  feedOp('/photo_feed', 'photoFeed', 'Snapshot of the active camera', 'snapshot', z.object({ token: tokenQuery }), NO_CAMERA, false),
  feedOp('/photo_feed2', 'photoFeed2', 'Snapshot of the second camera', 'snapshot', z.object({ token: tokenQuery }), `${NO_CAMERA} or "${SECOND}".`, false),
  feedOp('/api/stream', 'stream', 'MJPEG stream of camera N', 'stream', z.object({ camera: cameraQuery, token: tokenQuery }), `${NO_CAMERA} or "Camera N is not configured".`, true),
  feedOp('/api/snapshot', 'snapshot', 'Snapshot of camera N', 'snapshot', z.object({ camera: cameraQuery, token: tokenQuery }), `${NO_CAMERA} or "Camera N is not configured".`, true),
  feedOp(
    '/',
    'mjpgStreamer',
    "mjpg-streamer's ?action=stream and ?action=snapshot",
    'either',
    z.object({ action: z.enum(['stream', 'snapshot']), camera: cameraQuery, token: tokenQuery }),
    `"Use ?action=stream or ?action=snapshot" (no known action), ${NO_CAMERA} or "Camera N is not configured".`,
    true,
  ),
];

/** Every route of the raspiCamSrv dialect (index.ts registers them; openapi-docs.test.ts checks that none is missing). */
export const raspiCamSrvOperationDocs: readonly OperationDoc[] = [...authOps, ...cameraOps, ...feedOps];
