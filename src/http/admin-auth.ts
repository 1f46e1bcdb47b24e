import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Bearer-token guard for the admin page and API; without ADMIN_TOKEN configured, everything is 401. */
export function adminAuth(adminToken: string | undefined): RequestHandler {
  const expected = adminToken ? Buffer.from(adminToken) : undefined;
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (expected && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="lead-scorer admin"').json({ error: expected ? 'a valid admin bearer token is required' : 'ADMIN_TOKEN is not set: the admin page is closed' });
  };
}
