/**
 * A non-2xx answer from a CRM, with its status and headers (lower-case names). Each connector
 * extends it with what its CRM's error body says (HubSpot `category`/`message`, Salesforce
 * `errorCode`/`message`), so callers know the status, which the SDKs' own errors do not always keep.
 */
export abstract class CrmHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    message: string,
  ) {
    super(message);
  }

  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
}

/** The headers of a fetch Response, with lower-case names. */
export function headersOf(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  return headers;
}

/** Headers as an SDK hands them over (any case, any value type), with lower-case names and text values. */
export function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/**
 * A short, single-line excerpt of a body that is not the CRM's JSON (a gateway's HTML 502 page):
 * tags and runs of white space removed, at most 200 characters; undefined when nothing is left.
 */
export function textExcerpt(raw: string): string | undefined {
  const text = raw.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 200) : undefined;
}
