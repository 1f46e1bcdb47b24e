import express, { type Express } from 'express';
import type { CrmConnector } from '../../connectors/types';
import { registry } from '../metrics';
import type { PipelineDeps } from '../pipeline/pipeline-deps';
import { adminAuth } from './admin-auth';
import { renderAdminPage } from './admin-page';
import { adminStatus } from './admin-status';

/** The HTTP app: health, readiness, metrics, the admin page, and each connector's install and webhook routes. */
export function createApp(deps: PipelineDeps, connectors: CrmConnector[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // ready = both connections a webhook needs answer: the store (installations, pending sets) and the queue (flush jobs)
  app.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(Promise.all([deps.ctx.redis.ping(), deps.queues.flush.client.then((c) => c.get(`${deps.ctx.prefix}readyz`))]), 1_000);
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: `Redis does not answer: ${(err as Error).message}` });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  });

  const admin = adminAuth(deps.ctx.env.ADMIN_TOKEN);
  app.get('/', admin, async (_req, res, next) => {
    try {
      res.type('html').send(renderAdminPage(await adminStatus(deps)));
    } catch (err) {
      next(err);
    }
  });
  app.get('/admin/api/status', admin, async (_req, res, next) => {
    try {
      res.json(await adminStatus(deps));
    } catch (err) {
      next(err);
    }
  });

  for (const c of connectors) app.use(c.router());

  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: err.message });
  });
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
