import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import type { Role } from '../common/auth/role';
import { ApiKeyEntity } from './api-key.entity';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  keyHash: Buffer;
  createdAt: Date;
  lastUsedAt: Date | null;
}

@Injectable()
export class ApiKeyRepository {
  private readonly repo: Repository<ApiKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(ApiKeyEntity);
  }

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  async insert(
    manager: EntityManager,
    key: { name: string; role: Role; prefix: string; keyHash: Buffer },
  ): Promise<ApiKeyRecord> {
    const repo = manager.getRepository(ApiKeyEntity);
    return repo.save(repo.create(key));
  }

  /** A live (not revoked) key by its public prefix. */
  async findLiveByPrefix(prefix: string): Promise<ApiKeyRecord | null> {
    const rows: ApiKeyRecord[] = await this.dataSource.query(
      `SELECT id, name, role, prefix, key_hash AS "keyHash", created_at AS "createdAt", last_used_at AS "lastUsedAt"
         FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
      [prefix],
    );
    return rows[0] ?? null;
  }

  async findLiveByName(name: string): Promise<ApiKeyRecord | null> {
    return this.repo.findOne({ where: { name, revokedAt: IsNull() } });
  }

  async listLive(): Promise<ApiKeyRecord[]> {
    return this.repo.find({ where: { revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** Revokes a live key; false when there was none with this id. */
  async revoke(manager: EntityManager, id: string): Promise<boolean> {
    const result = await manager
      .getRepository(ApiKeyEntity)
      .update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  async touch(id: string): Promise<void> {
    // Written at most once a minute per key, so reads do not turn into writes under load.
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
