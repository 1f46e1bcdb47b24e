/**
 * HubSpot's v3 request signature: base64 of HMAC-SHA256, keyed with the app's client secret, over
 * `method + uri + body + timestamp`, where uri is the full URL the request is sent to and the
 * timestamp (ms) is also sent as `X-HubSpot-Request-Timestamp`.
 */
import { createHmac } from 'node:crypto';

export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number | string): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}
