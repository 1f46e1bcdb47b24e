import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types';
import { StreamPromise } from 'jsforce/lib/util/promise';
import { SalesforceHttpError } from './salesforce-http-error';

/**
 * jsforce's HTTP transport for our connections, with two changes:
 * - no retries: jsforce 3.10.16 retries GET/PUT/DELETE/HEAD 5 times (0.5 s, 1 s, 2 s, 4 s, 8 s) on
 *   420/429/5xx and network errors (lib/request.js). Retrying lives in one layer only: our
 *   `SalesforceClients.call` and the job queue. Here every request is sent exactly once, with a
 *   timeout that aborts the socket.
 * - every answer is seen before jsforce reads it: `onResponse` gets status and headers (the
 *   `Sforce-Limit-Info` API usage is read there), and a 4xx/5xx becomes a SalesforceHttpError that
 *   keeps the status, which jsforce's own HttpApiError drops.
 * Connections have no OAuth2 client nor refresh function, so jsforce never refreshes on its own: a
 * 401 reaches `call`, which refreshes through the TokenManager.
 */
export class SalesforceTransport extends Transport {
  constructor(
    private readonly timeoutMs: number,
    private readonly onResponse: (res: HttpResponse) => Promise<void> | void,
  ) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    return StreamPromise.create(() => {
      const sent = super.httpRequest(req, { ...options, retry: { maxRetries: 0, methods: [] }, timeout: this.timeoutMs });
      const promise = (async () => {
        const res = await sent;
        try {
          await this.onResponse(res);
        } catch {
          // bookkeeping never fails a request
        }
        if (res.statusCode >= 400) throw new SalesforceHttpError(res.statusCode, res.headers ?? {}, typeof res.body === 'string' ? res.body : '');
        return res;
      })();
      return { stream: sent.stream(), promise };
    });
  }
}
