// A web-test-runner reporter that writes the pass/fail counts to a JSON file, so the test script can
// print one total across all runners.
import { writeFileSync } from 'node:fs';

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
      const counts = { passed: 0, failed: 0, skipped: 0, erroredFiles: 0 };
      for (const session of sessions) {
        if (session.testResults) countTests(session.testResults, counts);
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.erroredFiles++;
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}
