/**
 * Lifecycle of the API listener: start with a snapshot of settings and services, stop, start again
 * ("Restart API" = stop + start with a new snapshot). Failures to listen are reported, never swallowed.
 */
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../core/errors.js';
import type { ApiDeps } from './api-deps.js';
import { buildApiApp } from './api-app.js';
import type { ListenerLimits } from './http-listener.js';
import { LongLivedConnections } from './long-lived.js';

export interface ApiListenOptions {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  /** Timeouts and the connection bound; production uses DEFAULT_LISTENER_LIMITS, tests shorten them. */
  limits?: Partial<ListenerLimits>;
}

export interface ApiStartResult {
  /** Base URLs clients use, e.g. http://192.168.1.20:5000/api. */
  urls: string[];
}

export class ApiServer {
  #app: FastifyInstance | null = null;
  #longLived: LongLivedConnections | null = null;
  /** Serialises start/stop so that a quick "Restart API" double click cannot interleave them. */
  #queue: Promise<unknown> = Promise.resolve();

  get running(): boolean {
    return this.#app !== null;
  }

  start(listen: ApiListenOptions, deps: ApiDeps): Promise<ApiStartResult> {
    return this.#enqueue(async () => {
      if (this.#app) throw new DomainError('conflict', 'The API is already running; stop it first');
      const longLived = new LongLivedConnections();
      const app = buildApiApp(deps, longLived, listen.limits);
      try {
        await app.listen({ host: listen.host, port: listen.port });
      } catch (error) {
        await app.close().catch(() => undefined);
        throw listenError(error, listen);
      }
      this.#app = app;
      this.#longLived = longLived;
      const { port } = app.server.address() as AddressInfo;
      return { urls: apiUrls(listen.host, port) };
    });
  }

  /**
   * Closes the listener: open streams end at once, in-flight requests finish, idle keep-alive connections
   * are closed.
   */
  stop(): Promise<void> {
    return this.#enqueue(async () => {
      const app = this.#app;
      this.#app = null;
      this.#longLived?.closeAll();
      this.#longLived = null;
      await app?.close();
    });
  }

  /** Open long-lived responses (streams) on this listener. */
  get openStreams(): number {
    return this.#longLived?.size ?? 0;
  }

  #enqueue<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(step);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function listenError(error: unknown, { host, port }: ApiListenOptions): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new DomainError('conflict', `Port ${port} is already in use on ${host}`);
  if (code === 'EACCES') return new DomainError('conflict', `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges)`);
  if (code === 'EADDRNOTAVAIL') return new DomainError('conflict', `The address ${host} does not belong to this machine`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DomainError('conflict', `The host name ${host} could not be resolved`);
  return error instanceof Error ? error : new Error(String(error));
}

/** The URLs to show in the green banner: every IPv4 address a client could reach for a wildcard host. */
export function apiUrls(host: string, port: number): string[] {
  if (host !== '0.0.0.0' && host !== '::') {
    const literal = host.includes(':') ? `[${host}]` : host;
    return [`http://${literal}:${port}/api`];
  }
  const addresses = ['127.0.0.1'];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal && !addresses.includes(entry.address)) addresses.push(entry.address);
    }
  }
  return addresses.map((address) => `http://${address}:${port}/api`);
}
