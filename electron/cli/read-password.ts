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

export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readLine('', false);
  const first = await readLine('Password: ', true);
  const second = await readLine('Repeat password: ', true);
  if (first !== second) throw new Error('The passwords do not match');
  return first;
}
