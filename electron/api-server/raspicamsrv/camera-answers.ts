/**
 * How camera operations answer in raspiCamSrv's dialect: bodies are always {"message": …}, errors keep
 * raspiCamSrv's texts and its 500 where its clients know them, and CamPanel's own refusals use the
 * status that says what happened (docs/compatibility.md §4).
 */
import type { FastifyReply } from 'fastify';
import { CameraError } from '../../pipeline/camera-errors.js';
import type { CameraService } from '../../pipeline/camera-service.js';
import type { ApiDeps } from '../api-deps.js';
import { sendJson, type JsonValue } from './flask-json.js';

export const CAMERA_TEXTS = {
  secondMissing: 'Second camera is not available',
  noOtherCamera: 'No other camera available',
  noRecording: 'No video recording in progress',
  noTrigger: 'There is no trigger activated',
  switched: 'Camera switch successful',
  noCamera: 'No camera is configured',
} as const;

/** raspiCamSrv's error sources, as in "Error in Camera.takeImage: …". */
export type ErrorSource = 'Camera.takeImage' | 'Camera.takeImage2' | 'Camera.takeRawImage' | 'Camera.takeRawImage2' | 'Camera.recordVideo' | 'Camera.recordVideo2';

const STATUS: Record<CameraError['kind'], number> = {
  unavailable: 503,
  notConfigured: 500,
  invalid: 400,
  state: 500,
  failed: 500,
  storage: 409,
};

/** The text for one camera's failure: raspiCamSrv's "Error in <source>: <error>" for camera and storage failures. */
export function errorText(error: unknown, source: ErrorSource): string {
  if (!(error instanceof CameraError)) return `Error in ${source}: internal error`;
  return error.kind === 'failed' || error.kind === 'storage' ? `Error in ${source}: ${error.message}` : error.message;
}

export function errorStatus(error: unknown): number {
  return error instanceof CameraError ? STATUS[error.kind] : 500;
}

export function sendMessage(reply: FastifyReply, status: number, message: JsonValue): void {
  sendJson(reply, status, { message });
}

/** Sends a single operation's failure; rethrows what is not a CameraError (the JSON 500 handler logs it). */
export function sendCameraError(reply: FastifyReply, error: unknown, source: ErrorSource): void {
  if (!(error instanceof CameraError)) throw error;
  sendMessage(reply, errorStatus(error), errorText(error, source));
}

/** The camera service, or a CameraError saying there is none (the API built without cameras). */
export function cameraOf(deps: ApiDeps): CameraService {
  if (!deps.camera) throw new CameraError('notConfigured', CAMERA_TEXTS.noCamera);
  return deps.camera;
}

/** The second camera's number, or raspiCamSrv's "Second camera is not available". */
export function secondOf(camera: CameraService): number {
  const second = camera.secondCamera();
  if (second === null) throw new CameraError('notConfigured', CAMERA_TEXTS.secondMissing);
  return second;
}
