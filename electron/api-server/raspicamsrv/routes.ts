import type { FastifyReply, FastifyRequest } from 'fastify';

/** A route handler. It sends its reply itself and returns nothing (see guard.ts for why). */
export type ApiHandler = (request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;

export interface ApiRoute {
  method: 'GET' | 'POST';
  url: string;
  handler: ApiHandler;
}
