import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A loopback HTTP server on a free port that answers from `routes` (first match wins) or 404. */
export async function startTestServer(routes: Route[]): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (!routes.some((route) => route(req, res))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function serveText(path: string, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): Route {
  return (req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) return false;
    res.writeHead(200, { 'content-type': contentType, ...headers }).end(body);
    return true;
  };
}
