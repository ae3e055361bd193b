import { useState } from 'react';
import { mediaPaths, type CaptureEntry } from '../../../../shared/domain';

/** A capture's cached thumbnail; a generic tile (the file type) when there is none (damaged file, still being made). */
export function CaptureThumb({ entry, lazy = true, alt = '' }: { entry: CaptureEntry; lazy?: boolean; alt?: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    const ext = entry.name.slice(entry.name.lastIndexOf('.') + 1).toUpperCase();
    return (
      <span className={`thumb-fallback thumb-fallback--${entry.kind}`} aria-hidden="true">
        {ext}
      </span>
    );
  }
  return (
    <img
      className="thumb-image"
      src={mediaPaths.thumbnail(entry.id)}
      alt={alt}
      loading={lazy ? 'lazy' : 'eager'}
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
