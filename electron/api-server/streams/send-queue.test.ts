/**
 * Kernel send queues from /proc/net/tcp{,6}: the parser on sample text, the probe with an injected reader
 * and clock, and once for real against a client on this machine that stops reading.
 */
import { EventEmitter } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SendQueueProbe, connectionKey, emptyTables, isLoopbackHex, parseProcNetTcp } from './send-queue.js';

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

/** One /proc/net/tcp line as the kernel prints it (ports and queues in hex). */
function tcpLine(sl: number, local: number, remote: number, state: string, tx: number, address = '0100007F', rx = 0): string {
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  return (
    `${String(sl).padStart(4)}: ${address}:${hex(local, 4)} ${address}:${hex(remote, 4)} ${state} ` +
    `${hex(tx, 8)}:${hex(rx, 8)} 00:00000000 00000000     0        0 4242 1 00000000f0f279cc 20 4 30 10 -1`
  );
}

const V6_LOOPBACK = '00000000000000000000000001000000';

describe('parseProcNetTcp', () => {
  it('reads ESTABLISHED connections with their tx_queue and ignores the header and LISTEN lines', () => {
    const text = [
      TCP_HEADER,
      tcpLine(0, 8080, 0, '0A', 0, '00000000'),
      tcpLine(1, 8080, 0xd2a4, '01', 0xbb80),
      tcpLine(2, 0xd2a4, 8080, '01', 0),
      tcpLine(3, 8080, 0xa5f3, '06', 0x10), // TIME_WAIT: not a connection a stream writes to
      '',
    ].join('\n');
    const into = emptyTables();
    parseProcNetTcp(text, into);
    expect(Object.fromEntries(into.sending)).toEqual({ '8080:53924': 48000, '53924:8080': 0 });
  });

  it('reads tcp6 lines (IPv6 addresses have no colons in the file)', () => {
    const text = [TCP6_HEADER, tcpLine(0, 5000, 0, '0A', 0, '0'.repeat(32)), tcpLine(1, 5000, 40000, '01', 0x2000, V6_LOOPBACK)].join('\n');
    const into = emptyTables();
    parseProcNetTcp(text, into);
    expect([...into.sending]).toEqual([['5000:40000', 0x2000]]);
  });

  it('keeps the larger queue when two peers share a remote port, in either order', () => {
    const into = emptyTables();
    parseProcNetTcp([TCP_HEADER, tcpLine(0, 8080, 50000, '01', 0x100, '0A00000A'), tcpLine(1, 8080, 50000, '01', 0x9000, '0B00000A')].join('\n'), into);
    parseProcNetTcp([TCP6_HEADER, tcpLine(0, 8080, 50000, '01', 0x50, V6_LOOPBACK)].join('\n'), into);
    expect(into.sending.get(connectionKey(8080, 50000))).toBe(0x9000);
    expect(into.sending.size).toBe(1);
  });

  it('skips short and garbled lines', () => {
    const into = emptyTables();
    parseProcNetTcp(['garbage', '0: 0100007F:1F90 0100007F:C350 01', '1: 0100007F:1F90 0100007F:C351 01 ZZZZ:0000 00:0'].join('\n'), into);
    expect(into.sending.size).toBe(0);
  });

  it('keeps what a peer on this machine has not read yet (rx_queue), and only for loopback peers', () => {
    const into = emptyTables();
    const text = [
      TCP_HEADER,
      tcpLine(0, 5000, 40000, '01', 0x100), // our side: 256 bytes queued to send
      tcpLine(1, 40000, 5000, '01', 0, '0100007F', 0x30000), // the local client: 192 KB arrived, unread
      tcpLine(2, 41000, 5000, '01', 0, '0A00000A', 0x999), // a peer elsewhere: its queues are not ours to see
    ].join('\n');
    parseProcNetTcp(text, into);
    expect(into.unreadLocal.get(connectionKey(40000, 5000))).toBe(0x30000);
    expect(into.unreadLocal.has(connectionKey(41000, 5000))).toBe(false);
  });

  it('knows loopback addresses in /proc\'s hex', () => {
    expect(['0100007F', '0101007F', V6_LOOPBACK, '0000000000000000FFFF00000100007F'].map(isLoopbackHex)).toEqual([true, true, true, true]);
    expect(['0A00000A', '00000000', '00000000000000000000000000000000', '0000000000000000FFFF00000A00000A'].map(isLoopbackHex)).toEqual([false, false, false, false]);
  });
});

describe('SendQueueProbe with an injected reader', () => {
  function fakeProc(files: Record<string, string>) {
    const reads: string[] = [];
    const read = async (path: string) => {
      reads.push(path);
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    };
    return { reads, read, files };
  }

  it('reads both files and answers for connections in either from its last sample', async () => {
    const proc = fakeProc({
      '/proc/net/tcp': [TCP_HEADER, tcpLine(0, 80, 1000, '01', 700)].join('\n'),
      '/proc/net/tcp6': [TCP6_HEADER, tcpLine(0, 80, 2000, '01', 900, V6_LOOPBACK)].join('\n'),
    });
    const probe = new SendQueueProbe(proc.read);
    expect(probe.queued(80, 1000)).toBeUndefined();
    await probe.sample();
    expect(probe.queued(80, 1000)).toBe(700);
    expect(probe.queued(80, 2000)).toBe(900);
    expect(probe.queued(80, 3000)).toBeUndefined();
    expect(proc.reads).toEqual(['/proc/net/tcp', '/proc/net/tcp6']);
  });

  it('keeps answering from the last sample until the next one (queries never read the files)', async () => {
    const proc = fakeProc({ '/proc/net/tcp': [TCP_HEADER, tcpLine(0, 80, 1000, '01', 1)].join('\n'), '/proc/net/tcp6': TCP6_HEADER });
    const probe = new SendQueueProbe(proc.read);
    await probe.sample();
    proc.files['/proc/net/tcp'] = [TCP_HEADER, tcpLine(0, 80, 1000, '01', 2)].join('\n');
    for (let i = 0; i < 100; i++) expect(probe.queued(80, 1000)).toBe(1);
    expect(proc.reads).toHaveLength(2);
    await probe.sample();
    expect(probe.queued(80, 1000)).toBe(2);
  });

  it('tolerates one missing file, and forgets everything when neither can be read', async () => {
    const proc = fakeProc({ '/proc/net/tcp': [TCP_HEADER, tcpLine(0, 80, 1000, '01', 5)].join('\n') });
    const probe = new SendQueueProbe(proc.read);
    await probe.sample();
    expect(probe.queued(80, 1000)).toBe(5);
    delete proc.files['/proc/net/tcp'];
    await probe.sample();
    expect(probe.queued(80, 1000)).toBeUndefined();
  });

  it('answers undefined when a port is unknown (socket already closed)', () => {
    const probe = new SendQueueProbe(fakeProc({}).read);
    expect(probe.queued(undefined, 1000)).toBeUndefined();
    expect(probe.queued(80, undefined)).toBeUndefined();
  });
});

describe('SendQueueProbe on this machine', () => {
  let server: Server | null = null;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = null;
  });

  async function waitForAsync(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('create() works on Linux and sees a non-reading client’s backlog, then sees it drain to 0', async () => {
    const probe = SendQueueProbe.create();
    expect(probe).not.toBeNull();
    if (!probe) return;

    const accepted = new Promise<Socket>((resolve) => {
      server = createServer((socket) => {
        sockets.push(socket);
        resolve(socket);
      });
    });
    const port = await new Promise<number>((resolve) => {
      server?.listen(0, '127.0.0.1', () => {
        const address = server?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const client = createConnection({ host: '127.0.0.1', port });
    sockets.push(client);
    client.pause();
    const serverSide = await accepted;

    await probe.sample();
    expect(probe.queued(serverSide.localPort, serverSide.remotePort)).toBe(0);
    const payload = Buffer.alloc(8 * 1024 * 1024, 0x5a);
    serverSide.write(payload);
    const queued = () => probe.queued(serverSide.localPort, serverSide.remotePort) ?? -1;
    await waitForAsync('the kernel queues more than 100 KB', async () => (await probe.sample(), queued() > 100_000));
    // The client is on this machine: what reached its socket but was not read counts too.
    probe.watch(serverSide);
    await probe.sample();
    expect(probe.queuedFor(serverSide)).toBeGreaterThan(queued());

    let received = 0;
    client.on('data', (chunk: Buffer) => (received += chunk.length));
    client.resume();
    await waitFor('the client has read everything', () => received === payload.length);
    await waitForAsync('the queue is empty', async () => (await probe.sample(), queued() === 0));
    expect(queued()).toBe(0);
  });

  it('samples by itself while a socket is watched: busy while its peer is behind, and stops when it closes', async () => {
    const reads: string[] = [];
    let queue = 0;
    const probe = new SendQueueProbe(
      async (path) => {
        reads.push(path);
        return path.endsWith('tcp6') ? TCP6_HEADER : [TCP_HEADER, tcpLine(0, 80, 1000, '01', queue)].join('\n');
      },
      { calm: 200, busy: 20 },
    );
    const fakeSocket = Object.assign(new EventEmitter(), { localPort: 80, remotePort: 1000 }) as unknown as Socket;
    probe.watch(fakeSocket);
    await waitFor('a first sample', () => probe.queuedFor(fakeSocket) === 0);
    const calmReads = reads.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads.length - calmReads).toBeLessThanOrEqual(2); // calm: one sample per 200 ms at most
    queue = 50_000;
    await waitFor('the backlog is seen', () => probe.queuedFor(fakeSocket) === 50_000, 1000);
    const busyFrom = reads.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reads.length - busyFrom).toBeGreaterThanOrEqual(6); // busy: every 20 ms (two files each)
    fakeSocket.emit('close');
    const stoppedAt = reads.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reads.length - stoppedAt).toBeLessThanOrEqual(2);
  });
});
