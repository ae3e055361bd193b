/**
 * Sends one mail through an SMTP server with nodemailer: notifications and the test mail. A failed send is an
 * answer ({ ok: false, message }), never a throw, and its message says in plain words what went wrong
 * (wrong password, nothing listening, no answer, unknown host, TLS, refused address) without ever holding the password.
 *
 * Certificates are always verified, against Node's CAs plus NODE_EXTRA_CA_CERTS (read at process start: that is
 * how a site adds its own CA). Tests pass their CA through `tls.ca` instead, since they cannot restart the process.
 */
import { createTransport } from 'nodemailer';
import type { MailTestResult, MailTlsMode } from '../../shared/domain.js';

/** Everything needed to reach the server and address the mail; the password comes from the secrets file. */
export interface MailServer {
  host: string;
  port: number;
  tls: MailTlsMode;
  user: string;
  password: string;
  sender: string;
  recipient: string;
}

export interface MailMessage {
  subject: string;
  text: string;
}

/** Milliseconds. The phases run one after another, so `total` is what bounds the wait as a whole. */
export interface MailTimeouts {
  connection: number;
  greeting: number;
  socket: number;
  total: number;
}

/** Each phase may take 10 s, but no send waits longer than 15 s: the panel shows an answer, not a spinner. */
export const DEFAULT_MAIL_TIMEOUTS: MailTimeouts = { connection: 10_000, greeting: 10_000, socket: 10_000, total: 15_000 };

export interface MailTransportOptions {
  timeouts?: Partial<MailTimeouts>;
  /** Extra trusted CA certificates (PEM). Tests only: the product trusts the system store and NODE_EXTRA_CA_CERTS. */
  tls?: { ca?: string | string[] };
}

/** nodemailer's error fields that tell the failures apart; `originalCode` keeps the system code (ECONNREFUSED…). */
interface SendFailure {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
  cause?: unknown;
}

export async function sendMail(server: MailServer, message: MailMessage, options: MailTransportOptions = {}): Promise<MailTestResult> {
  const timeouts = { ...DEFAULT_MAIL_TIMEOUTS, ...options.timeouts };
  // Checked here because nodemailer would only say "Missing credentials for PLAIN".
  if (server.user !== '' && server.password === '') {
    return { ok: false, message: `A user name (${server.user}) is set but no mail password is stored. Enter the password and save.` };
  }
  const transport = createTransport({
    host: server.host,
    port: server.port,
    // 'none': stay plain even when STARTTLS is offered (a local relay); 'starttls': refuse a server without it.
    secure: server.tls === 'tls',
    ignoreTLS: server.tls === 'none',
    requireTLS: server.tls === 'starttls',
    auth: server.user === '' ? undefined : { user: server.user, pass: server.password },
    connectionTimeout: timeouts.connection,
    greetingTimeout: timeouts.greeting,
    socketTimeout: timeouts.socket,
    dnsTimeout: timeouts.connection,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(options.tls?.ca ? { ca: options.tls.ca } : {}) },
    // nodemailer's own log would show the SMTP dialogue, AUTH included.
    logger: false,
    debug: false,
  });
  try {
    await transport.sendMail({
      from: server.sender,
      to: server.recipient,
      subject: message.subject,
      text: message.text,
      signal: AbortSignal.timeout(timeouts.total),
    });
    return { ok: true, message: `The mail server ${server.host}:${server.port} accepted the mail to ${server.recipient}.` };
  } catch (error) {
    return { ok: false, message: withoutSecret(describeMailFailure(error, server), server.password) };
  } finally {
    transport.close();
  }
}

/** A TLS verification failure as Node reports it (codes from OpenSSL, plus Node's host name check). */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;
const CERTIFICATE_TEXT = /certificate|self[- ]signed|altnames/i;

/** One failure in plain words. The server's reply is quoted only where it helps, and cut short. */
export function describeMailFailure(error: unknown, server: Pick<MailServer, 'host' | 'port' | 'tls' | 'sender' | 'recipient'>): string {
  const failure: SendFailure = typeof error === 'object' && error !== null ? (error as SendFailure) : { message: String(error) };
  const at = `${server.host}:${server.port}`;
  const system = failure.originalCode ?? failure.code;
  const text = failure.message ?? '';
  const reply = failure.response ? ` The server said: ${short(failure.response)}` : '';

  if (failure.code === 'EAUTH' || failure.responseCode === 535) {
    return `The mail server ${at} refused the user name or password.`;
  }
  if (system === 'ECONNREFUSED') {
    return `Nothing accepts connections at ${at} (connection refused). Check the host and port.`;
  }
  if (system === 'ENOTFOUND' || system === 'EAI_AGAIN' || failure.code === 'EDNS') {
    return `The host name ${server.host} could not be found. Check the spelling, or enter the server's IP address.`;
  }
  if (failure.code === 'ETIMEDOUT' || failure.code === 'EABORT' || system === 'ETIMEDOUT') {
    const hint = server.tls !== 'tls' && server.port === 465 ? ' Port 465 usually expects TLS from the first byte: choose TLS.' : '';
    return `The mail server ${at} did not answer in time.${hint}`;
  }
  if (failure.code === 'ETLS' && failure.command === 'STARTTLS' && failure.responseCode !== undefined) {
    return `The mail server ${at} does not offer STARTTLS, so the mail and password would travel unencrypted. Choose TLS if the port expects it, or plain SMTP only for a trusted local relay.`;
  }
  if (CERTIFICATE_CODES.test(system ?? '') || (isTlsFailure(failure) && CERTIFICATE_TEXT.test(text))) {
    return `The certificate of ${at} is not trusted (${tlsReason(text)}). Its CA must be in the system's trust store or in NODE_EXTRA_CA_CERTS.`;
  }
  if (isTlsFailure(failure)) {
    const hint = server.tls === 'tls' ? ' If the port expects STARTTLS (usually 587), choose STARTTLS.' : '';
    return `No encrypted connection could be made to ${at} (${tlsReason(text)}).${hint}`;
  }
  if (failure.responseCode === 530 || failure.responseCode === 534) {
    return `The mail server ${at} requires a login: enter a user name and password.${reply}`;
  }
  if (failure.code === 'EENVELOPE' && failure.command === 'RCPT TO') {
    return `The mail server ${at} refused the recipient ${server.recipient}.${reply}`;
  }
  if (failure.code === 'EENVELOPE' && failure.command === 'MAIL FROM') {
    return `The mail server ${at} refused the sender address ${server.sender}.${reply}`;
  }
  if (failure.code === 'ECONNECTION' || system === 'ECONNRESET' || system === 'EPIPE') {
    return `The mail server ${at} closed the connection unexpectedly.${reply}`;
  }
  if (failure.responseCode !== undefined) {
    return `The mail server ${at} refused the mail.${reply}`;
  }
  return `The mail could not be sent through ${at} (${short(system ?? text) || 'unknown error'}).`;
}

function isTlsFailure(failure: SendFailure): boolean {
  return failure.code === 'ETLS' || /ssl|tls/i.test(failure.message ?? '') || /^ERR_SSL_|^ERR_TLS_/.test(failure.originalCode ?? '');
}

/**
 * "Error initiating TLS - self-signed certificate" → "self-signed certificate"; OpenSSL's
 * "…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:355:" → "wrong version number".
 */
function tlsReason(text: string): string {
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(text);
  return short(openssl?.[1] ?? text.replace(/^Error initiating TLS - /, '')) || 'TLS failed';
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/**
 * A server's reply is quoted in some messages, and a hostile or confused server could echo what it was sent:
 * the password, plain or inside AUTH PLAIN / LOGIN's base64. Neither form ever leaves this module: every
 * base64-looking run is decoded, and dropped when it holds the password.
 */
export function withoutSecret(text: string, password: string): string {
  if (password === '') return text;
  const secret = Buffer.from(password);
  return text
    .split(password)
    .join('[redacted]')
    .replace(/[A-Za-z0-9+/]{4,}={0,2}/g, (run) => (Buffer.from(run, 'base64').includes(secret) ? '[redacted]' : run));
}
