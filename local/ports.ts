import { createConnection, createServer } from 'node:net';

/**
 * Fails with one clear line when `port` is taken. Checking by binding (rather than connecting) also
 * catches a listener on another interface that would make the child's own bind fail later with a
 * stack trace nobody reads.
 */
export async function assertPortFree(port: number, host = '127.0.0.1', hint?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const suffix = hint ? `: ${hint}` : '';
      if (error.code === 'EADDRINUSE') reject(new Error(`port ${port} is in use${suffix}`));
      else if (error.code === 'EACCES')
        reject(new Error(`port ${port} needs privileges to listen on${suffix}`));
      else reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Asks the OS for a free port. Another process could take it before the caller binds it; that race
 * is accepted here because the caller's own bind then fails loudly.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      // listen() on a TCP port always reports an AddressInfo; a string would mean a pipe.
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() =>
        port === undefined ? reject(new Error('the OS did not report a port')) : resolve(port),
      );
    });
  });
}

/** True when something accepts TCP connections on host:port right now. */
export async function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host });
    const finish = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    // Loopback refuses at once; the timeout only guards against a filtered port hanging the caller.
    socket.setTimeout(1_000, () => finish(false));
  });
}
