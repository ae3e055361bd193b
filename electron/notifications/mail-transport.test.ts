/**
 * sendMail against real SMTP servers on 127.0.0.1 (smtp-server), with a CA and certificates made by openssl:
 * each way a send can fail gets its own plain-words message, and no message ever holds the password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeMailFailure, sendMail, withoutSecret, type MailServer, type MailTransportOptions } from './mail-transport.js';
import { closedPort, makeCertificates, parseMail, startSilentServer, startSmtp, type TestCertificates } from './test-mail-kit.js';

const PASSWORD = 'Zebra-Quokka-42!';
const MESSAGE = { subject: 'Porch camera', text: 'Motion at the porch.\nSecond line.' };
const SHORT = { connection: 1_000, greeting: 1_000, socket: 1_000, total: 5_000 };

let dir: string;
let certs: TestCertificates;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  execFileSync('openssl', ['version']);
  dir = await mkdtemp(join(tmpdir(), 'cp-mail-'));
  certs = await makeCertificates(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function server(port: number, overrides: Partial<MailServer> = {}): MailServer {
  return { host: '127.0.0.1', port, tls: 'none', user: 'cam', password: PASSWORD, sender: 'cam@example.org', recipient: 'me@example.net', ...overrides };
}

async function smtp(options: Parameters<typeof startSmtp>[0]) {
  const started = await startSmtp(options);
  cleanups.push(started.close);
  return started;
}

const trusted = (): MailTransportOptions => ({ timeouts: SHORT, tls: { ca: certs.ca } });

describe('sending', () => {
  it('sends over plain SMTP with a login, and the server receives subject, sender, recipient and body', async () => {
    const mail = await smtp({ allowInsecureAuth: true, disabledCommands: ['STARTTLS'] });
    const result = await sendMail(server(mail.port), MESSAGE, { timeouts: SHORT });
    expect(result).toEqual({ ok: true, message: `The mail server 127.0.0.1:${mail.port} accepted the mail to me@example.net.` });
    expect(mail.logins).toEqual([{ user: 'cam', password: PASSWORD }]);
    expect(mail.received).toHaveLength(1);
    const [received] = mail.received;
    expect(received?.from).toBe('cam@example.org');
    expect(received?.to).toEqual(['me@example.net']);
    expect(received?.secure).toBe(false);
    const parsed = parseMail(received?.raw ?? '');
    expect(parsed.headers.subject).toBe('Porch camera');
    expect(parsed.headers.from).toBe('cam@example.org');
    expect(parsed.headers.to).toBe('me@example.net');
    expect(parsed.body.trim()).toBe('Motion at the porch.\nSecond line.');
  });

  it("'none' stays plain even when the server offers STARTTLS", async () => {
    const mail = await smtp({ key: certs.key, cert: certs.cert, allowInsecureAuth: true });
    const result = await sendMail(server(mail.port, { user: '', password: '' }), MESSAGE, trusted());
    expect(result.ok).toBe(true);
    expect(mail.received[0]?.secure).toBe(false);
    expect(mail.logins).toEqual([]);
  });

  it("'starttls' upgrades before logging in, trusting the injected CA", async () => {
    const mail = await smtp({ key: certs.key, cert: certs.cert });
    const result = await sendMail(server(mail.port, { tls: 'starttls' }), MESSAGE, trusted());
    expect(result.ok).toBe(true);
    expect(mail.received[0]?.secure).toBe(true);
    expect(mail.logins).toEqual([{ user: 'cam', password: PASSWORD }]);
  });

  it("'tls' speaks TLS from the first byte", async () => {
    const mail = await smtp({ secure: true, key: certs.key, cert: certs.cert });
    const result = await sendMail(server(mail.port, { tls: 'tls' }), MESSAGE, trusted());
    expect(result.ok).toBe(true);
    expect(mail.received[0]?.secure).toBe(true);
  });
});

describe('failures, each in its own words', () => {
  it('wrong credentials', async () => {
    const mail = await smtp({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (_auth, _session, callback) => callback(new Error('Invalid username or password')),
    });
    const result = await sendMail(server(mail.port), MESSAGE, { timeouts: SHORT });
    expect(result).toEqual({ ok: false, message: `The mail server 127.0.0.1:${mail.port} refused the user name or password.` });
    expect(mail.received).toEqual([]);
  });

  it('a user name without a stored password is refused before connecting', async () => {
    const mail = await smtp({ allowInsecureAuth: true, disabledCommands: ['STARTTLS'] });
    const result = await sendMail(server(mail.port, { password: '' }), MESSAGE, { timeouts: SHORT });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/no mail password is stored/);
    expect(mail.logins).toEqual([]);
  });

  it('connection refused', async () => {
    const port = await closedPort();
    const result = await sendMail(server(port), MESSAGE, { timeouts: SHORT });
    expect(result).toEqual({ ok: false, message: `Nothing accepts connections at 127.0.0.1:${port} (connection refused). Check the host and port.` });
  });

  it('a server that never greets times out within the injected greeting timeout', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const result = await sendMail(server(silent.port), MESSAGE, { timeouts: { ...SHORT, greeting: 300 } });
    expect(result).toEqual({ ok: false, message: `The mail server 127.0.0.1:${silent.port} did not answer in time.` });
  });

  // The phase timeouts here are longer than the test's own limit: only the total deadline can end this send in time.
  it('the total deadline ends a wait that each phase alone would allow', { timeout: 10_000 }, async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const timeouts = { connection: 60_000, greeting: 60_000, socket: 60_000, total: 300 };
    const result = await sendMail(server(silent.port), MESSAGE, { timeouts });
    expect(result).toEqual({ ok: false, message: `The mail server 127.0.0.1:${silent.port} did not answer in time.` });
  });

  it('a host name that does not exist', async () => {
    const result = await sendMail(server(25, { host: 'no-such-mail-host.invalid' }), MESSAGE, { timeouts: SHORT });
    expect(result.ok).toBe(false);
    expect(result.message).toBe("The host name no-such-mail-host.invalid could not be found. Check the spelling, or enter the server's IP address.");
  });

  it("'starttls' refuses a server that does not offer STARTTLS, before sending the password", async () => {
    const mail = await smtp({ allowInsecureAuth: true, disabledCommands: ['STARTTLS'] });
    const result = await sendMail(server(mail.port, { tls: 'starttls' }), MESSAGE, { timeouts: SHORT });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^The mail server 127\\.0\\.0\\.1:${mail.port} does not offer STARTTLS`));
    expect(mail.logins).toEqual([]);
    expect(mail.received).toEqual([]);
  });

  it('a certificate from an unknown CA is not trusted (STARTTLS)', async () => {
    const mail = await smtp({ key: certs.key, cert: certs.cert });
    const result = await sendMail(server(mail.port, { tls: 'starttls' }), MESSAGE, { timeouts: SHORT });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^The certificate of 127\\.0\\.0\\.1:${mail.port} is not trusted \\(.+\\)`));
    expect(mail.logins).toEqual([]);
  });

  it('a self-signed certificate is not trusted (TLS)', async () => {
    const mail = await smtp({ secure: true, key: certs.untrustedKey, cert: certs.untrustedCert });
    const result = await sendMail(server(mail.port, { tls: 'tls' }), MESSAGE, trusted());
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^The certificate of .* is not trusted \(self[- ]signed certificate\)/);
  });

  it("'tls' against a plain server is a TLS problem, with a hint about STARTTLS", async () => {
    const mail = await smtp({ disabledCommands: ['STARTTLS'] });
    const result = await sendMail(server(mail.port, { tls: 'tls' }), MESSAGE, trusted());
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^No encrypted connection could be made to 127\.0\.0\.1:\d+ \(wrong version number\)\. If the port expects STARTTLS/);
  });

  it('a refused recipient names the recipient and quotes the reply', async () => {
    const mail = await smtp({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('No such user here'), { responseCode: 550 })),
    });
    const result = await sendMail(server(mail.port), MESSAGE, { timeouts: SHORT });
    expect(result).toEqual({ ok: false, message: `The mail server 127.0.0.1:${mail.port} refused the recipient me@example.net. The server said: 550 No such user here` });
  });

  it('a refused sender address', async () => {
    const mail = await smtp({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onMailFrom: (_address, _session, callback) => callback(Object.assign(new Error('Sender not allowed'), { responseCode: 553 })),
    });
    const result = await sendMail(server(mail.port), MESSAGE, { timeouts: SHORT });
    expect(result.message).toBe(`The mail server 127.0.0.1:${mail.port} refused the sender address cam@example.org. The server said: 553 Sender not allowed`);
  });

  it('a server that wants a login, sent none', async () => {
    const mail = await smtp({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
    });
    const result = await sendMail(server(mail.port, { user: '', password: '' }), MESSAGE, { timeouts: SHORT });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^The mail server 127\\.0\\.0\\.1:${mail.port} requires a login: enter a user name and password\\.`));
  });
});

describe('the password never appears', () => {
  it('not even when a server echoes it back in its reply', async () => {
    const mail = await smtp({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onRcptTo: (_address, session, callback) =>
        callback(Object.assign(new Error(`rejected, you sent ${PASSWORD} as ${Buffer.from(`\0cam\0${PASSWORD}`).toString('base64')}`), { responseCode: 550 })),
    });
    const result = await sendMail(server(mail.port), MESSAGE, { timeouts: SHORT });
    expect(mail.logins).toEqual([{ user: 'cam', password: PASSWORD }]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the recipient/);
    expect(result.message).not.toContain(PASSWORD);
    expect(result.message).not.toContain(Buffer.from(`\0cam\0${PASSWORD}`).toString('base64'));
    expect(result.message).toContain('[redacted]');
  });

  it('in any failure message above', async () => {
    const port = await closedPort();
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const bad = await smtp({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _session, callback) => callback(new Error(`Invalid password ${auth.password ?? ''}`)),
    });
    const results = await Promise.all([
      sendMail(server(port), MESSAGE, { timeouts: SHORT }),
      sendMail(server(silent.port), MESSAGE, { timeouts: { ...SHORT, greeting: 200 } }),
      sendMail(server(bad.port), MESSAGE, { timeouts: SHORT }),
      sendMail(server(bad.port, { tls: 'starttls' }), MESSAGE, { timeouts: SHORT }),
    ]);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.message).not.toContain(PASSWORD);
    }
  });
});

describe('describeMailFailure and withoutSecret', () => {
  const at = { host: 'mail.example.org', port: 587, tls: 'starttls' as const, sender: 's@example.org', recipient: 'r@example.org' };

  it('tells the failures apart by code, even without a server', () => {
    expect(describeMailFailure(Object.assign(new Error('x'), { code: 'EDNS', originalCode: 'EAI_AGAIN' }), at)).toMatch(/could not be found/);
    expect(describeMailFailure(Object.assign(new Error('x'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), at)).toMatch(/connection refused/);
    expect(describeMailFailure(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }), { ...at, port: 465 })).toMatch(/choose TLS/);
    expect(describeMailFailure(Object.assign(new Error('Weird'), { code: 'EPROTOCOL' }), at)).toBe('The mail could not be sent through mail.example.org:587 (EPROTOCOL).');
    expect(describeMailFailure('plain text', at)).toBe('The mail could not be sent through mail.example.org:587 (plain text).');
  });

  it('removes the password in plain text and base64, and leaves other text alone', () => {
    const b64 = Buffer.from('s3cret-value').toString('base64');
    expect(withoutSecret(`a s3cret-value b ${b64} c`, 's3cret-value')).toBe('a [redacted] b [redacted] c');
    expect(withoutSecret('550 mailbox unavailable', 's3cret-value')).toBe('550 mailbox unavailable');
    expect(withoutSecret('anything', '')).toBe('anything');
  });
});
