/**
 * The node:http server under the API port (docs/compatibility.md §3.7). It keeps a slow or greedy client from
 * holding the listener (timeouts for headers, bodies and idle connections; a bound on connections per client
 * address) and answers what never reaches a route (framing errors, CONNECT, Expect, a missing or repeated
 * Host, the listener closing) in the dialect's JSON, written here because Fastify and Node would otherwise
 * answer in their own shapes, with an empty body, or not at all. Nothing the client sent is ever echoed.
 * Streams (long-lived.ts) are exempt from every timeout: they run until the client leaves.
 */
import { METHODS, STATUS_CODES, createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConnectionsPerAddress } from './connections-per-address.js';
import { IdleConnections } from './idle-connections.js';
import type { LongLivedConnections } from './long-lived.js';

export interface ListenerLimits {
  /** Headers must be complete this long after a request (or the connection) starts. */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived this long after it started. */
  requestTimeoutMs: number;
  /** How often Node looks for requests past those limits: a stalled request is answered within limit + interval. */
  checkIntervalMs: number;
  /** A connection with no traffic either way for this long is closed (a client that stopped reading its answer). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Open connections one client address may hold, streams included. */
  maxConnectionsPerAddress: number;
}

/**
 * A stalled request is answered 408 within 10 s. 64 connections per address leave room for a Home Assistant
 * with 32 camera entities streaming and polling snapshots at once; a bench with 32 connections fits too.
 */
export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  headersTimeoutMs: 9000,
  requestTimeoutMs: 9000,
  checkIntervalMs: 1000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5000,
  maxConnectionsPerAddress: 64,
};

/** Every method Node parses but CONNECT (answered here): the routes answer each, a known URL with 405 at least. */
export const ROUTABLE_METHODS: readonly string[] = METHODS.filter((method) => method !== 'CONNECT');

/** The dialect's JSON bodies for the listener's own answers. */
export interface ListenerAnswers {
  badRequest: Buffer;
  requestTimeout: Buffer;
  headersTooLarge: Buffer;
  bodyTooLarge: Buffer;
  expectationFailed: Buffer;
  methodNotAllowed: Buffer;
  tooManyConnections: Buffer;
  unavailable: Buffer;
}

/** After answering a broken request, the client gets this long to read the answer before the socket goes. */
const LINGER_MS = 1000;

/** A socket whose in-flight response (if any) Node tracks here; Node's own clientError fallback reads it too. */
type HttpSocket = Duplex & { _httpMessage?: ServerResponse | null };

export class HttpListener {
  /** Set once the listener starts closing: new requests get 503, in-flight ones finish. */
  closing = false;
  readonly #limits: ListenerLimits;
  readonly #answers: ListenerAnswers;
  readonly #longLived: LongLivedConnections;
  readonly #connections: ConnectionsPerAddress;
  /** Sockets over the per-address limit: their requests are answered 503 and never reach a route. */
  readonly #refused = new WeakSet<Socket>();
  /** Open refused sockets: while there are none, requests skip the lookup (the hot path stays short). */
  #refusedOpen = 0;
  readonly #rawAnswers: Record<'badRequest' | 'requestTimeout' | 'headersTooLarge' | 'bodyTooLarge' | 'connect', Buffer>;

  constructor(limits: ListenerLimits, answers: ListenerAnswers, longLived: LongLivedConnections) {
    this.#limits = limits;
    this.#answers = answers;
    this.#longLived = longLived;
    this.#connections = new ConnectionsPerAddress(limits.maxConnectionsPerAddress);
    this.#rawAnswers = {
      badRequest: rawAnswer(400, answers.badRequest),
      requestTimeout: rawAnswer(408, answers.requestTimeout),
      headersTooLarge: rawAnswer(431, answers.headersTooLarge),
      bodyTooLarge: rawAnswer(413, answers.bodyTooLarge),
      // This server is no proxy: no method is allowed on a CONNECT target, hence the empty Allow (RFC 9110 §10.2.1).
      connect: rawAnswer(405, answers.methodNotAllowed, 'Allow: \r\n'),
    };
  }

  /** Fastify's serverFactory: the server, with `route` (Fastify's handler) behind the listener's checks. */
  createServer(route: RequestListener): Server {
    const limits = this.#limits;
    const server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: limits.checkIntervalMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // Checked below, so that the refusal is JSON (Node's own is an empty 400).
        requireHostHeader: false,
      },
      (request, response) => {
        const refusal = this.#refusal(request);
        if (refusal) refuse(response, refusal.status, refusal.body);
        else route(request, response);
      },
    );
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    const idle = new IdleConnections(limits.idleTimeoutMs, (socket) => this.#longLived.has(socket));
    server.on('listening', () => idle.start());
    server.on('close', () => idle.stop());
    server.on('connection', (socket: Socket) => {
      const verdict = this.#connections.admit(socket);
      if (verdict === 'drop') {
        socket.destroy();
        return;
      }
      idle.track(socket);
      if (verdict === 'refuse') {
        this.#refused.add(socket);
        this.#refusedOpen++;
        socket.once('close', () => this.#refusedOpen--);
      }
    });
    server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => refuse(response, 417, this.#answers.expectationFailed));
    // Without a listener Node drops a CONNECT without a word.
    server.on('connect', (_request: IncomingMessage, socket: Duplex) => endWith(socket, this.#rawAnswers.connect));
    return server;
  }

  /**
   * Fastify's clientErrorHandler: Node's parser refused the bytes (bad method, version, framing, URL, header
   * size) or a request ran past its time. Nothing of the request (Node attaches it as rawPacket) is used.
   */
  readonly clientError = (error: NodeJS.ErrnoException, socket: HttpSocket): void => {
    // A stream's socket carries MJPEG: never write an answer into it, and bytes its client sends after the
    // request (or fails to finish) do not end the stream.
    if (this.#longLived.has(socket)) return;
    const answer = this.#rawAnswerFor(error.code);
    // Socket errors (reset, broken pipe) have no answer; nor does a socket already answered or mid-response.
    if (!answer || !socket.writable || socket.writableEnded || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    endWith(socket, answer);
  };

  #rawAnswerFor(code: string | undefined): Buffer | undefined {
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return this.#rawAnswers.requestTimeout;
    if (code === 'HPE_HEADER_OVERFLOW') return this.#rawAnswers.headersTooLarge;
    if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return this.#rawAnswers.bodyTooLarge;
    return code?.startsWith('HPE_') ? this.#rawAnswers.badRequest : undefined;
  }

  #refusal(request: IncomingMessage): { status: number; body: Buffer } | null {
    if (this.#refusedOpen > 0 && this.#refused.has(request.socket)) return { status: 503, body: this.#answers.tooManyConnections };
    if (this.closing) return { status: 503, body: this.#answers.unavailable };
    // HTTP/1.1 requires exactly one Host (RFC 9112 §3.2); a second one could make parts of the stack disagree.
    const hosts = hostHeaders(request.rawHeaders);
    if (hosts > 1 || (hosts === 0 && request.httpVersionMajor === 1 && request.httpVersionMinor >= 1)) {
      return { status: 400, body: this.#answers.badRequest };
    }
    return null;
  }
}

function hostHeaders(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name !== undefined && name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
}

function refuse(response: ServerResponse, status: number, body: Buffer): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' }).end(body);
}

function rawAnswer(status: number, body: Buffer, extraHeaders = ''): Buffer {
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extraHeaders}Connection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * Sends the answer and half-closes. Destroying at once, as Node does, resets the connection when unread
 * request bytes remain, and the reset can destroy the answer before the client reads it.
 */
function endWith(socket: Duplex, answer: Buffer): void {
  // Node has let go of a CONNECT's socket: without a listener, a reset from the client would be thrown.
  if (socket.listenerCount('error') === 0) socket.on('error', () => socket.destroy());
  socket.end(answer);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => clearTimeout(timer));
}
