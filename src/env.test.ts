import { loadEnv } from './env';

describe('loadEnv', () => {
  it('applies the contract defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', PORT: 3000, PUBLIC_URL: 'http://localhost:3000', CONFIG_DIR: './config', HUBSPOT_API_BASE_URL: 'https://api.hubapi.com', SALESFORCE_LOGIN_URL: 'https://login.salesforce.com', LOG_LEVEL: 'info' });
  });

  it('requires a 32-byte TOKEN_ENCRYPTION_KEY in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/TOKEN_ENCRYPTION_KEY is required/);
    expect(() => loadEnv({ TOKEN_ENCRYPTION_KEY: 'short' })).toThrow(/32 bytes/);
    expect(loadEnv({ NODE_ENV: 'production', TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32) }).NODE_ENV).toBe('production');
    expect(loadEnv({ TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).TOKEN_ENCRYPTION_KEY).toBeDefined();
  });
});
