// `npm test`: every check and every test suite, in order, each timed; ends with one total line.
// Plain Node with no dependencies, so it runs before anything else is known to work.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'meeting-widget-test-'));
const bin = (name) => join(root, 'node_modules/.bin', name);

function testFiles(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .filter((name) => String(name).endsWith('.test.ts'))
    .map((name) => join(dir, String(name)))
    .sort();
}

/** The five slowest files, for the summary: where the suite's time goes. */
function slowest(files) {
  return [...files].sort((a, b) => b.ms - a.ms).slice(0, 5).map((f) => `${relative(root, f.file)} ${(f.ms / 1000).toFixed(0)} s`);
}

/** node:test files run as one step (`name` keys its report files); `concurrency` files at a time, each in its own process. */
function nodeTests(name, files, concurrency = 1) {
  const tap = join(scratch, `${name}.tap`);
  const times = join(scratch, `${name}.times`);
  return {
    command: process.execPath,
    args: [
      '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      '--test-reporter=./test/support/file-times-reporter.mjs', `--test-reporter-destination=${times}`,
      ...files.flatMap((entry) => (entry.endsWith('.test.ts') ? [entry] : testFiles(entry))),
    ],
    counts() {
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      const read = (name) => Number(/^# (\w+) (\d+)$/m.exec(text.split('\n').filter((l) => l.startsWith(`# ${name} `)).pop() ?? '')?.[2] ?? 0);
      return { passed: read('pass'), failed: read('fail') + read('cancelled'), skipped: read('skipped') + read('todo'), slowest: slowest(existsSync(times) ? readFileSync(times, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []) };
    },
  };
}

const wtrCounts = join(scratch, 'wtr.json');
const pgliteImages = join(scratch, 'pglite');
// End-to-end files that time no media (protocol attacks over raw sockets, webhooks, the package's
// exports): they can run while other suites load the machine. Every other end-to-end file measures
// how fast video arrives and runs alone.
const E2E_WITHOUT_MEDIA_TIMING = [
  'attack-media-display-names',
  'attack-media-oversize',
  'attack-media-signal-flood',
  'attack-media-track-flood',
  'faults-media-webhooks',
  'media-bearer-token',
  'package-exports',
].map((name) => `test/e2e/${name}.test.ts`);
const e2eFiles = testFiles('test/e2e');
for (const file of E2E_WITHOUT_MEDIA_TIMING) if (!e2eFiles.includes(file)) throw new Error(`scripts/test.mjs names ${file}, which does not exist`);

// Each entry is a phase; the steps of a phase run at the same time, and a phase starts when the one
// before it passed. The build and the test databases come first (the suites need them). Then what
// tolerates a busy machine runs together: the server tests (two files at a time, each one process
// with PGlite in it), the type check, lint and the end-to-end files above. The browser tests and
// the end-to-end files that time media come after, each alone, one file at a time: run beside the
// server tests, two browser tests lost their connection at a load average of 6 to 8.
const phases = [
  [
    { name: 'manifest', command: process.execPath, args: ['scripts/check-manifest.mjs'] },
    { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
    // The PGlite dumps every test process loads instead of running initdb itself (test/support/pglite.ts).
    { name: 'test databases', command: process.execPath, args: ['--import', 'tsx', 'test/support/make-pglite-images.ts', pgliteImages] },
  ],
  [
    { name: 'server tests', ...nodeTests('server', ['test/server'], 2) },
    { name: 'typecheck', command: bin('tsc'), args: ['-p', 'tsconfig.json'] },
    { name: 'lint', command: bin('eslint'), args: ['.'] },
    { name: 'end-to-end (no media timing)', ...nodeTests('e2e-protocol', E2E_WITHOUT_MEDIA_TIMING) },
  ],
  [
    {
      name: 'browser tests',
      command: bin('wtr'),
      args: [],
      // The config loads a TypeScript plugin (the media server commands), hence tsx.
      env: { WTR_COUNTS_FILE: wtrCounts, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
      counts() {
        if (!existsSync(wtrCounts)) return { passed: 0, failed: 1, skipped: 0 };
        const c = JSON.parse(readFileSync(wtrCounts, 'utf8'));
        return { passed: c.passed, failed: c.failed + c.erroredFiles, skipped: c.skipped, slowest: slowest(c.files ?? []) };
      },
    },
  ],
  // The widget in a meeting of 30 bots (test/large) runs with them, last.
  [{ name: 'end-to-end tests', ...nodeTests('e2e-media', [...e2eFiles.filter((file) => !E2E_WITHOUT_MEDIA_TIMING.includes(file)), ...testFiles('test/large')]) }],
];
const steps = phases.flat();

/**
 * One PostgreSQL cluster for the run (test/support/run-postgres.ts), handed to the suites in
 * TEST_POSTGRES_URL: otherwise each test file would initdb and start a cluster of its own.
 */
function startRunPostgres() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/run-postgres.ts'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    let buffered = '';
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      resolve(value);
    };
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      try {
        finish({ child, url: JSON.parse(buffered.slice(0, end)).url });
      } catch (err) {
        console.error(`the run's PostgreSQL printed no URL (${err}); each suite starts its own`);
        finish(null);
      }
    });
    child.once('exit', (code) => {
      if (!done) console.error(`the run's PostgreSQL did not start (exit ${code}); each suite starts its own`);
      finish(null);
    });
  });
}

function stopRunPostgres(postgres) {
  if (postgres === null || postgres.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    postgres.child.once('exit', () => resolve());
    postgres.child.stdin.end();
  });
}

/** Runs a step; with `quiet`, its output is kept and printed in one piece when it ends. */
function run(step, quiet) {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...runEnv, ...step.env } });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('close', (code, signal) => {
      if (quiet) {
        console.log(`\n━━ ${step.name} ━━`);
        process.stdout.write(Buffer.concat(output));
      }
      resolve(code ?? (signal ? 1 : 0));
    });
    child.on('error', (err) => {
      console.error(err);
      resolve(1);
    });
  });
}

const results = [];
const started = Date.now();
const runEnv = { TEST_PGLITE_IMAGES: pgliteImages };
const postgres = process.env.TEST_POSTGRES_URL ? null : await startRunPostgres();
if (postgres !== null) runEnv.TEST_POSTGRES_URL = postgres.url;
try {
  for (const phase of phases) {
    const quiet = phase.length > 1;
    if (!quiet) console.log(`\n━━ ${phase[0].name} ━━`);
    const outcomes = await Promise.all(
      phase.map(async (step) => {
        const t0 = Date.now();
        const code = await run(step, quiet);
        return { name: step.name, ok: code === 0, seconds: (Date.now() - t0) / 1000, counts: step.counts?.() };
      }),
    );
    results.push(...outcomes);
    if (outcomes.some((outcome) => !outcome.ok)) break; // later phases depend on earlier ones (the build, above all)
  }
} finally {
  await stopRunPostgres(postgres);
  rmSync(scratch, { recursive: true, force: true });
}

console.log('\n━━ summary ━━');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of results) {
  const counts = r.counts ? ` ${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(18)} ${r.seconds.toFixed(1).padStart(6)} s${counts}`);
  if (r.counts?.slowest?.length) console.log(`       slowest: ${r.counts.slowest.join(', ')}`);
  if (r.counts) for (const key of Object.keys(total)) total[key] += r.counts[key];
}
const ok = results.length === steps.length && results.every((r) => r.ok);
if (!ok) total.failed = Math.max(total.failed, 1);
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok ? 0 : 1);
