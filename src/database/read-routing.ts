import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Something that runs one SQL statement: the DataSource, an EntityManager, a replica. */
export interface Queryable {
  // The same signature as TypeORM's DataSource.query, which rows are typed by the caller.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * Where a read runs. With DATABASE_REPLICA_URLS, public reads (what anonymous callers may see)
 * go to a replica; everything else — editors' reads, so they read their own writes, and every
 * write — goes to the primary. Without replicas everything goes to the primary.
 */
@Injectable()
export class ReadRouting {
  private readonly replica: Queryable;

  private readonly logger = new Logger(ReadRouting.name);
  private warnedAt = 0;

  constructor(private readonly dataSource: DataSource) {
    this.replica = {
      query: async <T>(sql: string, parameters?: unknown[]): Promise<T> => {
        const runner = this.dataSource.createQueryRunner('slave');
        try {
          await runner.connect();
        } catch (err) {
          // A replica that cannot be reached must not take the public site down: the primary answers.
          await runner.release();
          this.warn(err);
          return await this.dataSource.query(sql, parameters);
        }
        try {
          return (await runner.query(sql, parameters)) as T;
        } finally {
          await runner.release();
        }
      },
    };
  }

  private warn(err: unknown): void {
    if (Date.now() - this.warnedAt < 60_000) return;
    this.warnedAt = Date.now();
    const message = err instanceof Error ? err.message : String(err);
    this.logger.warn(`a read replica is unreachable (${message}); public reads use the primary`);
  }

  /** True when DATABASE_REPLICA_URLS named at least one replica. */
  get replicated(): boolean {
    return (this.dataSource.driver as { isReplicated?: boolean }).isReplicated === true;
  }

  /** A replica when there are any, else the primary: for reads anyone may see, a little late. */
  forPublicRead(): Queryable {
    return this.replicated ? this.replica : this.dataSource;
  }

  /** The replica for a public read, the primary otherwise. */
  forRead(publicRead: boolean): Queryable {
    return publicRead ? this.forPublicRead() : this.dataSource;
  }
}
