// Runs a suite once per supported database: embedded PGlite and a real PostgreSQL.
import { describe } from 'node:test';
import type { Database } from '../../server/src/db/database.js';
import { openPostgres } from '../../server/src/db/postgres.js';
import { emptyPGlite } from './pglite.js';
import { createTestDatabase } from './postgres.js';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** A new, empty database; `open()` may be called again for a second handle on the same data. */
  create(): Promise<{ open(): Promise<Database>; dispose(): Promise<void> }>;
}

export const backends: TestBackend[] = [
  {
    name: 'pglite',
    async create() {
      // PGlite is one in-process database: a second "handle" is the same instance.
      const db = await emptyPGlite();
      return {
        open: () => Promise.resolve(db),
        dispose: () => db.close(),
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const database = await createTestDatabase();
      const opened: Database[] = [];
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
