// `npm run bench:server`: the token/policy server under autocannon on loopback, each server in its
// own process as deployed. (a) a bare express route that only signs a LiveKit token, (b) our join on
// embedded PGlite, (c) the same join on PostgreSQL; plus a few other routes for context.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createTestDatabase, stopOwnCluster } from '../../test/support/postgres.js';
import { mean, median } from './stats.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// Every target gets the same treatment: a short unmeasured warm-up (JIT, caches, connection pools),
// then several measured rounds, of which the median is reported: one round on a shared 2-core
// machine can be off by 20 % either way, and the machine's speed drifts over minutes.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, init: RequestInit = {}): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(url, init).then((r) => r.status < 500, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGINT');
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Row {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Share of one core used during the run by the server, the database processes, and autocannon. */
  cpu: { server: number; database: number; load: number };
  /** req/s of each round, for the record. */
  rounds: number[];
}

const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far, from /proc (Linux), or 0 when it cannot be read. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds so far of each PostgreSQL process: the bench's throwaway cluster is the only busy one. */
function databaseCpuSeconds(): Map<number, number> {
  const used = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') used.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // exited meanwhile
    }
  }
  return used;
}

/** CPU the database used between two readings; a process that exited meanwhile is not counted. */
function databaseCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of databaseCpuSeconds()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

async function round(options: autocannon.Options, server: ChildProcess): Promise<Omit<Row, 'name' | 'rounds'>> {
  const before = { server: cpuSeconds(server.pid ?? 0), database: databaseCpuSeconds(), load: process.cpuUsage(), at: performance.now() };
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const seconds = (performance.now() - before.at) / 1000;
  const load = process.cpuUsage(before.load);
  const cpu = {
    server: (cpuSeconds(server.pid ?? 0) - before.server) / seconds,
    database: databaseCpuSince(before.database) / seconds,
    load: (load.user + load.system) / 1e6 / seconds,
  };
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors, cpu };
}

/** One thing to measure: a name, what autocannon sends, and the process that answers. */
interface Target {
  name: string;
  options: autocannon.Options;
  server: ChildProcess;
}

/**
 * Warms every target up, then measures them in turn, round after round: the targets see the same
 * machine, so a ratio between two of them does not depend on when each happened to run.
 */
async function measure(targets: Target[]): Promise<Row[]> {
  for (const target of targets) {
    if (WARMUP_SECONDS > 0) await autocannon({ connections: CONNECTIONS, duration: WARMUP_SECONDS, ...target.options });
  }
  const results = targets.map(() => [] as Omit<Row, 'name' | 'rounds'>[]);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [t, target] of targets.entries()) results[t]?.push(await round(target.options, target.server));
  }
  return targets.map((target, t) => {
    const rounds = results[t] ?? [];
    return {
      name: target.name,
      perSecond: median(rounds.map((r) => r.perSecond)),
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
      cpu: { server: mean(rounds.map((r) => r.cpu.server)), database: mean(rounds.map((r) => r.cpu.database)), load: mean(rounds.map((r) => r.cpu.load)) },
      rounds: rounds.map((r) => r.perSecond),
    };
  });
}

/**
 * The embedded media server in its own process, as the server's LiveKit: a join creates its
 * meeting's room there first (CreateRoom) when this instance has not done so recently.
 */
async function mediaServer(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/media/main.ts'], {
    cwd: root,
    env: { ...process.env, MEDIA_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(`http://127.0.0.1:${String(port)}/`);
  return { child, url: `ws://127.0.0.1:${String(port)}` };
}

const media = await mediaServer();

async function ourServer(databaseUrl: string | undefined): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // BENCH_SERVER_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to see where the server spends its time.
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PGLITE_DIR: 'memory://',
      MEETING_DEV_MODE: '1',
      NODE_ENV: 'development',
      // The bench measures the server, not its rate limits.
      RATE_LIMIT_JOIN: '0',
      RATE_LIMIT_CHAT: '0',
      RATE_LIMIT_AUTH: '0',
      LIVEKIT_URL: media.url,
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${String(port)}/api/v1`;
  await waitFor(`${base}/healthz`);
  return { child, base };
}

/** Join traffic as it comes: many people, each joining their own team's meeting, again and again. */
async function joinScenario(base: string): Promise<{ requests: autocannon.Request[] }> {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<Record<string, string>>,
    );
  const requests: autocannon.Request[] = [];
  for (let m = 0; m < 20; m++) {
    const host = (await post('/dev/session', { name: `host${String(m)}`, email: `host${String(m)}@bench.localhost` })).token ?? '';
    const meeting = await post('/meetings', { title: `Team ${String(m)}`, policy: { maxParticipants: 1000, joinBeforeHost: true } }, host);
    for (let u = 0; u < 10; u++) {
      const token = (await post('/dev/session', { name: `u${String(m)}-${String(u)}`, email: `u${String(m)}-${String(u)}@bench.localhost` })).token ?? '';
      requests.push({ method: 'POST', path: `/api/v1/meetings/${meeting.id ?? ''}/join`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    }
  }
  return { requests };
}

// All servers run at once, each in its own process as deployed; only the one being measured is busy.
const targets: Target[] = [];
const bare = await (async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/bare-token-server.ts'], { cwd: root, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`http://127.0.0.1:${String(port)}/token`, { method: 'POST' });
  return { child, url: `http://127.0.0.1:${String(port)}/token` };
})();
targets.push({ name: '(a) bare express route signing a LiveKit token', options: { url: bare.url, method: 'POST' }, server: bare.child });

const database = await createTestDatabase();
const ours = [
  { label: 'PGlite', letter: 'b', ...(await ourServer(undefined)) },
  { label: 'PostgreSQL', letter: 'c', ...(await ourServer(database.url)) },
];
for (const { label, letter, child, base } of ours) {
  const scenario = await joinScenario(base);
  targets.push({ name: `(${letter}) POST /meetings/:id/join on ${label}`, options: { url: base.replace('/api/v1', ''), requests: scenario.requests }, server: child });
  targets.push({ name: `    GET /healthz on ${label}`, options: { url: `${base}/healthz` }, server: child });
}

const rows = await measure(targets);
await Promise.all([stop(bare.child), ...ours.map(({ child }) => stop(child)), stop(media.child)]);
await database.drop();
await stopOwnCluster();

console.log(
  `token/policy server under autocannon: ${String(CONNECTIONS)} connections; ${String(WARMUP_SECONDS)} s warm-up, then ${String(ROUNDS)} rounds of ${String(SECONDS)} s taking the targets in turn, median reported; servers in their own processes, this machine`,
);
console.log(`  ${'route'.padEnd(52)} ${'req/s'.padStart(7)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}  non-2xx   CPU (% of a core): server / database / autocannon   req/s of each round`);
const percent = (share: number) => `${(share * 100).toFixed(0)} %`.padStart(5);
for (const r of rows) {
  console.log(
    `  ${r.name.padEnd(52)} ${r.perSecond.toFixed(0).padStart(7)} ${`${r.p50.toFixed(0)} ms`.padStart(8)} ${`${r.p99.toFixed(0)} ms`.padStart(8)}  ${String(r.non2xx).padStart(7)}   ${percent(r.cpu.server)} / ${percent(r.cpu.database)} / ${percent(r.cpu.load)}   ${r.rounds.map((v) => v.toFixed(0)).join(', ')}`,
  );
}
const [a, b, c] = [rows[0], rows.find((r) => r.name.startsWith('(b)')), rows.find((r) => r.name.startsWith('(c)'))];
if (a && b && c) {
  console.log(`  b/a = ${(b.perSecond / a.perSecond).toFixed(2)}   c/a = ${(c.perSecond / a.perSecond).toFixed(2)} (target ≥ 0.5)   p99 of (c) = ${c.p99.toFixed(0)} ms (target < 50 ms)`);
  // Each round of a join against the bare route's round just before it: the same machine, minutes apart at most.
  const perRound = (row: Row) => row.rounds.map((value, i) => value / (a.rounds[i] ?? Number.NaN));
  const range = (ratios: number[]) => `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  console.log(`  round by round: b/a ${range(perRound(b))}   c/a ${range(perRound(c))}`);
}
