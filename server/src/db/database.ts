/** What the server needs from a database: the same on embedded PGlite and on PostgreSQL. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export type NotificationHandler = (payload: string) => void;

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves to a function that unsubscribes. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /**
   * Called after the notification connection was lost and is back: notifications sent in between
   * are gone, so whoever relies on them must look again. Returns a function that unsubscribes.
   */
  onNotificationsRestored(handler: () => void): () => void;
  close(): Promise<void>;
}

/** Channel names go into LISTEN statements unquoted-by-parameter, so only plain identifiers pass. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid notification channel name: ${channel}`);
}
