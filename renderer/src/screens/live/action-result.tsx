import type { CaptureEntry } from '../../../../shared/domain';
import { captureSummary } from '../../store/captures/selectors';
import { CaptureThumb } from '../captures/capture-thumb';

/** What the last action did: the new capture (thumbnail and file name), a line of text, or the error in words. */
export type ActionResult = { kind: 'capture'; entry: CaptureEntry } | { kind: 'info'; text: string } | { kind: 'error'; text: string };

export function ActionResultView({ result }: { result: ActionResult | null }) {
  if (!result) return null;
  if (result.kind === 'error') {
    return (
      <p className="notice notice--error live-result" role="alert">
        {result.text}
      </p>
    );
  }
  if (result.kind === 'info') {
    return (
      <p className="live-result live-result--info" role="status">
        {result.text}
      </p>
    );
  }
  const { entry } = result;
  return (
    <div className="live-result live-result--capture" role="status" data-testid="capture-result" data-id={entry.id}>
      <span className="live-result__thumb">
        <CaptureThumb key={entry.id} entry={entry} lazy={false} alt={`Thumbnail of ${entry.name}`} />
      </span>
      <span className="live-result__text">
        <span className="live-result__name">{entry.name}</span>
        <span className="live-result__meta">Saved · {captureSummary(entry)}</span>
      </span>
    </div>
  );
}
