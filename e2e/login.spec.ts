import { ADMIN, createAdmin, expect, logIn, openTab, test } from './support/fixtures.js';
import { cli, freePort, startServe } from './support/serve.js';

test('first run creates the administrator, then the first-run screen and channel are closed', async ({ page, serve }) => {
  await createAdmin(page, serve);
  await expect(page.getByText(ADMIN.name).first()).toBeVisible();

  // The channel refuses a second administrator even when called directly.
  const second = await page.evaluate(async () => {
    const response = await fetch('rpc/createAdmin', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
      body: JSON.stringify({ name: 'mallory', password: 'another-password' }),
    });
    return { status: response.status, body: await response.json() };
  });
  expect(second.status).toBe(403);
  expect(second.body.ok).toBe(false);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in to CamPanel' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Create administrator' })).toHaveCount(0);
});

test('login, wrong password with one message that names neither part, logout', async ({ page, serve }) => {
  await createAdmin(page, serve);
  await page.getByRole('button', { name: 'Log out' }).click();

  await logIn(page, ADMIN.name, 'not-the-password');
  const wrongPassword = await page.getByRole('alert').textContent();
  expect(wrongPassword).toContain('Wrong name or password');

  await logIn(page, 'nobody', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText(wrongPassword ?? '');

  await logIn(page, ADMIN.name, ADMIN.password);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  // Live is the first screen after login.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Live', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  // The password field is gone from the page once logged in.
  await expect(page.locator('input[type="password"]')).toHaveCount(0);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in to CamPanel' })).toBeVisible();
});

test('the panel refuses requests without the token from the printed URL', async ({ page, serve, request }) => {
  const call = await request.post(`${serve.origin}/rpc/sessionState`, {
    headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
    data: {},
  });
  expect(call.status()).toBe(401);
  expect(await call.json()).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'No panel session' } });

  const wrongToken = await page.goto(`${serve.origin}/?token=not-the-token`);
  expect(wrongToken?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'This panel link cannot be used' })).toBeVisible();
  await expect(page.getByText('npx campanel panel-url')).toBeVisible();

  const noToken = await page.goto(`${serve.origin}/`);
  expect(noToken?.status()).toBe(401);

  // With the printed URL, the token is exchanged for an HttpOnly SameSite=Strict cookie and dropped from the address.
  await page.goto(serve.panelUrl);
  await expect(page).toHaveURL(`${serve.origin}/`);
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name.startsWith('campanel_session_'));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
});

test('the panel server answers only on 127.0.0.1 with a strict CSP', async ({ serve, request }) => {
  expect(serve.panelUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  const response = await request.get(serve.panelUrl, { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  const port = new URL(serve.origin).port;
  const rebound = await request.get(`${serve.origin}/`, { headers: { Host: `evil.example:${port}` } });
  expect(rebound.status()).toBe(421);
});

test('the printed URL opens the panel once; campanel panel-url prints a fresh one from the running serve', async ({ page, browser, serve }) => {
  await page.goto(serve.panelUrl);
  await expect(page.getByRole('heading', { name: 'Create administrator' })).toBeVisible();
  // Reopened in the browser that used it, the link keeps that browser's session.
  await page.goto(serve.panelUrl);
  await expect(page.getByRole('heading', { name: 'Create administrator' })).toBeVisible();

  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    const reused = await otherPage.goto(serve.panelUrl);
    expect(reused?.status()).toBe(401);
    await expect(otherPage.getByRole('heading', { name: 'This panel link cannot be used' })).toBeVisible();
    await expect(otherPage.getByText('npx campanel panel-url')).toBeVisible();

    const fresh = await cli(['panel-url', '--data-dir', serve.dataDir]);
    expect(fresh.code, fresh.stderr).toBe(0);
    const url = fresh.stdout.trim();
    expect(url.startsWith(`${serve.origin}/?token=`)).toBe(true);
    await otherPage.goto(url);
    await expect(otherPage).toHaveURL(`${serve.origin}/`);
    await expect(otherPage.getByRole('heading', { name: 'Create administrator' })).toBeVisible();
  } finally {
    await other.close();
  }

  expect(await serve.stop()).toBe(0);
  const stopped = await cli(['panel-url', '--data-dir', serve.dataDir]);
  expect(stopped.code).toBe(1);
  expect(stopped.stderr).toMatch(/^campanel: CamPanel is not running on .+\n$/);
});

test('first run and Account keep what was right and focus the field that was wrong', async ({ page, serve }) => {
  await page.goto(serve.panelUrl);
  await page.getByLabel('Name').fill(ADMIN.name);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Repeat password').fill('something-else-1');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('The passwords do not match')).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue(ADMIN.name);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue(ADMIN.password);
  await expect(page.getByLabel('Repeat password')).toHaveValue('');
  await expect(page.getByLabel('Repeat password')).toBeFocused();

  await page.getByLabel('Repeat password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

  await openTab(page, 'Account');
  await page.getByLabel('Current password').fill('not-the-password');
  await page.getByLabel('New password', { exact: true }).fill('another-horse-2');
  await page.getByLabel('Repeat new password').fill('another-horse-2');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('Current password is not correct')).toBeVisible();
  await expect(page.getByLabel('Current password')).toHaveValue('');
  await expect(page.getByLabel('Current password')).toBeFocused();
  await expect(page.getByLabel('New password', { exact: true })).toHaveValue('another-horse-2');
  await expect(page.getByLabel('Repeat new password')).toHaveValue('another-horse-2');
});

test('the connection indicator appears within 3 s when serve stops and clears by itself when it is back', async ({ page, dataDir }) => {
  const port = await freePort();
  const first = await startServe(dataDir, ['--panel-port', String(port)]);
  let second: Awaited<ReturnType<typeof startServe>> | null = null;
  try {
    await createAdmin(page, first);
    const lost = page.getByTestId('connection-lost');
    await expect(lost).toHaveCount(0);
    const stopped = Date.now();
    const exited = first.stop();
    await expect(lost).toBeVisible({ timeout: 3_000 });
    expect(Date.now() - stopped).toBeLessThan(3_000);
    await exited;
    // The screen underneath stays as it was.
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(lost).toHaveText(/CamPanel is shutting down|Connection to CamPanel lost/);

    second = await startServe(dataDir, ['--panel-port', String(port)]);
    await expect(lost).toHaveCount(0, { timeout: 5_000 });
    await expect(page.getByRole('button', { name: 'Log out' }).or(page.getByRole('heading', { name: 'Panel session ended' }))).toBeVisible();
  } finally {
    await first.stop();
    await second?.stop();
  }
});

