// `npm test`: every check and every test suite, in order, each timed; ends with one total line.
// Plain Node with no dependencies, so it runs before anything else is known to work.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function nodeTests(dir) {
  const tap = join(scratch, `${dir.replaceAll('/', '-')}.tap`);
  return {
    command: process.execPath,
    args: [
      '--import', 'tsx', '--test', '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...testFiles(dir),
    ],
    counts() {
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      const read = (name) => Number(/^# (\w+) (\d+)$/m.exec(text.split('\n').filter((l) => l.startsWith(`# ${name} `)).pop() ?? '')?.[2] ?? 0);
      return { passed: read('pass'), failed: read('fail') + read('cancelled'), skipped: read('skipped') + read('todo') };
    },
  };
}

const wtrCounts = join(scratch, 'wtr.json');
const steps = [
  { name: 'typecheck', command: bin('tsc'), args: ['-p', 'tsconfig.json'] },
  { name: 'lint', command: bin('eslint'), args: ['.'] },
  { name: 'manifest', command: process.execPath, args: ['scripts/check-manifest.mjs'] },
  { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'server tests', ...nodeTests('test/server') },
  {
    name: 'browser tests',
    command: bin('wtr'),
    args: [],
    // The config loads a TypeScript plugin (the media server commands), hence tsx.
    env: { WTR_COUNTS_FILE: wtrCounts, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
    counts() {
      if (!existsSync(wtrCounts)) return { passed: 0, failed: 1, skipped: 0 };
      const c = JSON.parse(readFileSync(wtrCounts, 'utf8'));
      return { passed: c.passed, failed: c.failed + c.erroredFiles, skipped: c.skipped };
    },
  },
  { name: 'end-to-end tests', ...nodeTests('test/e2e') },
];

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(err);
      resolve(1);
    });
  });
}

const results = [];
const started = Date.now();
try {
  for (const step of steps) {
    console.log(`\n━━ ${step.name} ━━`);
    const t0 = Date.now();
    const code = await run(step);
    const counts = step.counts?.();
    results.push({ name: step.name, ok: code === 0, seconds: (Date.now() - t0) / 1000, counts });
    if (code !== 0) break; // later steps depend on earlier ones (the build, above all)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log('\n━━ summary ━━');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of results) {
  const counts = r.counts ? ` ${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(18)} ${r.seconds.toFixed(1).padStart(6)} s${counts}`);
  if (r.counts) for (const key of Object.keys(total)) total[key] += r.counts[key];
}
const ok = results.length === steps.length && results.every((r) => r.ok);
if (!ok) total.failed = Math.max(total.failed, 1);
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok ? 0 : 1);
