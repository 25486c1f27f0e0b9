// Fresh in-memory PGlite databases loaded from dumps: creating PGlite from nothing runs initdb
// (about 4 s of CPU here, with the event loop blocked) and the migrations add more; loading a dump
// costs about a fifth of that. `npm test` makes the two dumps once for the whole run
// (make-pglite-images.ts, in the directory TEST_PGLITE_IMAGES names); a test file run on its own
// makes them once per process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { openPGlite, pgliteImage } from '../../server/src/db/pglite.js';

export const PGLITE_IMAGE_FILES = { empty: 'empty.tar', migrated: 'migrated.tar' } as const;

export function makeImage(kind: keyof typeof PGLITE_IMAGE_FILES): Promise<Blob> {
  return pgliteImage(async (db) => {
    if (kind === 'migrated') await migrate(db);
  });
}

function image(kind: keyof typeof PGLITE_IMAGE_FILES): Promise<Blob> {
  const dir = process.env.TEST_PGLITE_IMAGES;
  const file = dir === undefined || dir === '' ? undefined : join(dir, PGLITE_IMAGE_FILES[kind]);
  if (file !== undefined && existsSync(file)) return Promise.resolve(new Blob([readFileSync(file)]));
  return makeImage(kind);
}

let emptyImage: Promise<Blob> | undefined;
let migratedImage: Promise<Blob> | undefined;

/** A new empty database (no migrations applied), independent of any other. */
export async function emptyPGlite(): Promise<Database> {
  emptyImage ??= image('empty');
  return openPGlite(undefined, await emptyImage);
}

/** A new database with every migration applied, independent of any other. */
export async function freshPGlite(): Promise<Database> {
  migratedImage ??= image('migrated');
  return openPGlite(undefined, await migratedImage);
}
