import { Injectable, Logger } from '@nestjs/common';
import { ApiKeyRecord, AuditLogEntry } from '@gyre/database';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuthError } from '../errors';
import { AuthenticatedKey } from '../grants/access';
import { ApiKeyDefinition, checkDefinition } from '../grants/grants';
import { formatApiKey, newKeyId, newSecret, parseApiKey } from './api-key-token';
import { ApiKeyView, IssuedApiKey, viewOf } from './api-key-view';
import { hashSecret, secretMatches } from './secret-hash';
import { VerifiedKeyCache } from './verified-key-cache';

// last_used_at is written at most this often per key and process: not one UPDATE per request.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The columns authentication reads, by one parameterised query (no entity mapping on the hot path). */
interface KeyRow {
  id: string;
  name: string;
  role: AuthenticatedKey['role'];
  scope: AuthenticatedKey['scope'];
  secret_hash: string;
  revoked: boolean;
}

/**
 * API keys: issuing, rotating and revoking them (each change audited, in the same transaction), and
 * authenticating the key a request carries. The same service serves the admin endpoints and the CLI.
 *
 * A verified key is trusted from memory for `keyCacheTtlMs` (AUTH_KEY_CACHE_TTL_MS): rotating or revoking
 * it takes effect at once in this process and within that time in every other one.
 */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeyService');
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly verified: VerifiedKeyCache;

  constructor(
    private readonly dataSource: DataSource,
    keyCacheTtlMs = 0,
  ) {
    this.verified = new VerifiedKeyCache(keyCacheTtlMs);
  }

  async create(definition: ApiKeyDefinition, actor: string): Promise<IssuedApiKey> {
    checkDefinition(definition);
    const keyId = newKeyId();
    const secret = newSecret();
    return this.dataSource.transaction(async (manager) => {
      const record = manager.create(ApiKeyRecord, {
        id: keyId,
        name: definition.name.trim(),
        role: definition.role,
        scope: definition.scope,
        secretHash: hashSecret(secret),
        createdBy: actor,
      });
      // ON CONFLICT DO NOTHING: a taken name is an expected answer, not a failed query in the logs.
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(ApiKeyRecord)
        .values(record)
        .orIgnore()
        .execute();
      if ((inserted.raw as unknown[]).length === 0)
        throw new AuthError('API_KEY_EXISTS', `a live API key named "${record.name}" exists`);
      const key = viewOf(await manager.findOneByOrFail(ApiKeyRecord, { id: keyId }));
      await this.audit(manager, actor, 'api-key.create', keyId, null, key);
      return { key, secret: formatApiKey({ keyId, secret }) };
    });
  }

  async list(): Promise<ApiKeyView[]> {
    const records = await this.dataSource.getRepository(ApiKeyRecord).find({ order: { createdAt: 'ASC' } });
    return records.map(viewOf);
  }

  /** The live (not revoked) key with this name, if any. */
  async findLiveByName(name: string): Promise<ApiKeyView | undefined> {
    const record = await this.dataSource.getRepository(ApiKeyRecord).findOneBy({ name, revokedAt: IsNull() });
    return record ? viewOf(record) : undefined;
  }

  /** A new secret for the same id, role and scope; the old secret stops working at once. */
  async rotate(id: string, actor: string): Promise<IssuedApiKey> {
    const secret = newSecret();
    return this.forgettingKey(id, () =>
      this.dataSource.transaction(async (manager) => {
        const record = await this.lock(manager, id);
        if (record.revokedAt)
          throw new AuthError('API_KEY_NOT_ACTIVE', `API key ${id} is revoked and cannot be rotated`);
        const before = viewOf(record);
        await manager.update(
          ApiKeyRecord,
          { id },
          { secretHash: hashSecret(secret), rotatedAt: () => 'now()' },
        );
        const key = viewOf(await manager.findOneByOrFail(ApiKeyRecord, { id }));
        await this.audit(manager, actor, 'api-key.rotate', id, before, key);
        return { key, secret: formatApiKey({ keyId: id, secret }) };
      }),
    );
  }

  /** Revokes the key for good; revoking a revoked key changes nothing. */
  async revoke(id: string, actor: string): Promise<ApiKeyView> {
    return this.forgettingKey(id, () =>
      this.dataSource.transaction(async (manager) => {
        const record = await this.lock(manager, id);
        if (record.revokedAt) return viewOf(record);
        const before = viewOf(record);
        await manager.update(ApiKeyRecord, { id }, { revokedAt: () => 'now()' });
        const key = viewOf(await manager.findOneByOrFail(ApiKeyRecord, { id }));
        await this.audit(manager, actor, 'api-key.revoke', id, before, key);
        return key;
      }),
    );
  }

  /**
   * The key behind a bearer token. An unknown id and a wrong secret are the same error, so a caller cannot
   * probe which ids exist; "revoked" is said only to whoever holds the right secret.
   */
  async authenticate(token: string): Promise<AuthenticatedKey> {
    const parsed = parseApiKey(token);
    if (!parsed)
      throw new AuthError('API_KEY_MALFORMED', 'the API key is malformed: expected gyre_<id>_<secret>');
    const cached = this.verified.get(token);
    if (cached) {
      void this.touch(cached.id);
      return cached;
    }
    const generation = this.verified.generation;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT id, name, role, scope, secret_hash, revoked_at IS NOT NULL AS revoked FROM gyre_api_keys WHERE id = $1`,
      [parsed.keyId],
    );
    const record = rows[0];
    if (!record || !secretMatches(parsed.secret, record.secret_hash))
      throw new AuthError('API_KEY_INVALID', 'the API key is not valid');
    if (record.revoked) throw new AuthError('API_KEY_REVOKED', `API key ${record.id} has been revoked`);
    const key: AuthenticatedKey = {
      id: record.id,
      name: record.name,
      role: record.role,
      scope: record.scope,
    };
    this.verified.set(token, key, generation);
    await this.touch(record.id);
    return key;
  }

  /**
   * Runs a change of the key with its cached verifications forgotten before and after the commit: a lookup
   * that read the old row while the change ran cannot cache it (see VerifiedKeyCache.generation).
   */
  private async forgettingKey<T>(id: string, change: () => Promise<T>): Promise<T> {
    this.verified.forgetKey(id);
    try {
      return await change();
    } finally {
      this.verified.forgetKey(id);
    }
  }

  private async touch(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(id, now);
    // A failed bookkeeping write must not fail the request it belongs to: logged, and retried next minute.
    await this.dataSource
      .getRepository(ApiKeyRecord)
      .update({ id }, { lastUsedAt: () => 'now()' })
      .catch((error: unknown) => {
        this.lastUsedWritten.delete(id);
        this.logger.warn({ msg: 'could not record the last use of an API key', keyId: id }, error as object);
      });
  }

  private async lock(manager: EntityManager, id: string): Promise<ApiKeyRecord> {
    const record = await manager.findOne(ApiKeyRecord, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!record) throw new AuthError('API_KEY_NOT_FOUND', `API key ${id} does not exist`);
    return record;
  }

  private async audit(
    manager: EntityManager,
    actor: string,
    action: string,
    id: string,
    before: ApiKeyView | null,
    after: ApiKeyView | null,
  ): Promise<void> {
    await manager.save(
      Object.assign(new AuditLogEntry(), { actor, action, target: `api-key/${id}`, before, after }),
    );
  }
}
