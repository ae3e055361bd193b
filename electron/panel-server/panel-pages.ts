/**
 * The few plain pages the panel server answers itself, before there is a panel session: what went
 * wrong and what to do next. Static text only (nothing from the request is echoed); styled by
 * /panel-page.css because the strict CSP allows no inline style.
 */
export const PAGE_CSS_PATH = '/panel-page.css';

export const PAGE_CSS = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;padding:2rem 1rem;line-height:1.5}
main{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.3rem;margin-top:0}
pre{background:#eef0f4;padding:.6rem .8rem;border-radius:4px;overflow-x:auto}
code,pre{font-family:ui-monospace,monospace}
`;

const page = (title: string, paragraphs: string[]) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  `<title>CamPanel: ${title}</title><link rel="stylesheet" href="${PAGE_CSS_PATH}"></head>` +
  `<body><main><h1>${title}</h1>${paragraphs.join('')}</main></body></html>`;

const WHAT_TO_DO = [
  '<p>Open the Panel URL that <code>campanel serve</code> printed when it started, if it has not been used yet, ' +
    'or get a fresh one on the machine CamPanel runs on:</p>',
  '<pre>npx campanel panel-url</pre>',
  '<p>and open the URL it prints in this browser.</p>',
];

/** A `?token=` that is wrong, already used or expired. */
export const LINK_REFUSED_PAGE = page('This panel link cannot be used', [
  '<p>Each panel link opens the panel once. This one has already been used, has expired, or is not complete.</p>',
  ...WHAT_TO_DO,
]);

/** No token and no (or an ended) session cookie. */
export const NO_SESSION_PAGE = page('Open CamPanel with a panel link', [
  '<p>This browser has no panel session, or its session has ended.</p>',
  ...WHAT_TO_DO,
]);

export const tooManyAttemptsPage = (seconds: number) =>
  page('Too many panel links refused', [
    `<p>Too many wrong or used panel links came from this address. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.</p>`,
    ...WHAT_TO_DO,
  ]);

export const NO_ROOM_PAGE = page('Too many panel sessions', [
  '<p>Every panel session is in use by a logged-in user. Log out in another browser or wait until a session ends, ' +
    'then open this link again (it has not been used up).</p>',
]);
