import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * Guard for the admin page and API: `Authorization: Bearer <ADMIN_TOKEN>`, or HTTP Basic with
 * ADMIN_TOKEN as the password (any user name), so that a browser can open the admin page (it asks
 * for the password). Without ADMIN_TOKEN configured, everything is 401.
 */
export function adminAuth(adminToken: string | undefined): RequestHandler {
  const expected = adminToken ? Buffer.from(adminToken) : undefined;
  return (req, res, next) => {
    const given = Buffer.from(credentialOf(req.get('authorization') ?? ''));
    if (expected && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', ['Bearer realm="lead-scorer admin"', 'Basic realm="lead-scorer admin", charset="UTF-8"'])
      .json({ error: expected ? 'a valid admin bearer token is required' : 'ADMIN_TOKEN is not set: the admin page is closed' });
  };
}

/** The token of a Bearer header, or the password of a Basic one; empty otherwise. */
function credentialOf(header: string): string {
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? '' : decoded.slice(colon + 1);
  }
  return '';
}
