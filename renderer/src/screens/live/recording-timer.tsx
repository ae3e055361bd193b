import { elapsedText } from './live-model';
import { useNow } from './use-now';

/**
 * "● REC 0:05", counted from recordingStartedAt so it is right after a reload. `testId` on the one beside Stop
 * only (tests find exactly one).
 */
export function RecordingTimer({ startedAt, testId }: { startedAt: string | null; testId?: string }) {
  const now = useNow(1000);
  const elapsed = elapsedText(startedAt, now);
  return (
    <span className="rec-timer" data-testid={testId}>
      <span className="rec-timer__dot" aria-hidden="true" />
      <span className="rec-timer__label">REC</span>
      {elapsed && <span className="rec-timer__time"> {elapsed}</span>}
    </span>
  );
}
