import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { fileURLToPath } from 'node:url';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from './test/support/chromium.mjs';
import { countReporter } from './test/support/count-reporter.mjs';
// TypeScript: wtr runs under `node --import tsx` (see scripts/test.mjs and the test:browser script).
import { mediaCommands } from './test/support/media-commands.ts';
import { visualRegressionPlugin } from '@web/test-runner-visual-regression/plugin';

assertChromiumInstalled();

const countsFile = process.env.WTR_COUNTS_FILE;

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['test/components/**/*.test.ts', 'test/core/**/*.test.ts', 'test/media/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  rootDir: '.',
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 5 * 60 * 1000,
  // A loaded machine (a CI runner doing other work) can take well over the default 30 s to open a page.
  browserStartTimeout: 2 * 60 * 1000,
  testsStartTimeout: 2 * 60 * 1000,
  plugins: [
    mediaCommands(),
    // Baselines are committed under test/screenshots/<browser>/baseline; failures and diffs land
    // beside them in failed/ (not committed). UPDATE_SCREENSHOTS=1 rewrites the baselines.
    visualRegressionPlugin({
      baseDir: 'test/screenshots',
      update: process.env.UPDATE_SCREENSHOTS === '1',
      failureThreshold: 1,
      failureThresholdType: 'percent',
    }),
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumFlags(),
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), ...(countsFile ? [countReporter(countsFile)] : [])],
};
