import { createApp } from '../../server/src/app.js';
import { appDepsFromConfig } from '../../server/src/bootstrap.js';
import { loadConfig } from '../../server/src/config.js';
import { listen, type RunningServer } from '../../server/src/listen.js';

/** The server on a free loopback port, configured as the given environment says (logs silenced). */
export async function startApp(env: Record<string, string> = {}): Promise<RunningServer & { deps: ReturnType<typeof appDepsFromConfig> }> {
  const deps = appDepsFromConfig(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  const running = await listen(createApp(deps), 0, '127.0.0.1');
  return { ...running, deps };
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request to the API; `token` becomes the bearer. */
export async function api<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: res.headers };
}
