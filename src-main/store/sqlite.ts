// A small promise wrapper over `sqlite3`. One connection per store; every use goes through
// one queue, so a transaction (BEGIN ... COMMIT) never interleaves with another caller's
// statements on the same connection.
import sqlite3 from 'sqlite3';
import { storeErrorFrom } from './errors';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

export interface RunResult {
  lastID: number;
  changes: number;
}

/** The statements available inside one exclusive turn (a transaction or a single call). */
export interface SqlConn {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Streams rows one by one (large scans such as chain verification). */
  each<T>(sql: string, params: SqlParams, onRow: (row: T) => void): Promise<number>;
  prepare(sql: string): Promise<PreparedStatement>;
  /**
   * The statement for `sql`, prepared once and kept for the connection's life (the hot writes:
   * preparing costs more than running them). Its `get` reads to the end, so a kept statement
   * never holds a read open; use it for fixed SQL only, never SQL built from values.
   */
  statement(sql: string): Promise<PreparedStatement>;
}

export interface PreparedStatement {
  run(params?: SqlParams): Promise<RunResult>;
  get<T>(params?: SqlParams): Promise<T | undefined>;
  all<T>(params?: SqlParams): Promise<T[]>;
  finalize(): Promise<void>;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Create the file when missing (default true unless readOnly). */
  create?: boolean;
}

function wrapStatement(stmt: sqlite3.Statement): PreparedStatement {
  return {
    run: (params = []) =>
      new Promise((resolve, reject) => {
        stmt.run(params, function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ lastID: this.lastID, changes: this.changes });
        });
      }),
    get: <T>(params: SqlParams = []) =>
      new Promise<T | undefined>((resolve, reject) => {
        stmt.get<T>(params, (err: Error | null, row?: T) => (err ? reject(err) : resolve(row)));
      }),
    all: <T>(params: SqlParams = []) =>
      new Promise<T[]>((resolve, reject) => {
        stmt.all<T>(params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
      }),
    finalize: () =>
      new Promise<void>((resolve) => {
        stmt.finalize(() => resolve());
      }),
  };
}

/** A kept statement: `get` reads every row (then the first), leaving no statement mid-read. */
function keptStatement(stmt: sqlite3.Statement): PreparedStatement {
  const wrapped = wrapStatement(stmt);
  return {
    ...wrapped,
    get: async <T>(params?: SqlParams) => (await wrapped.all<T>(params))[0],
  };
}

export class SqliteDb {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly conn: SqlConn;
  /** Statements kept for the connection's life (SqlConn.statement), finalized by close(). */
  private readonly kept = new Map<string, Promise<sqlite3.Statement>>();

  private constructor(
    private readonly raw: sqlite3.Database,
    readonly fileName: string,
  ) {
    const prepareRaw = (sql: string): Promise<sqlite3.Statement> =>
      new Promise<sqlite3.Statement>((resolve, reject) => {
        const stmt: sqlite3.Statement = raw.prepare(sql, (err: Error | null) =>
          err ? reject(err) : resolve(stmt),
        );
      });
    const inner: SqlConn = {
      run: (sql, params = []) =>
        new Promise((resolve, reject) => {
          raw.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
            if (err) reject(err);
            else resolve({ lastID: this.lastID, changes: this.changes });
          });
        }),
      get: <T>(sql: string, params: SqlParams = []) =>
        new Promise<T | undefined>((resolve, reject) => {
          raw.get<T>(sql, params, (err: Error | null, row: T) =>
            err ? reject(err) : resolve(row),
          );
        }),
      all: <T>(sql: string, params: SqlParams = []) =>
        new Promise<T[]>((resolve, reject) => {
          raw.all<T>(sql, params, (err: Error | null, rows: T[]) =>
            err ? reject(err) : resolve(rows),
          );
        }),
      exec: (sql) =>
        new Promise<void>((resolve, reject) => {
          raw.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()));
        }),
      each: <T>(sql: string, params: SqlParams, onRow: (row: T) => void) =>
        new Promise<number>((resolve, reject) => {
          let failure: unknown;
          raw.each<T>(
            sql,
            params,
            (err: Error | null, row: T) => {
              if (err || failure) return;
              try {
                onRow(row);
              } catch (e) {
                failure = e;
              }
            },
            (err: Error | null, count: number) => {
              if (err) reject(err);
              else if (failure) reject(failure);
              else resolve(count);
            },
          );
        }),
      prepare: (sql) => prepareRaw(sql).then(wrapStatement),
      statement: async (sql) => {
        let stmt = this.kept.get(sql);
        if (!stmt) {
          stmt = prepareRaw(sql);
          this.kept.set(sql, stmt);
          stmt.catch(() => this.kept.delete(sql));
        }
        return keptStatement(await stmt);
      },
    };
    // A full disk, a read-only or unreadable file... become a StoreError naming the problem and
    // the file, in both languages (errors.ts), wherever in the store they happen.
    const fail = (err: unknown): Promise<never> => Promise.reject(storeErrorFrom(err, fileName));
    this.conn = {
      run: (sql, params) => inner.run(sql, params).catch(fail),
      get: <T>(sql: string, params?: SqlParams) => inner.get<T>(sql, params).catch(fail),
      all: <T>(sql: string, params?: SqlParams) => inner.all<T>(sql, params).catch(fail),
      exec: (sql) => inner.exec(sql).catch(fail),
      each: <T>(sql: string, params: SqlParams, onRow: (row: T) => void) =>
        inner.each<T>(sql, params, onRow).catch(fail),
      prepare: (sql) =>
        inner.prepare(sql).then(
          (stmt): PreparedStatement => ({
            run: (params) => stmt.run(params).catch(fail),
            get: <T>(params?: SqlParams) => stmt.get<T>(params).catch(fail),
            all: <T>(params?: SqlParams) => stmt.all<T>(params).catch(fail),
            finalize: () => stmt.finalize(),
          }),
          fail,
        ),
      statement: (sql) =>
        inner.statement(sql).then(
          (stmt): PreparedStatement => ({
            run: (params) => stmt.run(params).catch(fail),
            get: <T>(params?: SqlParams) => stmt.get<T>(params).catch(fail),
            all: <T>(params?: SqlParams) => stmt.all<T>(params).catch(fail),
            // Kept statements are finalized by close(), not by a caller.
            finalize: () => Promise.resolve(),
          }),
          fail,
        ),
    };
  }

  static open(fileName: string, opts: OpenOptions = {}): Promise<SqliteDb> {
    const readOnly = opts.readOnly ?? false;
    const create = opts.create ?? !readOnly;
    const mode =
      (readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE) |
      (create && !readOnly ? sqlite3.OPEN_CREATE : 0) |
      sqlite3.OPEN_FULLMUTEX;
    return new Promise((resolve, reject) => {
      const raw = new sqlite3.Database(fileName, mode, (err: Error | null) => {
        if (err) reject(storeErrorFrom(err, fileName));
        else resolve(new SqliteDb(raw, fileName));
      });
    });
  }

  /** Runs `fn` with the connection to itself: nothing else runs on it meanwhile. */
  exclusive<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const turn = this.queue.then(() => fn(this.conn));
    // The queue continues whether this turn succeeds or fails.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * Runs `fn` on a read-only connection of its own inside one read transaction: a consistent
   * snapshot (WAL) of the whole file, while this connection keeps writing. For long reads that
   * must not see half of a later write, such as the verifications of `cashier log verify`.
   */
  async readSnapshot<T>(fn: (conn: SqlConn) => Promise<T>, busyTimeoutMs = 5000): Promise<T> {
    const reader = await SqliteDb.open(this.fileName, { readOnly: true });
    reader.configureBusyTimeout(busyTimeoutMs);
    try {
      return await reader.exclusive(async (conn) => {
        await conn.exec('BEGIN');
        try {
          return await fn(conn);
        } finally {
          await conn.exec('COMMIT').catch(() => undefined);
        }
      });
    } finally {
      await reader.close();
    }
  }

  /**
   * BEGIN IMMEDIATE ... COMMIT around `fn` (ROLLBACK when it throws). IMMEDIATE takes the write
   * lock at once, so another process writing the same file waits (busy_timeout) instead of
   * failing half-way through.
   */
  transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
    return this.exclusive(async (conn) => {
      await (await conn.statement('BEGIN IMMEDIATE')).run();
      try {
        const result = await fn(conn);
        await (await conn.statement('COMMIT')).run();
        return result;
      } catch (err) {
        await conn.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.exclusive((c) => c.run(sql, params));
  }
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.exclusive((c) => c.get<T>(sql, params));
  }
  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.exclusive((c) => c.all<T>(sql, params));
  }
  exec(sql: string): Promise<void> {
    return this.exclusive((c) => c.exec(sql));
  }

  /** Milliseconds a statement waits for another connection's lock before failing with BUSY. */
  configureBusyTimeout(ms: number): void {
    this.raw.configure('busyTimeout', ms);
  }

  /**
   * Online copy of the whole database into `destFile` with the SQLite backup API. Other
   * callers wait in the queue while it runs, so the copy is a consistent snapshot.
   */
  backupTo(destFile: string): Promise<void> {
    return this.copyWith(destFile, true);
  }

  /** Replaces this database's content with `srcFile`'s, through the backup API. */
  restoreFrom(srcFile: string): Promise<void> {
    return this.copyWith(srcFile, false);
  }

  private copyWith(file: string, fileIsDest: boolean): Promise<void> {
    // A failure names the file being written: the destination of a backup, or this database.
    const written = fileIsDest ? file : this.fileName;
    return this.exclusive(() =>
      new Promise<void>((resolve, reject) => {
        const raw = this.raw as unknown as RawWithBackup;
        const backup = raw.backup(file, 'main', 'main', fileIsDest, (err) => {
          if (err) return reject(err);
          let retries = 0;
          const step = (): void => {
            backup.step(-1, (stepErr) => {
              // BUSY / LOCKED leave the backup alive (not failed): another connection holds
              // a lock, so try again shortly, for up to about 5 s.
              const retry = !backup.completed && !backup.failed && retries++ < 250;
              if (retry) {
                setTimeout(step, 20);
                return;
              }
              if (stepErr || !backup.completed) {
                backup.finish(() => reject(stepErr ?? new Error('backup did not complete')));
                return;
              }
              const failed = backup.failed;
              backup.finish(() =>
                failed ? reject(new Error('backup failed')) : resolve(undefined),
              );
            });
          };
          step();
        });
      }).catch((err: unknown) => Promise.reject(storeErrorFrom(err, written))),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    // SQLite refuses to close a connection with statements still prepared.
    for (const stmt of this.kept.values()) {
      const s = await stmt.catch(() => undefined);
      if (s) await new Promise<void>((resolve) => s.finalize(() => resolve()));
    }
    this.kept.clear();
    await new Promise<void>((resolve, reject) => {
      this.raw.close((err: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}

// sqlite3's Backup class is not in its type definitions.
interface RawBackup {
  step(pages: number, cb: (err: Error | null) => void): void;
  finish(cb: (err: Error | null) => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
}
interface RawWithBackup {
  backup(
    file: string,
    destName: string,
    sourceName: string,
    filenameIsDest: boolean,
    cb: (err: Error | null) => void,
  ): RawBackup;
}
