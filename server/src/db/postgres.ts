import pg from 'pg';
import { assertChannelName, type Database, type NotificationHandler, type QueryResult, type Sql } from './database.js';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function wrap(target: Queryable): Sql {
  return {
    query: async <Row extends object>(text: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> => {
      const result = await target.query<Row & pg.QueryResultRow>(text, [...params]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    exec: async (script: string): Promise<void> => {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await target.query(script);
    },
  };
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
}

/** A real PostgreSQL (or Supabase) through a connection pool, plus one connection kept for LISTEN. */
export function openPostgres(options: PostgresOptions): Database {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that
  // would crash the process. The pool replaces the client on the next checkout.
  pool.on('error', () => undefined);

  // Per channel: its handlers, and the LISTEN every subscriber waits for before it is subscribed.
  const channels = new Map<string, { handlers: Set<NotificationHandler>; ready: Promise<unknown> }>();
  let listener: pg.Client | null = null;
  let listenerReady: Promise<pg.Client> | null = null;

  function listenerClient(): Promise<pg.Client> {
    listenerReady ??= (async () => {
      const client = new pg.Client({ connectionString: options.connectionString });
      client.on('error', () => undefined);
      client.on('notification', (message) => {
        for (const handler of channels.get(message.channel)?.handlers ?? []) handler(message.payload ?? '');
      });
      await client.connect();
      listener = client;
      return client;
    })();
    return listenerReady;
  }

  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, handler) {
      assertChannelName(channel);
      const client = await listenerClient();
      let entry = channels.get(channel);
      if (entry === undefined) {
        entry = { handlers: new Set(), ready: client.query(`LISTEN ${channel}`) };
        channels.set(channel, entry);
      }
      entry.handlers.add(handler);
      await entry.ready;
      return async () => {
        const current = channels.get(channel);
        if (current === undefined) return;
        current.handlers.delete(handler);
        if (current.handlers.size === 0) {
          channels.delete(channel);
          await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
        }
      };
    },
    async close() {
      channels.clear();
      const client = listener;
      listener = null;
      listenerReady = null;
      await Promise.all([client?.end().catch(() => undefined), pool.end()]);
    },
  };
}
