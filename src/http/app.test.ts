import type { Server } from 'node:http';
import { SHIPPED_CONFIG_DIR } from '../config/testing-fixtures';
import { loadConfig } from '../config/load-config';
import { loadEnv } from '../env';
import { activate } from '../runtime/active-config';
import { buildService, type Service } from '../runtime/build-service';
import { testRedis } from '../../test/helpers/redis';
import { routingMetrics } from '../routing/routing-metrics';
import { SlaStore } from '../routing/sla-store';

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

    it('show the SLA status: open SLAs per tenant and met/breached totals per CRM', async () => {
      await start({ ADMIN_TOKEN: 's3cret-admin' });
      const slas = new SlaStore(redis.redis, redis.prefix);
      for (const id of ['00Q1', '00Q2', '00Q3']) await slas.schedule({ tenant: 'salesforce:00DX', objectType: 'Lead', id }, Date.now() + 3_600_000);
      await slas.schedule({ tenant: 'hubspot:7', objectType: 'contact', id: '1' }, Date.now() + 3_600_000);
      const crm = 'admin-page-test-crm';
      routingMetrics.slaMet.inc({ crm }, 4);
      routingMetrics.slaBreached.inc({ crm }, 2);
      const res = await fetch(`${base}/admin/api/status`, { headers: { authorization: 'Bearer s3cret-admin' } });
      const body = (await res.json()) as { sla: unknown[]; slaTotals: unknown[] };
      expect(body.sla).toEqual(expect.arrayContaining([{ tenant: 'salesforce:00DX', open: 3, breached: 0 }, { tenant: 'hubspot:7', open: 1, breached: 0 }]));
      expect(body.slaTotals).toContainEqual({ crm, met: 4, breached: 2 });
      const page = await (await fetch(`${base}/`, { headers: { authorization: basic('me', 's3cret-admin') } })).text();
      expect(page).toContain('<h2>SLA status</h2>');
      expect(page).toContain('<tr><td>salesforce:00DX</td><td>3</td><td>0</td></tr>');
      expect(page).toContain(`<tr><td>${crm}</td><td>4</td><td>2</td></tr>`);
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
