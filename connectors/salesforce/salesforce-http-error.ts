import { z } from 'zod';
import { CrmHttpError, headersOf, textExcerpt } from '../shared/http-error';

/** One entry of Salesforce's REST error body (`[{message, errorCode, fields}]`), or an OAuth error (`{error, error_description}`). */
const restError = z.object({ message: z.string().optional(), errorCode: z.string().optional(), fields: z.array(z.string()).optional() }).loose();
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() }).loose();

/**
 * A non-2xx answer from Salesforce, with its status, headers (lower-case names) and what the body
 * says: `errorCode` (INVALID_SESSION_ID, REQUEST_LIMIT_EXCEEDED, MALFORMED_QUERY, …, or the OAuth
 * `error`) and `message`. Our jsforce transport throws it for every 4xx/5xx, so that callers know
 * the status, which jsforce's own HttpApiError does not keep.
 */
export class SalesforceHttpError extends CrmHttpError {
  override readonly name = 'SalesforceHttpError';
  readonly errorCode: string;
  readonly detail: string;
  readonly fields: string[];
  constructor(status: number, headers: Record<string, string>, rawBody: string) {
    const parsed = parseErrorBody(rawBody, status);
    super(status, headers, `Salesforce answered ${status} ${parsed.errorCode}: ${parsed.message}`);
    this.errorCode = parsed.errorCode;
    this.detail = parsed.message;
    this.fields = parsed.fields;
  }
}

function parseErrorBody(raw: string, status: number): { errorCode: string; message: string; fields: string[] } {
  try {
    const json: unknown = JSON.parse(raw);
    const first = Array.isArray(json) ? json[0] : json;
    const rest = restError.safeParse(first);
    if (rest.success && (rest.data.errorCode || rest.data.message)) {
      return { errorCode: rest.data.errorCode ?? `ERROR_HTTP_${status}`, message: rest.data.message ?? 'no message', fields: rest.data.fields ?? [] };
    }
    const oauth = oauthError.safeParse(json);
    if (oauth.success) return { errorCode: oauth.data.error, message: oauth.data.error_description ?? oauth.data.error, fields: [] };
  } catch {
    // not JSON (a gateway's HTML page): keep a short, single-line excerpt
  }
  return { errorCode: `ERROR_HTTP_${status}`, message: textExcerpt(raw) ?? 'no message', fields: [] };
}

/** Reads a fetch Response that is not ok (token endpoint) into a SalesforceHttpError. */
export async function httpErrorOf(res: Response): Promise<SalesforceHttpError> {
  return new SalesforceHttpError(res.status, headersOf(res), await res.text().catch(() => ''));
}
