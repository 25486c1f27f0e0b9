// A web-test-runner reporter that writes the pass/fail counts to a JSON file, so the test script can
// print one total across all runners, and the time each test file's tests took, so it can name the
// slowest (the test-time budget is kept by knowing where the time goes).
// With more than one file at a time, a file's time here also holds some of the files beside it.
import { writeFileSync } from 'node:fs';

function testTime(suite) {
  let ms = 0;
  for (const test of suite.tests) ms += test.duration ?? 0;
  for (const child of suite.suites) ms += testTime(child);
  return ms;
}

function countTests(suite, counts) {
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites) countTests(child, counts);
}

export function countReporter(file) {
  // A file's time is from the end of the file before it (or the run's start) to its own end: with one
  // file at a time that is its page, its hooks and its tests. The tests' own durations leave out the
  // hooks, where a suite that joins its people once (the screenshot suites) spends most of its time.
  let lastEnd = Date.now();
  const wallMs = new Map();
  return {
    onTestRunStarted() {
      lastEnd = Date.now();
    },
    reportTestFileResults({ testFile }) {
      const now = Date.now();
      wallMs.set(testFile, now - lastEnd);
      lastEnd = now;
    },
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, erroredFiles: 0, files: [] };
      for (const session of sessions) {
        if (session.testResults) {
          countTests(session.testResults, counts);
          const testMs = Math.round(testTime(session.testResults));
          counts.files.push({ file: session.testFile, ms: wallMs.get(session.testFile) ?? testMs, testMs });
        }
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.erroredFiles++;
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}
