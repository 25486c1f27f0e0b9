import { PGlite } from '@electric-sql/pglite';
import { assertChannelName, type Database, type QueryResult, type Sql } from './database.js';

type PGliteQueryable = Pick<PGlite, 'query' | 'exec'>;

function wrap(target: PGliteQueryable): Sql {
  return {
    query: async <Row extends object>(text: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> => {
      const result = await target.query<Row>(text, [...params]);
      // PGlite reports affectedRows 0 for a SELECT; a statement that returns columns counts its rows.
      const rowCount = result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
      return { rows: result.rows, rowCount };
    },
    exec: async (script: string): Promise<void> => {
      await target.exec(script);
    },
  };
}

/**
 * Embedded PostgreSQL (WASM) for `npm start` and tests: no server to install. `dataDir` undefined
 * keeps the database in memory. Queries run one at a time, so it suits one process, not production load.
 * `image` starts the database from a dump made by `pgliteImage` instead of from nothing.
 */
export async function openPGlite(dataDir?: string, image?: Blob): Promise<Database> {
  return wrapDatabase(await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), ...(image === undefined ? {} : { loadDataDir: image }) }));
}

/**
 * A dump of an in-memory database after `prepare` ran on it (e.g. the migrations). Creating PGlite
 * from nothing runs initdb inside WebAssembly with the event loop blocked for seconds; loading a
 * dump takes a fraction of that, which is what the test suites need to start many databases.
 */
export async function pgliteImage(prepare: (db: Database) => Promise<void>): Promise<Blob> {
  const pg = await PGlite.create();
  try {
    await prepare(wrapDatabase(pg));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

function wrapDatabase(db: PGlite): Database {
  return {
    kind: 'pglite',
    ...wrap(db),
    async transaction(fn) {
      return db.transaction((tx) => fn(wrap(tx)));
    },
    async listen(channel, handler) {
      assertChannelName(channel);
      const unsubscribe = await db.listen(channel, handler);
      return unsubscribe;
    },
    // In-process notifications are never lost.
    onNotificationsRestored() {
      return () => undefined;
    },
    async close() {
      await db.close();
    },
  };
}
