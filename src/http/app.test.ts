import type { Server } from 'node:http';
import { SHIPPED_CONFIG_DIR } from '../config/testing-fixtures';
import { loadConfig } from '../config/load-config';
import { loadEnv } from '../env';
import { activate } from '../runtime/active-config';
import { buildService, type Service } from '../runtime/build-service';
import { testRedis } from '../../test/helpers/redis';

describe('the HTTP app', () => {
  let service: Service;
  let base: string;
  let redis: ReturnType<typeof testRedis>;

  async function start(env: Record<string, string>) {
    const config = activate(await loadConfig(SHIPPED_CONFIG_DIR));
    service = await buildService({ env: loadEnv({ NODE_ENV: 'test', PORT: '0', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...env }), config: () => config, prefix: redis.prefix });
    const server = (await service.start(['web'])) as Server;
    base = `http://localhost:${(server.address() as { port: number }).port}`;
  }

  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await service?.stop();
    await redis.cleanup();
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    await start({});
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('# TYPE');
  });

  describe('the admin page and API', () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('take the admin token as a bearer token, or as the password of HTTP Basic (so a browser can open the page)', async () => {
      await start({ ADMIN_TOKEN: 's3cret-admin' });
      const bearer = await fetch(`${base}/admin/api/status`, { headers: { authorization: 'Bearer s3cret-admin' } });
      expect(bearer.status).toBe(200);
      expect(await bearer.json()).toMatchObject({ installations: [], pending: [], scores: [] });
      const page = await fetch(`${base}/`, { headers: { authorization: basic('anyone', 's3cret-admin') } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>Lead scorer</h1>');
    });

    it('refuse a wrong or missing token with 401 and both challenges', async () => {
      await start({ ADMIN_TOKEN: 's3cret-admin' });
      for (const authorization of [undefined, 'Bearer wrong', 'Bearer s3cret-admin2', basic('admin', 'wrong'), basic('s3cret-admin', ''), 'Basic !!!', 's3cret-admin']) {
        const res = await fetch(`${base}/`, authorization ? { headers: { authorization } } : {});
        expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="lead-scorer admin", Basic realm="lead-scorer admin", charset="UTF-8"');
      }
    });

    it('are closed without ADMIN_TOKEN', async () => {
      await start({});
      const res = await fetch(`${base}/admin/api/status`, { headers: { authorization: 'Bearer ' } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'ADMIN_TOKEN is not set: the admin page is closed' });
    });
  });
});
