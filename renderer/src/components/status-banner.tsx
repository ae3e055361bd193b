import type { Banner } from '../../../shared/domain';
import { bannerLabel } from '../store/api/selectors';

/** What the banner's buttons do; the missing-file choices are offered only when the banner asks for them. */
export interface BannerActions {
  onRestart(): void;
  restarting: boolean;
  /** Focus the JWT Secret Key File Path, to point at the file where it really is. */
  onChoosePath?(): void;
  /** Write a new key (after a confirmation): every listed token ends. */
  onCreateKey?(): void;
  creatingKey?: boolean;
}

/** The coloured API status line of the seed, with a text label so colour is never the only signal. */
export function StatusBanner({ banner, onRestart, restarting, onChoosePath, onCreateKey, creatingKey = false }: { banner: Banner } & BannerActions) {
  return (
    <div
      className={`banner banner--${banner.colour}`}
      role="status"
      aria-label="API status"
      data-testid="api-banner"
      data-colour={banner.colour}
    >
      <div className="banner__text">
        <span className="banner__badge">{bannerLabel(banner.colour)}</span>
        <span className="banner__message">{banner.message}</span>
      </div>
      {banner.colour === 'green' && banner.urls.length > 0 && (
        <ul className="banner__urls" aria-label="API URLs">
          {banner.urls.map((url) => (
            <li key={url}>
              <code className="copyable">{url}</code>
            </li>
          ))}
        </ul>
      )}
      {banner.restartButton && (
        <button type="button" className="button button--primary" onClick={onRestart} disabled={restarting}>
          {restarting ? 'Restarting…' : 'Restart API'}
        </button>
      )}
      {banner.newKeyButton && (
        <div className="button-row banner__choices">
          {onChoosePath && (
            <button type="button" className="button" onClick={onChoosePath}>
              Point at the right file
            </button>
          )}
          {onCreateKey && (
            <button type="button" className="button button--danger-outline" onClick={onCreateKey} disabled={creatingKey}>
              {creatingKey ? 'Creating…' : 'Create a new key'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
