import { describe, expect, it } from 'vitest';
import { LINK_REFUSED_PAGE, NO_ROOM_PAGE, NO_SESSION_PAGE, PAGE_CSS, PAGE_CSS_PATH, tooManyAttemptsPage } from './panel-pages.js';

const pages = { LINK_REFUSED_PAGE, NO_SESSION_PAGE, NO_ROOM_PAGE, tooMany: tooManyAttemptsPage(7) };

describe('panel pages', () => {
  it.each(Object.entries(pages))('%s is styled only by the served stylesheet (the CSP allows no inline style or script)', (_name, html) => {
    expect(html).toContain(`<link rel="stylesheet" href="${PAGE_CSS_PATH}">`);
    expect(html).not.toMatch(/<style|\sstyle=|<script|\son[a-z]+=/i);
    expect(html).toContain('<header class="topbar"><span>CamPanel</span></header>');
  });

  it.each(Object.entries({ LINK_REFUSED_PAGE, NO_SESSION_PAGE, tooMany: pages.tooMany }))(
    '%s says both ways to a working link',
    (_name, html) => {
      expect(html).toContain('<code>campanel serve</code>');
      expect(html).toContain('<code>npx campanel panel-url</code>');
    },
  );

  it('counts the wait in words', () => {
    expect(tooManyAttemptsPage(1)).toContain('Try again in 1 second.');
    expect(tooManyAttemptsPage(30)).toContain('Try again in 30 seconds.');
  });

  it('uses the panel’s colours: the dark top bar and the accent', () => {
    expect(PAGE_CSS).toContain('.topbar{background:#161a1e');
    expect(PAGE_CSS).toContain('#1f5fbf');
  });
});
