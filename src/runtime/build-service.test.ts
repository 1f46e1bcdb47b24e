import { loadConfig } from '../config/load-config';
import { SHIPPED_CONFIG_DIR } from '../config/testing-fixtures';
import { loadEnv } from '../env';
import { testRedis } from '../../test/helpers/redis';
import { activate } from './active-config';
import { buildService, redactUrl } from './build-service';

describe('buildService', () => {
  let redis: ReturnType<typeof testRedis>;
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(() => redis.cleanup());

  const options = async (env: Record<string, string>) => {
    const config = activate(await loadConfig(SHIPPED_CONFIG_DIR));
    return { env: loadEnv({ NODE_ENV: 'test', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...env }), config: () => config, prefix: redis.prefix };
  };

  it('with PORT=0 listens on a free port, and a default PUBLIC_URL follows it', async () => {
    const opts = await options({ PORT: '0' });
    const service = await buildService(opts);
    try {
      const server = await service.start(['web']);
      const port = (server!.address() as { port: number }).port;
      expect(port).toBeGreaterThan(0);
      expect(opts.env.PUBLIC_URL).toBe(`http://localhost:${port}`);
      expect(service.deps.ctx.env.PUBLIC_URL).toBe(`http://localhost:${port}`);
    } finally {
      await service.stop();
    }
  });

  it('keeps a PUBLIC_URL that was given', async () => {
    const opts = await options({ PORT: '0', PUBLIC_URL: 'https://scorer.example.com' });
    const service = await buildService(opts);
    try {
      await service.start(['web']);
      expect(opts.env.PUBLIC_URL).toBe('https://scorer.example.com');
    } finally {
      await service.stop();
    }
  });

  it('polls every installation at the interval it is given', async () => {
    const service = await buildService({ ...(await options({})), pollIntervalMs: 7_000 });
    try {
      await service.deps.ctx.ingest.startSync('hubspot:1', ['contact']);
      const schedulers = await service.deps.queues.poll.getJobSchedulers();
      expect(schedulers.map((s) => s.every)).toEqual([7_000]);
    } finally {
      await service.stop();
    }
  });

  it('stops once however often it is asked, closing the HTTP server', async () => {
    const service = await buildService(await options({ PORT: '0' }));
    const server = await service.start(['web', 'worker', 'scheduler']);
    const url = `http://localhost:${(server!.address() as { port: number }).port}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await Promise.all([service.stop(), service.stop()]);
    await service.stop();
    expect(server!.listening).toBe(false);
  });

  it('says which Redis it could not reach, without its password', async () => {
    await expect(buildService(await options({ REDIS_URL: 'redis://user:pa55@127.0.0.1:1/2' }))).rejects.toThrow(/^cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1\/2: /);
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('(an unreadable URL)');
  });
});
