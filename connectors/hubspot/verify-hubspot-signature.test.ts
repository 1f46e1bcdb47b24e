import { createHmac } from 'node:crypto';
import { verifyHubSpotSignature } from './verify-hubspot-signature';

/** An independent signer written from HubSpot's documented algorithm. */
function documentedSign(secret: string, method: string, uri: string, body: string, ts: string) {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${ts}`, 'utf8').digest('base64');
}

describe('verifyHubSpotSignature (v3)', () => {
  const secret = 'app-client-secret';
  const now = 1_790_000_000_000;
  const body = JSON.stringify([{ eventId: 1, subscriptionType: 'contact.creation', objectId: 5 }]);
  const uri = 'https://connector.example/webhooks/hubspot';
  const ts = String(now - 1000);
  const good = { method: 'POST', uri, rawBody: Buffer.from(body), timestamp: ts, signature: documentedSign(secret, 'POST', uri, body, ts) };

  it('accepts a correctly signed, fresh request', () => {
    expect(verifyHubSpotSignature(good, secret, now)).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret, a missing header and a stale or future timestamp', () => {
    expect(verifyHubSpotSignature({ ...good, rawBody: Buffer.from(body.replace('5', '6')) }, secret, now)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyHubSpotSignature(good, 'other-secret', now).ok).toBe(false);
    expect(verifyHubSpotSignature({ ...good, signature: undefined }, secret, now)).toEqual({ ok: false, reason: 'missing X-HubSpot-Signature-v3 header' });
    expect(verifyHubSpotSignature({ ...good, timestamp: undefined }, secret, now).ok).toBe(false);
    expect(verifyHubSpotSignature(good, secret, now + 5 * 60 * 1000 + 2000)).toEqual({ ok: false, reason: 'timestamp outside the 5-minute window' });
    expect(verifyHubSpotSignature(good, secret, Number(ts) - 6 * 60 * 1000).ok).toBe(false);
    expect(verifyHubSpotSignature({ ...good, signature: 'short' }, secret, now).ok).toBe(false);
  });

  it('signs the URI with the documented characters decoded', () => {
    const encoded = 'https://connector.example/webhooks/hubspot?x=a%3Ab%40c';
    const sig = documentedSign(secret, 'POST', 'https://connector.example/webhooks/hubspot?x=a:b@c', body, ts);
    expect(verifyHubSpotSignature({ ...good, uri: encoded, signature: sig }, secret, now)).toEqual({ ok: true });
  });
});
