// Fresh in-memory PGlite databases loaded from dumps made once per test process: creating PGlite
// from nothing runs initdb (about 4 s of CPU here, with the event loop blocked) and the migrations
// add more; loading a dump costs about a fifth of that.
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { openPGlite, pgliteImage } from '../../server/src/db/pglite.js';

let emptyImage: Promise<Blob> | undefined;
let migratedImage: Promise<Blob> | undefined;

/** A new empty database (no migrations applied), independent of any other. */
export async function emptyPGlite(): Promise<Database> {
  emptyImage ??= pgliteImage(() => Promise.resolve());
  return openPGlite(undefined, await emptyImage);
}

/** A new database with every migration applied, independent of any other. */
export async function freshPGlite(): Promise<Database> {
  migratedImage ??= pgliteImage(async (db) => {
    await migrate(db);
  });
  return openPGlite(undefined, await migratedImage);
}
