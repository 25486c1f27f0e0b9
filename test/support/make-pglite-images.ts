// Writes the two PGlite dumps every test process loads (pglite.ts) into the directory given as
// the first argument: `npm test` runs this once, so no test file runs initdb itself.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeImage, PGLITE_IMAGE_FILES } from './pglite.js';

const dir = process.argv[2];
if (dir === undefined || dir === '') throw new Error('usage: make-pglite-images.ts <directory>');
mkdirSync(dir, { recursive: true });
for (const kind of ['empty', 'migrated'] as const) {
  const blob = await makeImage(kind);
  // Written under a temporary name and renamed, so a reader never sees half a file.
  const file = join(dir, PGLITE_IMAGE_FILES[kind]);
  writeFileSync(`${file}.part`, Buffer.from(await blob.arrayBuffer()));
  renameSync(`${file}.part`, file);
}
