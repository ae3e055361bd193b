/**
 * The few plain pages the panel server answers itself, before there is a panel session: what went
 * wrong and what to do next. Static text only (nothing from the request is echoed); styled by
 * /panel-page.css because the strict CSP allows no inline style. The look follows the panel's own
 * (renderer/src/styles/base.css): the dark top bar with the brand, a white card on light grey.
 */
export const PAGE_CSS_PATH = '/panel-page.css';

export const PAGE_CSS = `*,*::before,*::after{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Liberation Sans',Arial,sans-serif;font-size:15px;line-height:1.5;color:#161a1e;background:#f6f7f9;-webkit-font-smoothing:antialiased}
.topbar{background:#161a1e;color:#fff;min-height:56px;display:flex;align-items:center;padding:8px 16px}
.topbar span{font-weight:700;font-size:17px;letter-spacing:.02em;max-width:960px;width:100%;margin:0 auto}
main{padding:24px 16px}
.card{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #dde1e6;border-left:6px solid #1f5fbf;border-radius:8px;padding:24px 32px;box-shadow:0 1px 2px rgba(22,26,30,.06),0 8px 24px rgba(22,26,30,.06)}
.card--warning{border-left-color:#6b5200}
h1{font-size:22px;line-height:1.3;margin:0 0 12px}
h2{font-size:15px;margin:20px 0 8px;color:#2b3138}
p{margin:0 0 12px}
ol{margin:0 0 12px;padding-left:24px}
li{margin-bottom:8px}
pre{background:#eef0f3;border:1px solid #dde1e6;padding:8px 12px;border-radius:6px;overflow-x:auto;margin:6px 0 0}
code,pre{font-family:ui-monospace,'SFMono-Regular','DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.92em}
code{background:#eef0f3;border-radius:4px;padding:1px 4px}
pre code{background:none;padding:0}
.muted{color:#5b6570;font-size:14px}
@media (max-width:640px),(max-height:520px){main{padding:12px 8px}.card{padding:16px}.topbar{min-height:48px}}
`;

const page = (title: string, body: string[], tone: 'info' | 'warning' = 'info') =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  `<title>CamPanel: ${title}</title><link rel="stylesheet" href="${PAGE_CSS_PATH}"></head>` +
  '<body><header class="topbar"><span>CamPanel</span></header>' +
  `<main><div class="card${tone === 'warning' ? ' card--warning' : ''}"><h1>${title}</h1>${body.join('')}</div></main></body></html>`;

const WHAT_TO_DO = [
  '<h2>What to do</h2>',
  '<ol>',
  '<li>Open the Panel URL that <code>campanel serve</code> printed when it started, if it has not been used yet.</li>',
  '<li>Or get a fresh one on the machine CamPanel runs on:<pre><code>npx campanel panel-url</code></pre></li>',
  '</ol>',
  '<p class="muted">Open the URL in this browser. Each panel URL opens the panel once; after that, this browser keeps its session until it ends.</p>',
];

/** A `?token=` that is wrong, already used or expired. */
export const LINK_REFUSED_PAGE = page(
  'This panel link cannot be used',
  ['<p>Each panel link opens the panel once. This one has already been used, has expired, or is not complete.</p>', ...WHAT_TO_DO],
  'warning',
);

/** No token and no (or an ended) session cookie. */
export const NO_SESSION_PAGE = page('Open CamPanel with a panel link', [
  '<p>This browser has no panel session, or its session has ended.</p>',
  ...WHAT_TO_DO,
]);

export const tooManyAttemptsPage = (seconds: number) =>
  page(
    'Too many panel links refused',
    [
      `<p>Too many wrong or used panel links came from this address. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.</p>`,
      ...WHAT_TO_DO,
    ],
    'warning',
  );

export const NO_ROOM_PAGE = page(
  'Too many panel sessions',
  [
    '<p>Every panel session is in use by a logged-in user. Log out in another browser or wait until a session ends, ' +
      'then open this link again (it has not been used up).</p>',
  ],
  'warning',
);
