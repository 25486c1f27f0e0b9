import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface RunningServer {
  server: Server;
  url: string;
  /**
   * Stops accepting connections and lets in-flight requests finish; connections still open after
   * the grace period (event streams, long polls: they never finish on their own) are cut.
   */
  close(): Promise<void>;
}

/**
 * How long a whole shutdown may take, from the signal to the process's exit (docs/server.md). The
 * HTTP server gets all of it but SHUTDOWN_RESERVE_MS, kept for closing the database afterwards.
 */
export const SHUTDOWN_GRACE_MS = 5000;
export const SHUTDOWN_RESERVE_MS = 1000;

/** Starts an HTTP server for `handler`; port 0 picks a free port. */
export async function listen(handler: RequestListener, port: number, host: string, options: { shutdownGraceMs?: number } = {}): Promise<RunningServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => {
          server.closeAllConnections();
        }, options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS - SHUTDOWN_RESERVE_MS);
        // Idle keep-alive sockets would hold close() open until their keep-alive timeout; busy
        // ones finish their request first and are closed as soon as they turn idle.
        const sweep = setInterval(() => {
          server.closeIdleConnections();
        }, 50);
        server.close((err) => {
          clearTimeout(deadline);
          clearInterval(sweep);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
