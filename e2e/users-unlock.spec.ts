import { createAdmin, expect, openTab, test } from './support/fixtures.js';

/** A panel call from the logged-in page, as the panel makes it. */
async function rpc(page: import('@playwright/test').Page, channel: string, payload: unknown): Promise<{ ok: boolean }> {
  return page.evaluate(
    async ({ channel, payload }) => {
      const response = await fetch(`rpc/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
        body: JSON.stringify(payload),
      });
      return (await response.json()) as { ok: boolean };
    },
    { channel, payload },
  );
}

test('Users tab: a locked user is shown with the kind of lock, and Unlock clears it', async ({ page, serve }) => {
  await createAdmin(page, serve);
  expect((await rpc(page, 'addUser', { name: 'bob', role: 'user', password: 'initial-pass-1' })).ok).toBe(true);
  // Six wrong panel logins for bob (the admin's session stays logged in: a failed login changes nothing).
  for (let i = 0; i < 6; i += 1) expect((await rpc(page, 'login', { name: 'bob', password: 'wrong-pass-1' })).ok).toBe(false);

  await openTab(page, 'Users');
  const bobRow = page.getByRole('table').getByRole('row', { name: /bob/ });
  await expect(bobRow).toContainText(/Panel login locked until \d\d:\d\d/);
  await bobRow.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('bob can log in again.')).toBeVisible();
  await expect(bobRow.getByRole('cell').nth(3)).toHaveText('No');
  await expect(bobRow.getByRole('button', { name: 'Unlock' })).toHaveCount(0);
});
