/** What the Live screen shows for a pipeline state and a role: pure, so the rules are tested without a DOM. */
import type { CameraState, PipelineState } from '../../../../shared/domain';
import { activeCameraState } from '../../store/camera/selectors';
import { formatDuration } from '../../store/captures/selectors';

export interface LiveLayout {
  /** The camera in the large preview, whose buttons act; null when none is configured. */
  active: CameraState | null;
  /** The other cameras, smaller, beside or below. */
  others: CameraState[];
}

export function liveLayout(status: PipelineState): LiveLayout {
  const active = activeCameraState(status) ?? status.cameras[0] ?? null;
  return { active, others: active ? status.cameras.filter((c) => c.num !== active.num) : [] };
}

export interface LiveControls {
  capture: boolean;
  /** Record or Stop; null without a camera. */
  record: 'record' | 'stop' | null;
  switchCamera: boolean;
  restartPipeline: boolean;
}

/** Which buttons show: capture and record for every user with a camera; Switch with two or more; Restart for admins when something failed. */
export function liveControls(status: PipelineState, admin: boolean): LiveControls {
  const { active } = liveLayout(status);
  const troubled = status.state === 'failed' || status.state === 'restarting' || active?.state === 'failed';
  return {
    capture: active !== null,
    record: active === null ? null : active.recording ? 'stop' : 'record',
    switchCamera: status.cameras.length >= 2,
    restartPipeline: admin && troubled,
  };
}

/** The recording's elapsed time from when it started (so it survives a reload): "0:05"; null when unknown. */
export function elapsedText(startedAt: string | null, nowMs: number): string | null {
  if (!startedAt) return null;
  const at = Date.parse(startedAt);
  if (Number.isNaN(at)) return null;
  // A clock slightly behind the server's must not show -0:01.
  return formatDuration(Math.max(0, Math.floor((nowMs - at) / 1000)));
}

/** The camera's own failure when the pipeline as a whole still runs (another camera may be fine). */
export function cameraProblem(camera: CameraState | null, status: PipelineState): { text: string; stderr: string[] } | null {
  if (!camera || camera.state !== 'failed' || status.state === 'failed') return null;
  return { text: `Camera ${camera.num} failed${camera.error ? `: ${camera.error}` : ''}`, stderr: camera.stderr.slice(-10) };
}
