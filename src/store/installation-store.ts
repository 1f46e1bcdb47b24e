import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { TokenCipher } from '../crypto/token-cipher';

/** An installed portal or org. Tokens are kept apart, encrypted, and never leave this store in clear but to the connector. */
export interface Installation {
  /** `hubspot:<portalId>` or `salesforce:<orgId>`. */
  tenant: string;
  crm: string;
  status: InstallationStatus;
  /** Why the status is what it is (for `needs_reauth` or `paused`). */
  reason?: string;
  installedAt: number;
  /** CRM facts that are not secret: portal id, instance URL, user id, … */
  meta: Record<string, string>;
}

export type InstallationStatus = 'active' | 'needs_reauth' | 'paused';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; absent when the CRM does not say (Salesforce) or the token does not expire (private apps). */
  expiresAt?: number;
}

const tokenSetSchema = z.object({ accessToken: z.string(), refreshToken: z.string().optional(), expiresAt: z.number().optional() });

/** Installations in Redis: one hash per tenant, tokens sealed with AES-256-GCM. */
export class InstallationStore {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: TokenCipher,
    private readonly prefix = 'ls:',
  ) {}

  private key(tenant: string) {
    return `${this.prefix}inst:${tenant}`;
  }

  async save(inst: Installation, tokens: TokenSet): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(inst.tenant), {
        crm: inst.crm,
        status: inst.status,
        reason: inst.reason ?? '',
        installedAt: String(inst.installedAt),
        meta: JSON.stringify(inst.meta),
        tokens: this.cipher.encrypt(JSON.stringify(tokens), inst.tenant),
      })
      .sadd(`${this.prefix}installs`, inst.tenant)
      .exec();
  }

  async get(tenant: string): Promise<Installation | undefined> {
    const h = await this.redis.hgetall(this.key(tenant));
    if (!h.crm) return undefined;
    return {
      tenant,
      crm: h.crm,
      status: (h.status as InstallationStatus) ?? 'active',
      ...(h.reason ? { reason: h.reason } : {}),
      installedAt: Number(h.installedAt),
      meta: JSON.parse(h.meta ?? '{}') as Record<string, string>,
    };
  }

  async list(crm?: string): Promise<Installation[]> {
    const tenants = (await this.redis.smembers(`${this.prefix}installs`)).sort();
    const all = await Promise.all(tenants.map((t) => this.get(t)));
    return all.filter((i): i is Installation => i !== undefined && (crm === undefined || i.crm === crm));
  }

  async getTokens(tenant: string): Promise<TokenSet | undefined> {
    const sealed = await this.redis.hget(this.key(tenant), 'tokens');
    return sealed ? tokenSetSchema.parse(JSON.parse(this.cipher.decrypt(sealed, tenant))) : undefined;
  }

  /**
   * Replaces a tenant's tokens, and with `meta` merges non-secret facts that came with them (a new
   * instance URL), in ONE write: a rotated refresh token is never kept apart from what goes with it.
   */
  async setTokens(tenant: string, tokens: TokenSet, meta?: Record<string, string>): Promise<void> {
    const sealed = this.cipher.encrypt(JSON.stringify(tokens), tenant);
    if (!meta) {
      await this.redis.hset(this.key(tenant), 'tokens', sealed);
      return;
    }
    const current = await this.get(tenant);
    await this.redis.hset(this.key(tenant), { tokens: sealed, meta: JSON.stringify({ ...current?.meta, ...meta }) });
  }

  async setMeta(tenant: string, meta: Record<string, string>): Promise<void> {
    const current = await this.get(tenant);
    await this.redis.hset(this.key(tenant), 'meta', JSON.stringify({ ...current?.meta, ...meta }));
  }

  async setStatus(tenant: string, status: InstallationStatus, reason?: string): Promise<void> {
    await this.redis.hset(this.key(tenant), { status, reason: reason ?? '' });
  }

  async remove(tenant: string): Promise<void> {
    await this.redis.multi().del(this.key(tenant)).srem(`${this.prefix}installs`, tenant).exec();
  }
}
