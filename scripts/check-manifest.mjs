// Fails when custom-elements.json no longer matches what the analyzer makes from the sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
// The analyzer resolves --outdir against the working directory, so the scratch folder lives here.
const out = mkdtempSync(join(root, '.cem-check-'));
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--litelement', '--globs', 'src/components/**/*.component.ts', '--outdir', basename(out), '--quiet'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const fresh = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'));
  const committed = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const tags = fresh.modules.flatMap((m) => (m.declarations ?? []).map((d) => d.tagName).filter(Boolean));
  if (!isDeepStrictEqual(fresh, committed)) {
    console.error('custom-elements.json is stale: run `npm run analyze` and commit the result.');
    process.exit(1);
  }
  console.log(`custom-elements.json is up to date (${tags.length} elements: ${tags.join(', ')}).`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
