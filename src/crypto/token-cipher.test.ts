import { createCipheriv, randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const cipher = TokenCipher.withKey(randomBytes(32));

  it('round-trips and never stores the token in clear', () => {
    const sealed = cipher.encrypt('CJT2x-access-token', 'hubspot:1');
    expect(sealed).not.toContain('CJT2x');
    expect(sealed.startsWith('v2.')).toBe(true);
    expect(cipher.decrypt(sealed, 'hubspot:1')).toBe('CJT2x-access-token');
    expect(cipher.encrypt('same', 'hubspot:1')).not.toBe(cipher.encrypt('same', 'hubspot:1'));
  });

  it('refuses a tampered token and a token sealed with another key', () => {
    const sealed = cipher.encrypt('secret', 'hubspot:1');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'hubspot:1')).toThrow();
    expect(() => TokenCipher.withKey(randomBytes(32)).decrypt(sealed, 'hubspot:1')).toThrow();
  });

  it('binds a sealed token to its tenant: copied to another tenant it does not open', () => {
    const sealed = cipher.encrypt('portal-1-token', 'hubspot:1');
    expect(() => cipher.decrypt(sealed, 'hubspot:2')).toThrow();
    expect(() => cipher.decrypt(sealed, 'salesforce:00D000000000001AAA')).toThrow();
  });

  it('still opens a v1 token sealed before tenant binding existed', () => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update('old-token', 'utf8'), c.final()]);
    const v1 = ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    expect(TokenCipher.withKey(key).decrypt(v1, 'hubspot:1')).toBe('old-token');
  });

  it('requires a key in production', () => {
    expect(() => TokenCipher.fromKey(undefined, { nodeEnv: 'production' })).toThrow(/TOKEN_ENCRYPTION_KEY/);
  });

  it('without a key, outside the demo and tests, refuses to seal or open tokens instead of using a key derivable from the source', () => {
    const none = TokenCipher.fromKey(undefined, { nodeEnv: 'development' });
    expect(none.source).toBe('none');
    expect(() => none.encrypt('x', 'hubspot:1')).toThrow(/TOKEN_ENCRYPTION_KEY is not set/);
    expect(() => none.decrypt('v2.a.b.c', 'hubspot:1')).toThrow(/TOKEN_ENCRYPTION_KEY is not set/);
  });

  it('the demo and tests get a random key of their own process: another process cannot open their tokens', () => {
    const demo = TokenCipher.fromKey(undefined, { nodeEnv: 'development', ephemeral: true });
    const test = TokenCipher.fromKey(undefined, { nodeEnv: 'test' });
    expect([demo.source, test.source]).toEqual(['ephemeral', 'ephemeral']);
    expect(demo.decrypt(demo.encrypt('x', 't:1'), 't:1')).toBe('x');
    expect(() => test.decrypt(demo.encrypt('x', 't:1'), 't:1')).toThrow();
  });
});
