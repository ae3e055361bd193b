/**
 * Passwords come from standard input, never from argv (argv is visible to every user in `ps`).
 * On a terminal the input is not echoed and is asked twice; from a pipe the first line is used.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

async function readLine(prompt: string, muted: boolean): Promise<string> {
  let mute = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!mute) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: muted });
  process.stderr.write(prompt);
  mute = muted;
  try {
    const line = await new Promise<string | null>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(null));
    });
    if (muted) process.stderr.write('\n');
    if (line === null) throw new Error('No password given on standard input');
    return line;
  } finally {
    rl.close();
  }
}

/** A new secret: asked twice on a terminal (a typo would lock its owner out), once from a pipe. */
export async function readNewPassword(label = 'Password'): Promise<string> {
  if (!process.stdin.isTTY) return readLine('', false);
  const first = await readLine(`${label}: `, true);
  const second = await readLine(`Repeat ${label.toLowerCase()}: `, true);
  if (first !== second) throw new Error(`The ${label.toLowerCase()}s do not match`);
  return first;
}

/** An existing secret (to unlock or confirm with): asked once, not echoed on a terminal. */
export async function readPassword(prompt = 'Password: '): Promise<string> {
  return readLine(process.stdin.isTTY ? prompt : '', process.stdin.isTTY === true);
}
