/** The pipeline's state in words and tones: the top bar's short form and the Live screen's detail. */
import type { CameraState, PipelineState } from '../../../../shared/domain';

export type PipelinePhase = PipelineState['state'];
/** ok = green, busy = amber, idle = grey, error = red. */
export type PipelineTone = 'ok' | 'busy' | 'idle' | 'error';

const TONES: Record<PipelinePhase, PipelineTone> = {
  running: 'ok',
  starting: 'busy',
  restarting: 'busy',
  idle: 'idle',
  stopped: 'idle',
  failed: 'error',
};

const LABELS: Record<PipelinePhase, string> = {
  running: 'Running',
  starting: 'Starting',
  restarting: 'Restarting',
  idle: 'Idle',
  stopped: 'Stopped',
  failed: 'Failed',
};

export const pipelineTone = (phase: PipelinePhase): PipelineTone => TONES[phase];
export const pipelineLabel = (phase: PipelinePhase): string => LABELS[phase];

/** The camera raspiCamSrv calls active (the main preview), as the pipeline reports it; null when none. */
export const activeCameraState = (status: PipelineState | null): CameraState | null =>
  status?.cameras.find((camera) => camera.num === status.activeCamera) ?? null;

/** "Camera 0 · testsrc 1280×720"; short: "Cam 0 · 1280×720"; "No camera" when the pipeline has none. */
export function activeCameraText(status: PipelineState | null, short = false): string {
  const camera = activeCameraState(status);
  if (!camera) return 'No camera';
  const size = `${camera.width}×${camera.height}`;
  return short ? `Cam ${camera.num} · ${size}` : `Camera ${camera.num} · ${camera.backend} ${size}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Seconds from `nowMs` until an ISO time, never below 0; null when there is no time. */
export function secondsUntil(iso: string | null, nowMs: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export interface PipelineSummary {
  phase: PipelinePhase;
  tone: PipelineTone;
  /** One word: Running, Idle, … */
  label: string;
  /** One sentence for the Live screen. */
  text: string;
  /** failed: the last stderr lines (the camera's own, else the worker's). */
  stderr: string[];
}

const STAGES: Record<NonNullable<PipelineState['failedStage']>, string> = {
  spawn: 'starting the worker',
  handshake: 'waiting for the worker to answer',
  camera: 'starting the camera',
};

/**
 * The pipeline in words, as the Live screen shows it: running (fps, resolution, clients), idle, restarting
 * (attempt, next try in N s), failed (stage, error and the last stderr lines).
 */
export function pipelineSummary(status: PipelineState, nowMs: number): PipelineSummary {
  const phase = status.state;
  const camera = activeCameraState(status);
  const base = { phase, tone: pipelineTone(phase), label: pipelineLabel(phase), stderr: [] as string[] };
  switch (phase) {
    case 'running': {
      if (!camera) return { ...base, text: 'Running, no camera configured' };
      const fps = camera.fps >= 10 ? Math.round(camera.fps) : Math.round(camera.fps * 10) / 10;
      return {
        ...base,
        text: `Running: ${fps} fps, ${camera.width}×${camera.height}, ${plural(camera.clients, 'client', 'clients')}`,
      };
    }
    case 'idle':
      return { ...base, text: 'Idle: the camera starts when someone watches' };
    case 'starting':
      return { ...base, text: 'Starting the camera…' };
    case 'stopped':
      return { ...base, text: 'Stopped' };
    case 'restarting': {
      const seconds = secondsUntil(status.nextTryAt, nowMs);
      const next = seconds === null ? '' : seconds === 0 ? ', trying now' : `, next try in ${seconds} s`;
      return { ...base, text: `Restarting: attempt ${status.attempt}${next}` };
    }
    case 'failed': {
      const stage = status.failedStage ? ` while ${STAGES[status.failedStage]}` : '';
      const error = status.error ?? camera?.error ?? null;
      const stderr = camera?.stderr.length ? camera.stderr : status.stderr;
      return { ...base, text: `Failed${stage}${error ? `: ${error}` : ''}`, stderr: stderr.slice(-10) };
    }
  }
}
