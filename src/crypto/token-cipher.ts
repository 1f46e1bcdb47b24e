import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Where the key of a TokenCipher comes from, for the start-up log and error messages. */
export type KeySource = 'configured' | 'ephemeral' | 'none';

/**
 * Encrypts CRM tokens at rest with AES-256-GCM, each sealed token bound to its tenant (the tenant
 * id is the additional authenticated data: a token copied to another tenant's record does not
 * open). Format `v2.<iv>.<tag>.<ciphertext>`, base64url parts; `v1` (no tenant binding, written
 * before) is still read, and sealed again as `v2` at its next write.
 */
export class TokenCipher {
  private constructor(
    private readonly key: Buffer | undefined,
    readonly source: KeySource,
  ) {
    if (key && key.length !== 32) throw new Error('TokenCipher needs a 32-byte key');
  }

  /** A cipher with a 32-byte key (TOKEN_ENCRYPTION_KEY). */
  static withKey(key: Buffer): TokenCipher {
    return new TokenCipher(key, 'configured');
  }

  /**
   * The cipher of a process: the configured key; without one, under tests (`NODE_ENV=test`, or
   * `ephemeral`) a random key of this process, whose tokens die with it, and otherwise a cipher that
   * refuses to seal or open anything, so that no token is ever stored under a key anyone could
   * derive. (The demo sets a random TOKEN_ENCRYPTION_KEY of its own.) In production the environment
   * check refuses to start without a key.
   */
  static fromKey(key: Buffer | undefined, opts: { nodeEnv: string; ephemeral?: boolean }): TokenCipher {
    if (key) return new TokenCipher(key, 'configured');
    if (opts.nodeEnv === 'production') throw new Error('TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production');
    if (opts.ephemeral || opts.nodeEnv === 'test') return new TokenCipher(randomBytes(32), 'ephemeral');
    return new TokenCipher(undefined, 'none');
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new Error('TOKEN_ENCRYPTION_KEY is not set, so CRM tokens cannot be stored or read: set it to 32 random bytes (openssl rand -hex 32) and restart');
    }
    return this.key;
  }

  /** Seals a token for one tenant. */
  encrypt(plain: string, tenant: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.requireKey(), iv);
    cipher.setAAD(Buffer.from(tenant, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v2', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Opens a token sealed for `tenant`; throws when it was sealed for another tenant, with another key, or was altered. */
  decrypt(sealed: string, tenant: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if ((version !== 'v1' && version !== 'v2') || !iv || !tag || body === undefined) throw new Error('not a sealed token');
    const decipher = createDecipheriv('aes-256-gcm', this.requireKey(), Buffer.from(iv, 'base64url'));
    if (version === 'v2') decipher.setAAD(Buffer.from(tenant, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
