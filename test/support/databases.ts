// Runs a suite once per supported database: embedded PGlite and a real PostgreSQL.
import { describe } from 'node:test';
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { openPostgres } from '../../server/src/db/postgres.js';
import { emptyPGlite, freshPGlite } from './pglite.js';
import { createTestDatabase } from './postgres.js';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /**
   * A new database with every migration applied (with `empty`, none: for the migration tests);
   * `open()` may be called again for a second handle on the same data.
   */
  create(options?: { empty?: boolean }): Promise<{ open(): Promise<Database>; dispose(): Promise<void> }>;
}

export const backends: TestBackend[] = [
  {
    name: 'pglite',
    async create(options) {
      // PGlite is one in-process database: a second "handle" is the same instance. A migrated one
      // is loaded from a dump, faster than migrating an empty one.
      const db = options?.empty === true ? await emptyPGlite() : await freshPGlite();
      return {
        open: () => Promise.resolve(db),
        dispose: () => db.close(),
      };
    },
  },
  {
    name: 'postgres',
    async create(options) {
      const database = await createTestDatabase();
      const opened: Database[] = [];
      if (options?.empty !== true) {
        const db = openPostgres({ connectionString: database.url });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
      }
      return {
        open: () => {
          const db = openPostgres({ connectionString: database.url });
          opened.push(db);
          return Promise.resolve(db);
        },
        async dispose() {
          await Promise.all(opened.map((db) => db.close()));
          await database.drop();
        },
      };
    },
  },
];

export function describeEachDatabase(title: string, suite: (backend: TestBackend) => void): void {
  for (const backend of backends) {
    describe(`${title} [${backend.name}]`, () => {
      suite(backend);
    });
  }
}
