/**
 * Why a camera operation could not be done, in words a person can act on. `kind` decides the HTTP status
 * (the raspiCamSrv dialect keeps raspiCamSrv's 500 for the errors its clients know: docs/compatibility.md §4).
 */
export type CameraErrorKind =
  /** The pipeline is not running (starting, restarting, failed, stopped): 503. */
  | 'unavailable'
  /** No such camera (second camera missing…): raspiCamSrv's 500. */
  | 'notConfigured'
  /** The request itself is wrong (duration out of range, camera number unknown): 400. */
  | 'invalid'
  /** The camera cannot do it now (already recording, nothing recording): raspiCamSrv's 500. */
  | 'state'
  /** The camera or its tools failed while doing it: raspiCamSrv's "Error in …" 500. */
  | 'failed'
  /** The photo directory cannot be used (not writable, not a directory): 409. */
  | 'storage';

export class CameraError extends Error {
  constructor(
    readonly kind: CameraErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CameraError';
  }
}
