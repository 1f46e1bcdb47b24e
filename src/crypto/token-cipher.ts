import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Encrypts CRM tokens at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('TokenCipher needs a 32-byte key');
  }

  /** A cipher from TOKEN_ENCRYPTION_KEY, or an insecure fixed development key when there is none (never in production). */
  static fromKey(key: Buffer | undefined, nodeEnv: string): TokenCipher {
    if (key) return new TokenCipher(key);
    if (nodeEnv === 'production') throw new Error('TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production');
    return new TokenCipher(createHash('sha256').update('lead-scorer insecure development key').digest());
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed token');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
