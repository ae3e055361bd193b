import type { Banner } from '../../../shared/domain';
import { bannerLabel } from '../store/api/selectors';

/** The coloured API status line of the seed, with a text label so colour is never the only signal. */
export function StatusBanner({
  banner,
  onRestart,
  restarting,
}: {
  banner: Banner;
  onRestart(): void;
  restarting: boolean;
}) {
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
    </div>
  );
}
