/**
 * Streams and snapshots for other software (docs/compatibility.md §5): raspiCamSrv's /video_feed,
 * /video_feed2, /photo_feed, /photo_feed2; /api/stream and /api/snapshot with ?camera=N; and
 * mjpg-streamer's /?action=stream|snapshot. Errors here are {"error": …}; refusals 401 with WWW-Authenticate.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CameraError } from '../../pipeline/camera-errors.js';
import type { CameraService } from '../../pipeline/camera-service.js';
import type { ApiDeps } from '../api-deps.js';
import type { LongLivedConnections } from '../long-lived.js';
import { STREAM_BOUNDARY } from '../streams/mjpeg-client.js';
import { CAMERA_TEXTS } from './camera-answers.js';
import { sendJson } from './flask-json.js';
import type { ApiRoute } from './routes.js';
import { StreamAuth, WWW_AUTHENTICATE } from './stream-auth.js';

type Target = 'active' | 'second' | 'query';
type Kind = 'stream' | 'snapshot';

const ERROR_STATUS: Record<CameraError['kind'], number> = { unavailable: 503, notConfigured: 404, invalid: 400, state: 409, failed: 503, storage: 409 };

function sendError(reply: FastifyReply, error: unknown): void {
  if (!(error instanceof CameraError)) throw error;
  sendJson(reply, ERROR_STATUS[error.kind], { error: error.message });
}

/** The camera a request names: the active or second one, or ?camera=N (default: the active camera). */
function cameraFor(cameras: CameraService, target: Target, request: FastifyRequest): number {
  if (target === 'active') return cameras.activeCamera();
  if (target === 'second') {
    const second = cameras.secondCamera();
    if (second === null) throw new CameraError('notConfigured', CAMERA_TEXTS.secondMissing);
    return second;
  }
  const raw = queryValue(request.url, 'camera');
  if (raw === null) return cameras.activeCamera();
  if (!/^\d{1,2}$/.test(raw)) throw new CameraError('invalid', 'camera must be a camera number (0, 1, …)');
  const camera = Number(raw);
  if (!cameras.isConfigured(camera)) throw new CameraError('notConfigured', `Camera ${camera} is not configured`);
  return camera;
}

export function queryValue(url: string, name: string): string | null {
  const query = url.indexOf('?');
  return query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get(name);
}

export function streamRoutes(deps: ApiDeps, longLived: LongLivedConnections): ApiRoute[] {
  const auth = new StreamAuth(deps);

  const serve = (kind: Kind | 'action', target: Target) => async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const action = kind === 'action' ? queryValue(request.url, 'action') : kind;
    if (action !== 'stream' && action !== 'snapshot') {
      // mjpg-streamer's root without a known action: nothing here.
      sendJson(reply, 404, { error: 'Use ?action=stream or ?action=snapshot' });
      return;
    }
    const verdict = await auth.check(request);
    if (!verdict.ok) {
      if (verdict.status === 401) reply.header('www-authenticate', WWW_AUTHENTICATE);
      if (verdict.retryAfterSeconds !== undefined) reply.header('retry-after', String(verdict.retryAfterSeconds));
      sendJson(reply, verdict.status, { error: verdict.message });
      return;
    }
    let camera: number;
    let cameras: CameraService;
    try {
      if (!deps.camera) throw new CameraError('notConfigured', CAMERA_TEXTS.noCamera);
      cameras = deps.camera;
      camera = cameraFor(cameras, target, request);
    } catch (error) {
      sendError(reply, error);
      return;
    }
    if (action === 'snapshot') return snapshot(cameras, camera, request, reply);
    if (request.method === 'HEAD') {
      reply.code(200).header('content-type', `multipart/x-mixed-replace; boundary=${STREAM_BOUNDARY}`).header('cache-control', 'no-cache, no-store, must-revalidate').send();
      return;
    }
    // From here on the response is ours: the stream runs until the client leaves or the listener stops.
    reply.hijack();
    const socket = request.raw.socket;
    if (longLived.add(socket)) cameras.openStream(camera, socket);
  };

  const get = (url: string, kind: Kind | 'action', target: Target): ApiRoute => ({ method: 'GET', url, handler: serve(kind, target) });
  return [
    get('/video_feed', 'stream', 'active'),
    get('/video_feed2', 'stream', 'second'),
    get('/photo_feed', 'snapshot', 'active'),
    get('/photo_feed2', 'snapshot', 'second'),
    get('/api/stream', 'stream', 'query'),
    get('/api/snapshot', 'snapshot', 'query'),
    get('/', 'action', 'query'),
  ];
}

async function snapshot(cameras: CameraService, camera: number, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let frame;
  try {
    frame = await cameras.snapshot(camera);
  } catch (error) {
    sendError(reply, error);
    return;
  }
  reply
    .code(200)
    .header('content-type', 'image/jpeg')
    .header('cache-control', 'no-cache, no-store, must-revalidate')
    .header('x-timestamp', frame.timestamp.toFixed(6));
  if (request.method === 'HEAD') reply.header('content-length', String(frame.jpeg.length)).send();
  else reply.send(frame.jpeg);
}
