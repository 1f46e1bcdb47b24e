import { createHmac, timingSafeEqual } from 'node:crypto';

/** HubSpot rejects nothing older than this; neither do we. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/** The characters HubSpot decodes in the request URI before signing (v3). */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export interface SignedRequest {
  method: string;
  /** The full URI HubSpot called: scheme, host, path and query, as configured in the app. */
  uri: string;
  /** The body exactly as received. */
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Verifies `X-HubSpot-Signature-v3`: base64 HMAC-SHA256, keyed by the app's client secret, of
 * method + uri + body + timestamp; the timestamp (ms) must be within 5 minutes. Constant-time compare.
 */
export function verifyHubSpotSignature(req: SignedRequest, clientSecret: string, now: number = Date.now()): SignatureCheck {
  if (!req.signature) return { ok: false, reason: 'missing X-HubSpot-Signature-v3 header' };
  if (!req.timestamp) return { ok: false, reason: 'missing X-HubSpot-Request-Timestamp header' };
  const ts = Number(req.timestamp);
  if (!Number.isFinite(ts)) return { ok: false, reason: 'X-HubSpot-Request-Timestamp is not a number' };
  if (Math.abs(now - ts) > SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  const expected = signHubSpotV3(req.method, req.uri, req.rawBody, req.timestamp, clientSecret);
  const given = Buffer.from(req.signature, 'utf8');
  const want = Buffer.from(expected, 'utf8');
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

/** The v3 signature of a request (also used by the sandbox and tests to sign fixtures). */
export function signHubSpotV3(method: string, uri: string, rawBody: Buffer | string, timestamp: string, clientSecret: string): string {
  const decodedUri = uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${decodedUri}`)
    .update(rawBody)
    .update(timestamp)
    .digest('base64');
}
