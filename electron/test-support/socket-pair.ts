/**
 * Connected TCP socket pairs on 127.0.0.1 for stream tests: `server` is the accepted side (what the code under
 * test writes to), `peer` the client, `received()` every byte the peer got so far. closeAll() in afterEach.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export function socketPairs() {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  return {
    async open(): Promise<{ server: Socket; peer: Socket; received: () => Buffer }> {
      const listener = createServer();
      servers.push(listener);
      const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const address = listener.address();
      const peer = createConnection({ host: '127.0.0.1', port: typeof address === 'object' && address ? address.port : 0 });
      sockets.push(peer);
      peer.on('error', () => undefined);
      const chunks: Buffer[] = [];
      peer.on('data', (chunk: Buffer) => chunks.push(chunk));
      const server = await accepted;
      sockets.push(server);
      server.on('error', () => undefined); // as node:http's server does for the sockets it hands out
      return { server, peer, received: () => Buffer.concat(chunks) };
    },
    async closeAll(): Promise<void> {
      for (const socket of sockets.splice(0)) socket.destroy();
      await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
