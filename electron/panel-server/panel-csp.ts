/**
 * The panel page's Content-Security-Policy, sent by the headless panel and by Electron's `campanel://`
 * protocol alike (renderer/index.html carries the same as a meta tag). Beyond 'self': `data:` and `blob:`
 * images (the preview draws frames from Blobs), `media-src 'self'` (captured videos play in the page).
 */
export const PANEL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
