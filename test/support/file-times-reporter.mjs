// A node:test reporter that prints, as JSON lines, the time each test file's top-level tests took
// (scripts/test.mjs names the slowest files in its summary: the time budget is kept by knowing
// where the time goes). A suite declared by a helper elsewhere (describeEachDatabase) counts for
// the test file its tests are in.
export default async function* fileTimes(source) {
  const times = new Map();
  let childFile;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, file, details } = event.data;
    if (nesting > 0 && file?.endsWith('.test.ts')) childFile = file;
    if (nesting !== 0) continue;
    const owner = file?.endsWith('.test.ts') ? file : childFile;
    if (owner) times.set(owner, (times.get(owner) ?? 0) + (details?.duration_ms ?? 0));
    childFile = undefined;
  }
  for (const [file, ms] of times) yield `${JSON.stringify({ file, ms: Math.round(ms) })}\n`;
}
