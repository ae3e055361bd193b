import { ADMIN, createAdmin, expect, logIn, openScreen, openTab, test } from './support/fixtures.js';

test('Users tab: add a user who must set a password at first login; reset; remove; guards', async ({ page, serve }) => {
  await createAdmin(page, serve);
  await openTab(page, 'Users');
  const users = page.getByRole('table');
  await expect(users.getByRole('row', { name: /admin/ })).toBeVisible();

  // Add bob with an initial password.
  await page.getByLabel('Name').fill('bob');
  await page.getByLabel('Role').selectOption('user');
  await page.getByLabel('Initial password').fill('initial-pass-1');
  await page.getByRole('button', { name: 'Add user' }).click();
  const bobRow = users.getByRole('row', { name: /bob/ });
  await expect(bobRow).toContainText('user');
  await expect(bobRow).toContainText('Yes'); // initial

  // The administrator cannot remove themselves (the button is disabled, and the server refuses too).
  const adminRow = users.getByRole('row', { name: new RegExp(ADMIN.name) });
  await expect(adminRow.getByRole('button', { name: 'Remove' })).toBeDisabled();
  const self = await page.evaluate(async (name) => {
    const response = await fetch('rpc/removeUser', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
      body: JSON.stringify({ name }),
    });
    return (await response.json()) as { ok: boolean; error?: { message: string } };
  }, ADMIN.name);
  expect(self.ok).toBe(false);
  expect(self.error?.message).toContain('yourself');

  // bob logs in and must set his own password first.
  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, 'bob', 'initial-pass-1');
  await expect(page.getByRole('heading', { name: 'Set your password' })).toBeVisible();
  await page.getByLabel('Current password').fill('initial-pass-1');
  await page.getByLabel('New password', { exact: true }).fill('bobs-own-pass-2');
  await page.getByLabel('Repeat new password').fill('bobs-own-pass-2');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  // bob is not an admin: Settings offers him Account only.
  await openScreen(page, 'Settings');
  await expect(page.getByRole('tablist', { name: 'Settings' }).getByRole('tab')).toHaveText(['Account']);
  await expect(page.getByText('Only administrators can change settings')).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();

  // Admin resets bob's password: bob is initial again.
  await logIn(page, ADMIN.name, ADMIN.password);
  await openTab(page, 'Users');
  await users.getByRole('row', { name: /bob/ }).getByRole('button', { name: 'Reset password' }).click();
  await page.getByLabel('New initial password').fill('reset-pass-3');
  await page.getByRole('button', { name: 'Set initial password' }).click();
  await expect(users.getByRole('row', { name: /bob/ })).toContainText('Yes');

  // Remove bob: the panel's own dialog; Escape cancels and gives the focus back to Remove.
  const removeBob = users.getByRole('row', { name: /bob/ }).getByRole('button', { name: 'Remove' });
  await removeBob.click();
  const dialog = page.getByRole('dialog', { name: 'Remove bob?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(removeBob).toBeFocused();
  await expect(users.getByRole('row', { name: /bob/ })).toHaveCount(1);
  await removeBob.click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(users.getByRole('row', { name: /bob/ })).toHaveCount(0);

  // A message about a user never outlives the user: add carol, remove her, and "added" is gone.
  await page.getByLabel('Name').fill('carol');
  await page.getByLabel('Initial password').fill('initial-pass-4');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText('User carol added.')).toBeVisible();
  await users.getByRole('row', { name: /carol/ }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove carol?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(users.getByRole('row', { name: /carol/ })).toHaveCount(0);
  await expect(page.getByText('User carol added.')).toHaveCount(0);
});
