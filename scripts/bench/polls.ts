// `npm run bench:polls`: vote throughput over HTTP. The token/policy server in its own process on
// embedded PGlite (and, for comparison, PostgreSQL), the embedded media server as its LiveKit, a
// meeting of 200 people and one poll: autocannon sends their votes (each person changing their
// vote again and again), 50 connections, a warm-up then rounds whose median is reported. Each
// vote is checked, counted and answered with the results, and the room is told (folded per window).
// Afterwards the counts are checked: exactly 200 voters, whatever the number of requests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createTestDatabase, stopOwnCluster } from '../../test/support/postgres.js';
import { median } from './stats.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VOTERS = 200;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`${url}: the process exited (${String(child.exitCode)}) before answering`);
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGINT');
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function mediaServer(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/media/main.ts'], { cwd: root, env: { ...process.env, MEDIA_PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`http://127.0.0.1:${String(port)}/`, child);
  return { child, url: `ws://127.0.0.1:${String(port)}` };
}

/** The server as deployed; `rateLimitPoll` 0 turns the poll limiter (and its database counter) off. */
async function tokenServer(mediaUrl: string, databaseUrl: string | undefined, rateLimitPoll: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PGLITE_DIR: 'memory://',
      MEETING_DEV_MODE: '1',
      NODE_ENV: 'development',
      RATE_LIMIT_JOIN: '0',
      RATE_LIMIT_AUTH: '0',
      RATE_LIMIT_POLL: rateLimitPoll,
      // The voters never connect to the media server: their seats must outlast the whole run (the
      // default 60 s hold ran out mid-bench, and most votes were then refused, not counted).
      SEAT_HOLD_SECONDS: '600',
      LIVEKIT_URL: mediaUrl,
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${String(port)}/api/v1`;
  await waitFor(`${base}/healthz`, child);
  return { child, base };
}

interface PollAnswer {
  id: string;
  voterCount: number;
  options: Array<{ votes: number }>;
}

/** A meeting with VOTERS people in it and one poll; one vote request per person, alternating options. */
async function scenario(base: string): Promise<{ requests: autocannon.Request[]; check: () => Promise<PollAnswer> }> {
  const call = async <T>(method: string, path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? null : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${String(res.status)} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const session = (name: string) => call<{ token: string }>('POST', '/dev/session', { name, email: `${name}@bench.localhost` }).then((s) => s.token);
  const host = await session('host');
  const meeting = await call<{ id: string }>('POST', '/meetings', { title: 'Bench', policy: { maxParticipants: 1000 } }, host);
  await call('POST', `/meetings/${meeting.id}/join`, {}, host);
  const poll = await call<PollAnswer>('POST', `/meetings/${meeting.id}/polls`, { question: 'Fastest?', options: ['a', 'b', 'c', 'd'] }, host);
  const requests: autocannon.Request[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const token = await session(`voter${String(i)}`);
    await call('POST', `/meetings/${meeting.id}/join`, {}, token);
    requests.push({
      method: 'POST',
      path: `/api/v1/meetings/${meeting.id}/polls/${poll.id}/votes`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ options: [i % 4] }),
      onResponse: (status, body) => {
        if (status !== 200) refusals.set(`${String(status)} ${body.slice(0, 120)}`, (refusals.get(`${String(status)} ${body.slice(0, 120)}`) ?? 0) + 1);
      },
    });
  }
  // Every voter's request works once before it is measured: a bench of refusals measures nothing.
  for (const request of requests) {
    const res = await fetch(`${base.replace('/api/v1', '')}${request.path ?? ''}`, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body as string });
    if (res.status !== 200) throw new Error(`a vote was refused before the bench: ${String(res.status)} ${await res.text()}`);
  }
  const check = async (): Promise<PollAnswer> => {
    const [first] = await call<PollAnswer[]>('GET', `/meetings/${meeting.id}/polls`, undefined, host);
    if (!first) throw new Error('the poll is gone');
    return first;
  };
  return { requests, check };
}

/** Why requests were refused during the runs, with how many times each. */
const refusals = new Map<string, number>();

const media = await mediaServer();
const database = await createTestDatabase();
const servers = [
  { name: 'votes on PGlite, rate limit off', ...(await tokenServer(media.url, undefined, '0')) },
  { name: 'votes on PGlite, rate-limit counter on', ...(await tokenServer(media.url, undefined, '1000000000')) },
  { name: 'votes on PostgreSQL, rate limit off', ...(await tokenServer(media.url, database.url, '0')) },
];
const targets = [];
for (const server of servers) targets.push({ ...server, ...(await scenario(server.base)) });

for (const t of targets) {
  if (WARMUP_SECONDS > 0) await autocannon({ url: t.base.replace('/api/v1', ''), requests: t.requests, connections: CONNECTIONS, duration: WARMUP_SECONDS });
}
const rounds = targets.map(() => [] as Array<{ perSecond: number; p50: number; p99: number; bad: number }>);
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, t] of targets.entries()) {
    const result = await autocannon({ url: t.base.replace('/api/v1', ''), requests: t.requests, connections: CONNECTIONS, duration: SECONDS });
    rounds[i]?.push({ perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors });
  }
}

console.log(`poll votes over HTTP: ${String(VOTERS)} voters, ${String(CONNECTIONS)} connections; ${String(WARMUP_SECONDS)} s warm-up, then ${String(ROUNDS)} rounds of ${String(SECONDS)} s, median reported; this machine`);
console.log(`  ${'target'.padEnd(42)} ${'votes/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}  non-2xx   final voters / sum of counts   votes/s of each round`);
for (const [i, t] of targets.entries()) {
  const r = rounds[i] ?? [];
  const final = await t.check();
  const sum = final.options.reduce((total, o) => total + o.votes, 0);
  console.log(
    `  ${t.name.padEnd(42)} ${median(r.map((x) => x.perSecond)).toFixed(0).padStart(8)} ${`${median(r.map((x) => x.p50)).toFixed(0)} ms`.padStart(8)} ${`${median(r.map((x) => x.p99)).toFixed(0)} ms`.padStart(8)}  ${String(r.reduce((n, x) => n + x.bad, 0)).padStart(7)}   ${String(final.voterCount).padStart(13)} / ${String(sum).padEnd(13)}   ${r.map((x) => x.perSecond.toFixed(0)).join(', ')}`,
  );
  if (final.voterCount !== VOTERS || sum !== VOTERS) process.exitCode = 1;
}
for (const [why, count] of refusals) console.log(`  refused ${String(count)}×: ${why}`);
// A refused vote is not a vote: a run with refusals measured something else.
if (refusals.size > 0) process.exitCode = 1;
await Promise.all([...servers.map((s) => stop(s.child)), stop(media.child)]);
await database.drop();
await stopOwnCluster();
