import { z } from 'zod';
import { CrmHttpError, headersOf, lowerCaseHeaders, textExcerpt } from '../shared/http-error';

/** HubSpot's error body (`{status:"error", message, category, correlationId, …}`), the parts we read. */
export const hubspotErrorBody = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    category: z.string().optional(),
    subCategory: z.unknown().optional(),
    correlationId: z.string().optional(),
    /** 429 bodies: TEN_SECONDLY_ROLLING, SECONDLY, DAILY. */
    policyName: z.string().optional(),
    errorType: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    errors: z.array(z.object({ message: z.string().optional(), code: z.string().optional() }).loose()).optional(),
    /** RFC 6749 token-endpoint errors. */
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .loose();
export type HubSpotErrorBody = z.infer<typeof hubspotErrorBody>;

/**
 * A non-2xx answer from HubSpot, with its status, headers (lower-case names) and body as sent. The
 * SDK's own ApiException loses fields it has no model for (`policyName` of a 429) and turns a
 * non-JSON body (a gateway's HTML 502) into an error without a status, so every client reads error
 * answers through `errorMiddleware`, which throws this instead.
 */
export class HubSpotHttpError extends CrmHttpError {
  override readonly name = 'HubSpotHttpError';
  readonly body: HubSpotErrorBody;
  constructor(status: number, headers: Record<string, string>, rawBody: string) {
    const body = parseErrorBody(rawBody);
    super(status, headers, `HubSpot answered ${status}${body.category ? ` ${body.category}` : ''}: ${body.message ?? body.error_description ?? body.error ?? 'no message'}`);
    this.body = body;
  }
}

function parseErrorBody(raw: string): HubSpotErrorBody {
  try {
    const parsed = hubspotErrorBody.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: keep a short, single-line excerpt as the message
  }
  return { message: textExcerpt(raw) };
}

/** The SDK's ApiException (`code`, `body`, `headers`), for an error that did not pass through the middleware. */
interface ApiExceptionLike {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function isApiException(err: unknown): err is ApiExceptionLike {
  return err instanceof Error && typeof (err as Partial<ApiExceptionLike>).code === 'number';
}

/** The HTTP failure inside an error thrown by the SDK or by our own fetches, if it is one. */
export function httpFailureOf(err: unknown): HubSpotHttpError | undefined {
  if (err instanceof HubSpotHttpError) return err;
  if (isApiException(err)) {
    return new HubSpotHttpError(err.code, lowerCaseHeaders(err.headers), typeof err.body === 'string' ? err.body : JSON.stringify(err.body ?? {}));
  }
  return undefined;
}

/** The part of the SDK's ResponseContext the middleware reads. */
interface SdkResponse {
  httpStatusCode: number;
  headers: Record<string, string>;
  body: { text(): Promise<string> };
}

/**
 * SDK middleware (the `middleware` client option): lets 1xx–3xx answers through to the SDK and
 * throws a HubSpotHttpError for every 4xx/5xx, with the body exactly as HubSpot sent it.
 */
export const errorMiddleware = {
  pre(context: unknown): unknown {
    return context;
  },
  async post(context: unknown): Promise<unknown> {
    const rsp = context as SdkResponse;
    if (rsp.httpStatusCode < 400) return rsp;
    const text = await rsp.body.text().catch(() => '');
    throw new HubSpotHttpError(rsp.httpStatusCode, lowerCaseHeaders(rsp.headers), text);
  },
};

/** Reads a fetch Response that is not ok into a HubSpotHttpError. */
export async function httpErrorOf(res: Response): Promise<HubSpotHttpError> {
  return new HubSpotHttpError(res.status, headersOf(res), await res.text().catch(() => ''));
}
