// A web-test-runner reporter that writes the pass/fail counts to a JSON file, so the test script can
// print one total across all runners, and the time each test file's tests took, so it can name the
// slowest (the test-time budget is kept by knowing where the time goes).
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
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, erroredFiles: 0, files: [] };
      for (const session of sessions) {
        if (session.testResults) {
          countTests(session.testResults, counts);
          counts.files.push({ file: session.testFile, ms: Math.round(testTime(session.testResults)) });
        }
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.erroredFiles++;
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}
