import { randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const cipher = new TokenCipher(randomBytes(32));

  it('round-trips and never stores the token in clear', () => {
    const sealed = cipher.encrypt('CJT2x-access-token');
    expect(sealed).not.toContain('CJT2x');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(cipher.decrypt(sealed)).toBe('CJT2x-access-token');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses a tampered token and a token sealed with another key', () => {
    const sealed = cipher.encrypt('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    expect(() => new TokenCipher(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('requires a key in production', () => {
    expect(() => TokenCipher.fromKey(undefined, 'production')).toThrow(/TOKEN_ENCRYPTION_KEY/);
    expect(TokenCipher.fromKey(undefined, 'development').decrypt(TokenCipher.fromKey(undefined, 'test').encrypt('x'))).toBe('x');
  });
});
