import { useState } from 'react';
import type { Result } from '../../../../shared/contract';
import type { CameraState, CaptureEntry, PipelineState } from '../../../../shared/domain';
import { useStores } from '../../store/context';
import { ActionResultView, type ActionResult } from './action-result';
import { liveControls } from './live-model';
import { RecordingTimer } from './recording-timer';

type Busy = 'photo' | 'raw' | 'record' | 'stop' | 'switch' | 'restart' | null;

/** The Live screen's buttons for the active camera; each shows what it did (or why not) below. */
export function LiveControls({ status, camera, admin }: { status: PipelineState; camera: CameraState; admin: boolean }) {
  const store = useStores().camera;
  const [busy, setBusy] = useState<Busy>(null);
  const [result, setResult] = useState<ActionResult | null>(null);
  const controls = liveControls(status, admin);

  async function run<T>(which: Exclude<Busy, null>, action: () => Promise<Result<T>>, show: (value: T) => ActionResult) {
    setBusy(which);
    try {
      const outcome = await action();
      setResult(outcome.ok ? show(outcome.value) : { kind: 'error', text: outcome.error.message });
    } catch (error) {
      setResult({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
    }
  }

  const captured = (entry: CaptureEntry): ActionResult => ({ kind: 'capture', entry });
  const state = store.getState();

  return (
    <div className="live-controls">
      <div className="live-controls__buttons" role="group" aria-label={`Camera ${camera.num} actions`}>
        {controls.capture && (
          <>
            <button type="button" className="button button--primary" disabled={busy === 'photo'} onClick={() => void run('photo', () => state.takePhoto(camera.num, 'photo'), captured)}>
              {busy === 'photo' ? 'Taking photo…' : 'Take photo'}
            </button>
            <button type="button" className="button" disabled={busy === 'raw'} onClick={() => void run('raw', () => state.takePhoto(camera.num, 'raw'), captured)}>
              {busy === 'raw' ? 'Taking raw photo…' : 'Take raw photo'}
            </button>
          </>
        )}
        {controls.record === 'record' && (
          <button
            type="button"
            className="button button--record"
            disabled={busy === 'record'}
            onClick={() => void run('record', () => state.startRecording(camera.num), () => ({ kind: 'info', text: `Recording camera ${camera.num}` }))}
          >
            <span className="button__rec-dot" aria-hidden="true" />
            {busy === 'record' ? 'Starting…' : 'Record'}
          </button>
        )}
        {controls.record === 'stop' && (
          <div className="live-controls__recording">
            <button type="button" className="button button--danger" disabled={busy === 'stop'} onClick={() => void run('stop', () => state.stopRecording(camera.num), captured)}>
              <span className="button__stop-square" aria-hidden="true" />
              {busy === 'stop' ? 'Stopping…' : 'Stop'}
            </button>
            <RecordingTimer startedAt={camera.recordingStartedAt} testId="recording-elapsed" />
          </div>
        )}
        {controls.switchCamera && (
          <button
            type="button"
            className="button"
            disabled={busy === 'switch'}
            onClick={() => void run('switch', () => state.switchCamera(), (next) => ({ kind: 'info', text: `Camera ${next.activeCamera} is now the active camera` }))}
          >
            {busy === 'switch' ? 'Switching…' : 'Switch camera'}
          </button>
        )}
        {controls.restartPipeline && (
          <button
            type="button"
            className="button button--danger-outline"
            disabled={busy === 'restart'}
            onClick={() => void run('restart', () => state.restartPipeline(), () => ({ kind: 'info', text: 'The pipeline is restarting' }))}
          >
            {busy === 'restart' ? 'Restarting…' : 'Restart pipeline'}
          </button>
        )}
      </div>
      <ActionResultView result={result} />
    </div>
  );
}
