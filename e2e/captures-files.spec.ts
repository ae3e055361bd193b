/**
 * Black-box: the panel's capture files are served only through a logged-in panel session, and nothing
 * outside the photo directory can be read, whatever the request path says (raw, encoded, backslashes,
 * symlinks). Requests are sent with node:http so the path reaches the server exactly as written.
 */
import { request } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, startCameraServe, type CameraServe } from './support/camera-serve.js';
import { logIn } from './support/fixtures.js';

interface Answer {
  status: number;
  type: string;
  body: Buffer;
}

function get(origin: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET_MARK = 'do-not-serve-this-file';

let camera: CameraServe;
let cookie = '';

test.beforeAll(async ({ browser }) => {
  camera = await startCameraServe();
  const photos = join(camera.dataDir, 'photos', 'camera_0');
  await mkdir(photos, { recursive: true });
  await writeFile(join(camera.dataDir, 'private.jpg'), SECRET_MARK);
  await writeFile(join(camera.dataDir, 'photos', 'outside-camera.jpg'), SECRET_MARK);
  await writeFile(join(photos, 'inside.jpg'), 'not really a jpeg, but inside the photo directory');
  await symlink(join(camera.dataDir, 'private.jpg'), join(photos, 'leak.jpg'));
  await symlink('/etc/passwd', join(photos, 'passwd.jpg'));

  const page = await browser.newPage();
  await page.goto(camera.serve.panelUrl);
  await logIn(page, ALICE.name, ALICE.password);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const cookies = await page.context().cookies();
  cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  await page.close();
});
test.afterAll(async () => camera?.close());

test('a capture inside the photo directory is served to the session, with ranges; nobody else gets it', async () => {
  const whole = await get(camera.serve.origin, '/media/captures/camera_0/inside.jpg', { Cookie: cookie });
  expect(whole.status).toBe(200);
  expect(whole.type).toBe('image/jpeg');
  expect(whole.body.toString()).toContain('inside the photo directory');

  const part = await get(camera.serve.origin, '/media/captures/camera_0/inside.jpg', { Cookie: cookie, Range: 'bytes=0-6' });
  expect(part.status).toBe(206);
  expect(part.body.toString()).toBe('not rea');

  const anonymous = await get(camera.serve.origin, '/media/captures/camera_0/inside.jpg');
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.toString()).not.toContain('inside the photo directory');
});

const ATTEMPTS = [
  '/media/captures/camera_0/../../private.jpg',
  '/media/captures/camera_0/..%2f..%2fprivate.jpg',
  '/media/captures/camera_0/%2e%2e/%2e%2e/private.jpg',
  '/media/captures/camera_0/%2E%2E%2F%2E%2E%2Fprivate.jpg',
  '/media/captures/camera_0/..%5c..%5cprivate.jpg',
  '/media/captures/camera_0/..\\..\\private.jpg',
  '/media/captures/..%2fprivate.jpg',
  '/media/captures/outside-camera.jpg',
  '/media/captures/camera_0//etc/passwd',
  '/media/captures//etc/passwd',
  '/media/captures/%2fetc%2fpasswd',
  '/media/captures/camera_0/leak.jpg',
  '/media/captures/camera_0/passwd.jpg',
  '/media/captures/camera_0/inside.jpg%00.png',
  '/media/captures/camera_0/%252e%252e%252fprivate.jpg',
  '/media/thumbs/camera_0/../../private.jpg',
  '/media/thumbs/camera_0/leak.jpg',
  `/media/captures/camera_0/${'a'.repeat(5000)}.jpg`,
];

for (const path of ATTEMPTS) {
  test(`path traversal refused: ${path.slice(0, 80)}`, async () => {
    const answer = await get(camera.serve.origin, path, { Cookie: cookie });
    expect([400, 404, 414, 431]).toContain(answer.status);
    const text = answer.body.toString();
    expect(text).not.toContain(SECRET_MARK);
    expect(text).not.toContain('root:');
    if (answer.status === 400 || answer.status === 404) expect(answer.type).toMatch(/json|text\/plain/);
  });
}
