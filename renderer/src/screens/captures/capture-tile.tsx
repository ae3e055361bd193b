import { memo } from 'react';
import type { CaptureEntry } from '../../../../shared/domain';
import { captureBadge } from '../../store/captures/selectors';
import { CaptureThumb } from './capture-thumb';

/** One grid tile: a button named by the file name, opening the viewer. Memoised: a refresh re-renders only what changed. */
export const CaptureTile = memo(function CaptureTile({ entry, onOpen }: { entry: CaptureEntry; onOpen(id: string): void }) {
  const badge = captureBadge(entry);
  return (
    <li className="capture-tile" data-testid="capture-tile" data-id={entry.id} data-kind={entry.kind}>
      <button type="button" className="capture-tile__button" aria-label={entry.name} onClick={() => onOpen(entry.id)}>
        <span className="capture-tile__thumb">
          <CaptureThumb entry={entry} />
          {badge && <span className={`capture-tile__badge capture-tile__badge--${entry.kind}`}>{badge}</span>}
        </span>
        <span className="capture-tile__name" aria-hidden="true">
          {entry.name}
        </span>
      </button>
    </li>
  );
});
