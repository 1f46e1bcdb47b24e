/**
 * Salesforce's REST error bodies: a JSON array of `{message, errorCode, fields?}` (jsforce turns a
 * one-element array into an error whose `errorCode` is the code), and the OAuth endpoints'
 * `{error, error_description}`. Messages follow the ones Salesforce sends (see the README for which
 * are confirmed and which are best guesses).
 */
import type { SandboxResponse } from '../shared/http-server';

export interface ApiError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** The per-record error of a save result (composite collections): `statusCode`, not `errorCode`. */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function sfError(status: number, errorCode: string, message: string, fields?: string[]): SandboxResponse {
  const error: ApiError = { message, errorCode };
  if (fields) error.fields = fields;
  return { status, body: [error] };
}

/** A save error turned into the REST error of a single-record call. */
export function fromSaveError(status: number, e: SaveError): SandboxResponse {
  return sfError(status, e.statusCode, e.message, e.fields);
}

export function saveError(statusCode: string, message: string, fields: string[] = []): SaveError {
  return { statusCode, message, fields };
}

export const sessionInvalid = (): SandboxResponse => sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const requestLimitExceeded = (): SandboxResponse => sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

export const notFound = (): SandboxResponse => sfError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const methodNotAllowed = (method: string, allowed: string[]): SandboxResponse =>
  sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`);

export const jsonParserError = (message: string): SandboxResponse => sfError(400, 'JSON_PARSER_ERROR', message);

/** A thrown error that carries the response to send (SOQL errors, request-level write errors). */
export class SfRequestError extends Error {
  constructor(readonly response: SandboxResponse) {
    const first = (response.body as ApiError[] | undefined)?.[0];
    super(first ? `${first.errorCode}: ${first.message}` : `HTTP ${response.status}`);
  }
}

export function oauthError(error: string, description: string, status = 400): SandboxResponse {
  return { status, body: { error, error_description: description } };
}
