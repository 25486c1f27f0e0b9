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
  /** How long a request waits for a connection before it fails (DATABASE_UNAVAILABLE); ms. */
  connectTimeoutMs?: number;
  /** Reconnect delays of the LISTEN connection: first, and the most it grows to; ms. */
  reconnectDelayMs?: { first: number; max: number };
  /** Told about connection trouble; the server logs it. */
  onProblem?: (what: string, err: unknown) => void;
}

/** Nothing a test or an operator needs to see twice a second: only real news. */
const noProblem = (): void => undefined;

/**
 * A real PostgreSQL (or Supabase) through a connection pool, plus one connection kept for LISTEN.
 * Built to survive the database going away: every pool and client has an error listener (an
 * unhandled 'error' event would end the process), a request fails within connectTimeoutMs instead
 * of queueing forever, and the LISTEN connection comes back by itself, re-subscribes, and then
 * tells its listeners that notifications may have been missed meanwhile.
 */
export function openPostgres(options: PostgresOptions): Database {
  const onProblem = options.onProblem ?? noProblem;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    keepAlive: true,
  });
  // An idle client that loses its connection emits 'error' on the pool; the pool replaces it on
  // the next checkout.
  pool.on('error', (err) => {
    onProblem('an idle database connection failed', err);
  });

  // Per channel: its handlers, and the LISTEN every subscriber waits for before it is subscribed.
  const channels = new Map<string, { handlers: Set<NotificationHandler>; ready: Promise<unknown> }>();
  const restoredHandlers = new Set<() => void>();
  let listener: pg.Client | null = null;
  let listenerReady: Promise<pg.Client> | null = null;
  let closed = false;
  const delays = options.reconnectDelayMs ?? { first: 100, max: 5000 };
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: options.connectTimeoutMs ?? 3000, keepAlive: true });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (err !== undefined) onProblem('the notification connection failed', err);
      if (listener === client) listener = null;
      listenerReady = null;
      if (!closed) scheduleReconnect(delays.first);
    };
    client.on('error', onLost);
    client.on('end', () => {
      onLost();
    });
    client.on('notification', (message) => {
      for (const handler of channels.get(message.channel)?.handlers ?? []) handler(message.payload ?? '');
    });
    try {
      await client.connect();
    } catch (err) {
      client.removeAllListeners('end');
      lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    listener = client;
    return client;
  }

  function listenerClient(): Promise<pg.Client> {
    listenerReady ??= connectListener().catch((err: unknown) => {
      listenerReady = null;
      throw err;
    });
    return listenerReady;
  }

  /** Brings the LISTEN connection back with a growing delay, then re-subscribes every channel. */
  function scheduleReconnect(delay: number): void {
    if (closed || reconnectTimer !== null || channels.size === 0) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void (async () => {
        try {
          const client = await listenerClient();
          for (const [channel, entry] of channels) {
            entry.ready = client.query(`LISTEN ${channel}`);
            await entry.ready;
          }
        } catch (err) {
          onProblem('the notification connection could not be restored yet', err);
          listener?.end().catch(() => undefined);
          scheduleReconnect(Math.min(delay * 2, delays.max));
          return;
        }
        // Whatever was notified while the connection was down is lost: listeners re-read.
        for (const restored of restoredHandlers) restored();
      })();
    }, delay);
  }

  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client that loses its connection emits 'error' on itself, not on the pool.
      let broken: unknown = null;
      const onError = (err: unknown) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        broken ??= err;
        throw err;
      } finally {
        client.off('error', onError);
        // A client whose connection failed is thrown away rather than handed to the next request.
        client.release(broken instanceof Error && /Connection terminated|ECONNRESET|terminating connection/i.test(broken.message) ? broken : undefined);
      }
    },
    async listen(channel, handler) {
      assertChannelName(channel);
      let entry = channels.get(channel);
      if (entry === undefined) {
        const client = await listenerClient();
        entry = channels.get(channel);
        if (entry === undefined) {
          entry = { handlers: new Set(), ready: client.query(`LISTEN ${channel}`) };
          channels.set(channel, entry);
        }
      }
      entry.handlers.add(handler);
      await entry.ready;
      return async () => {
        const current = channels.get(channel);
        if (current === undefined) return;
        current.handlers.delete(handler);
        if (current.handlers.size === 0) {
          channels.delete(channel);
          await listener?.query(`UNLISTEN ${channel}`).catch(() => undefined);
        }
      };
    },
    onNotificationsRestored(handler) {
      restoredHandlers.add(handler);
      return () => {
        restoredHandlers.delete(handler);
      };
    },
    async close() {
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      channels.clear();
      restoredHandlers.clear();
      const client = listener;
      listener = null;
      listenerReady = null;
      await Promise.all([client?.end().catch(() => undefined), pool.end()]);
    },
  };
}
