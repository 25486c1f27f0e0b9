// `npm start` as a user runs it (scripts/start.ts: token server, embedded media server and the
// demo on one origin), on free ports with an in-memory database, for the end-to-end suites that try
// the demo pages. One start serves every test of a file: Vite compiles the demo's modules once.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface NpmStart {
  /** The demo's origin, e.g. http://127.0.0.1:41234 (the demo itself is under /demo/). */
  base: string;
  /** Everything it printed so far, for failure messages. */
  output(): string;
  /** Ctrl-C, as a user stops it; resolves with its exit code. */
  stop(): Promise<number | null>;
}

export async function startNpmStart(env: Record<string, string> = {}): Promise<NpmStart> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MEDIA_PORT: '0', LOG_LEVEL: 'warn', PGLITE_DIR: 'memory://', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /demo: (http:\/\/localhost:\d+)\/demo\//.exec(output);
      if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'));
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${String(code)}:\n${output}`)));
  });
  return {
    base,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

