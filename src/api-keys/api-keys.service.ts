import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error';
import type { Actor } from '../common/auth/actor';
import type { Principal, Role } from '../common/auth/role';
import { AuditService } from '../audit/audit.service';
import { ApiKeyRepository, type ApiKeyRecord } from './api-key.repository';
import type { ApiKey, CreatedApiKey } from './api-key.model';

const KEY_PATTERN = /^dl_([0-9a-f]{16})_([A-Za-z0-9_-]{16,128})$/;

function hash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function toModel(r: ApiKeyRecord): ApiKey {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt ? r.lastUsedAt.toISOString() : null,
  };
}

/**
 * API keys look like `dl_<16 hex prefix>_<secret>`. The prefix finds the row; the whole key is
 * stored only as a SHA-256 hash (keys are long random strings, so a slow hash adds nothing) and
 * compared in constant time.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
  ) {}

  async create(name: string, role: Role, actor: Actor): Promise<CreatedApiKey> {
    const prefix = randomBytes(8).toString('hex');
    const key = `dl_${prefix}_${randomBytes(32).toString('base64url')}`;
    const record = await this.insert(actor, { name, role, prefix, keyHash: hash(key) });
    return { ...toModel(record), key };
  }

  private insert(actor: Actor, key: Parameters<ApiKeyRepository['insert']>[1]): Promise<ApiKeyRecord> {
    return this.keys.transaction(async (m) => {
      const record = await this.keys.insert(m, key);
      await this.audit.record(m, actor, {
        action: 'api-key.create',
        entityType: 'api-key',
        entityId: record.id,
        summary: `created ${key.role} key ${JSON.stringify(key.name)}`,
      });
      return record;
    });
  }

  /**
   * Makes sure a key with exactly this secret exists (the ADMIN_API_KEY setting). The secret is
   * chosen by the operator, so its prefix is derived from its hash.
   */
  async ensureKey(name: string, role: Role, secret: string, actor: Actor): Promise<void> {
    const prefix = this.prefixOf(secret);
    if (!prefix) throw new Error('ADMIN_API_KEY must be 32 to 512 characters');
    const existing = await this.keys.findLiveByPrefix(prefix);
    if (existing && timingSafeEqual(existing.keyHash, hash(secret))) return;
    await this.insert(actor, { name, role, prefix, keyHash: hash(secret) });
  }

  async list(): Promise<ApiKey[]> {
    return (await this.keys.listLive()).map(toModel);
  }

  async revoke(id: string, actor: Actor): Promise<void> {
    await this.keys.transaction(async (m) => {
      if (!(await this.keys.revoke(m, id))) throw new DomainError('API_KEY_NOT_FOUND', `No API key ${id}.`);
      await this.audit.record(m, actor, {
        action: 'api-key.revoke',
        entityType: 'api-key',
        entityId: id,
        summary: 'revoked the key',
      });
    });
  }

  /** The caller behind a presented key, or null when it is not a live key. */
  async authenticate(presented: string): Promise<Principal | null> {
    const prefix = this.prefixOf(presented);
    if (!prefix) return null;
    const record = await this.keys.findLiveByPrefix(prefix);
    const candidate = hash(presented);
    // Compare even when nothing was found, so timing does not tell which prefixes exist.
    const stored = record?.keyHash ?? Buffer.alloc(candidate.length);
    const equal = timingSafeEqual(stored, candidate);
    if (!record || !equal) return null;
    void this.keys.touch(record.id).catch(() => undefined);
    return { keyId: record.id, name: record.name, role: record.role };
  }

  private prefixOf(presented: string): string | null {
    const m = KEY_PATTERN.exec(presented);
    if (m) return m[1];
    if (presented.length >= 32 && presented.length <= 512)
      return `env${hash(presented).subarray(0, 6).toString('hex')}`;
    return null;
  }
}
