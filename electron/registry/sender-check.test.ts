import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './sender-check.js';

const page = 'campanel://app/index.html';
const mainFrame = (url: string) => ({ url, parent: null });

describe('isTrustedSender', () => {
  it('accepts the main frame of our window showing our page', () => {
    expect(isTrustedSender(mainFrame(page), true, page)).toBe(true);
    expect(isTrustedSender(mainFrame(`${page}#/settings`), true, page)).toBe(true);
  });

  it('refuses the same page when the window is not ours', () => {
    expect(isTrustedSender(mainFrame(page), false, page)).toBe(false);
  });

  it('accepts our page in the main frame but refuses it in a subframe', () => {
    expect(isTrustedSender({ url: page, parent: null }, true, page)).toBe(true);
    expect(isTrustedSender({ url: page, parent: { url: page } }, true, page)).toBe(false);
  });

  it('accepts our origin but refuses another origin', () => {
    expect(isTrustedSender(mainFrame(page), true, page)).toBe(true);
    expect(isTrustedSender(mainFrame('https://evil.example/index.html'), true, page)).toBe(false);
  });

  it('accepts our page but refuses about:blank', () => {
    expect(isTrustedSender(mainFrame(page), true, page)).toBe(true);
    expect(isTrustedSender(mainFrame('about:blank'), true, page)).toBe(false);
  });

  it.each([
    ['a file URL', 'file:///opt/campanel/out/renderer/index.html'],
    ['a file URL of the same path', 'file:///index.html'],
    ['our page in a query string', `https://evil/?${page}`],
    ['our page after a query', `https://evil.example/?next=${page}`],
    ['a lookalike host', 'campanel://app.evil/index.html'],
    ['a host with our name as a label', 'campanel://evil.app/index.html'],
    ['user info before our host', 'campanel://user@app/index.html'],
    ['a password before our host', 'campanel://user:pw@app/index.html'],
    ['our host with a port', 'campanel://app:80/index.html'],
    ['another page of ours', 'campanel://app/assets/index.html'],
    ['a lookalike path', 'campanel://app/index.html.evil'],
    ['another scheme, same host and path', 'app://app/index.html'],
    ['https with our host and path', 'https://app/index.html'],
    ['not a URL', 'not a url'],
    ['data URL', 'data:text/html,<script>1</script>'],
  ])('refuses %s', (_name, url) => {
    expect(isTrustedSender(mainFrame(url), true, page)).toBe(false);
  });

  it('refuses a frame that is gone', () => {
    expect(isTrustedSender(null, true, page)).toBe(false);
    expect(isTrustedSender(undefined, true, page)).toBe(false);
  });
});
