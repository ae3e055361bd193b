/**
 * Test parts for mail: a throwaway CA and server certificate made with the real `openssl`, real SMTP servers
 * (smtp-server) on 127.0.0.1 that record what they receive, and a small SecretsSections over a real JSON file
 * (the product's implementation lives in electron/secrets/ and is tested there).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

const run = promisify(execFile);

export interface TestCertificates {
  /** The CA certificate a client must trust (PEM). */
  ca: string;
  /** The server's key and certificate for 127.0.0.1 and localhost, signed by that CA. */
  key: string;
  cert: string;
  /** A second, self-signed certificate that no client trusts. */
  untrustedKey: string;
  untrustedCert: string;
}

/** EC keys: quick to make, and enough for a TLS handshake on loopback. */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=CamPanel Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost']);
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial',
    '-out', at('server.pem'), '-days', '2', '-extfile', at('server.ext')]);
  await run('openssl', ['req', '-x509', ...ec, '-keyout', at('other.key'), '-out', at('other.pem'), '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1']);
  const read = (name: string) => readFile(at(name), 'utf8');
  return { ca: await read('ca.pem'), key: await read('server.key'), cert: await read('server.pem'),
    untrustedKey: await read('other.key'), untrustedCert: await read('other.pem') };
}

/** One mail as the server received it: the envelope, whether the session was encrypted, who logged in, the bytes. */
export interface ReceivedMail {
  from: string;
  to: string[];
  secure: boolean;
  user: string | undefined;
  raw: string;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** The credentials onAuth saw (the password included: the test checks what really went over the wire). */
  logins: { user: string; password: string }[];
  /** What the server reported as errors (sessions the client broke off). */
  errors: Error[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1, port 0. Options pass through; onData records the mail unless given. */
export async function startSmtp(options: SMTPServerOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const logins: { user: string; password: string }[] = [];
  const userAuth = options.onAuth;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    ...options,
    onAuth(auth, session, callback) {
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (userAuth) return userAuth(auth, session, callback);
      callback(null, { user: auth.username });
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  // A client that gives up mid-handshake (an untrusted certificate) is an 'error' event here, not a test failure.
  const errors: Error[] = [];
  server.on('error', (error) => errors.push(error));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, logins, errors, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A TCP server that accepts and never says a word: an SMTP client waits for a greeting that never comes. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on (bound, read, released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Headers (lower-cased names, unfolded) and the text body of a simple mail, quoted-printable decoded. */
export function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}
