/** What can be tuned in the Salesforce connector, with the defaults and why they are what they are. */
export interface SalesforceConnectorOptions {
  /**
   * REST API version of every call (default `62.0`). jsforce 3.10.16 defaults to 50.0, which lacks
   * fields and behaviours newer orgs rely on; never leave it to the library.
   */
  apiVersion?: string;
  /** The daily API allocation the connector may use, and how it backs off. */
  apiBudget?: ApiBudgetOptions;
  /** A call with no answer after this long fails as UNAVAILABLE, retryable (default 60 s). */
  requestTimeoutMs?: number;
  /** Most records one poll page reads (SOQL `LIMIT`, default 2000: one query batch). */
  pollPageSize?: number;
  /**
   * How far before the last position an incremental pass starts again (default 60 s), so that
   * records a long transaction committed late (with an earlier SystemModstamp) are not skipped.
   * Records re-read with an unchanged SystemModstamp are dropped before their events are fetched.
   */
  pollOverlapMs?: number;
  /** How often a poll asks for deleted records (`/sobjects/{type}/deleted`, default every 5 min per object type). */
  deletedCheckEveryMs?: number;
  /** Most related records read per event source and page of leads (default 10,000): the newest are kept. */
  maxEventRowsPerQuery?: number;
  /**
   * Longest URL of one SOQL GET (default 12,000 bytes). Salesforce refuses a request whose URI and
   * headers pass 16,384 bytes (414/431); `IN (…)` lists are chunked to stay under this.
   */
  maxQueryUrlLength?: number;
}

export interface ApiBudgetOptions {
  /**
   * Share of the org's daily API allocation (the `max` of `Sforce-Limit-Info: api-usage=used/max`)
   * the connector's own requests may use in any rolling 24 h (default 0.5). When it is reached the
   * org is paused until enough of the connector's requests leave the window.
   */
  maxShare?: number;
  /**
   * Share of the allocation the whole org (every integration and user) may have used before the
   * connector stops calling (default 0.9): the other integrations of the org must not run dry
   * because of us. The org is then checked again after `recheckMs`.
   */
  orgCeiling?: number;
  /** How long a pause for the org-wide ceiling lasts before one call checks the usage again (default 15 min). */
  recheckMs?: number;
  /**
   * How long an org is paused after Salesforce answered 403 REQUEST_LIMIT_EXCEEDED for the daily
   * allocation (default 30 min): the usage is a rolling 24 h count, so it drops gradually.
   */
  limitExceededPauseMs?: number;
  /** How long an org is paused after a concurrent-request limit (`ConcurrentPerOrgLongTxn`, default 10 s). */
  concurrentLimitPauseMs?: number;
}

export type ResolvedApiBudget = Required<ApiBudgetOptions>;
export type ResolvedOptions = Required<Omit<SalesforceConnectorOptions, 'apiBudget'>> & { apiBudget: ResolvedApiBudget };

export const DEFAULT_API_VERSION = '62.0';

export function resolveOptions(options: SalesforceConnectorOptions = {}): ResolvedOptions {
  const b = options.apiBudget ?? {};
  const share = (v: number | undefined, d: number) => (v === undefined ? d : Math.min(1, Math.max(0.01, v)));
  if (options.apiVersion !== undefined && !/^\d{2,3}\.0$/.test(options.apiVersion)) throw new Error(`apiVersion must look like 62.0, not "${options.apiVersion}"`);
  return {
    apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
    apiBudget: {
      maxShare: share(b.maxShare, 0.5),
      orgCeiling: share(b.orgCeiling, 0.9),
      recheckMs: b.recheckMs ?? 15 * 60_000,
      limitExceededPauseMs: b.limitExceededPauseMs ?? 30 * 60_000,
      concurrentLimitPauseMs: b.concurrentLimitPauseMs ?? 10_000,
    },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    pollPageSize: Math.min(2000, Math.max(1, options.pollPageSize ?? 2000)),
    pollOverlapMs: Math.max(0, options.pollOverlapMs ?? 60_000),
    deletedCheckEveryMs: options.deletedCheckEveryMs ?? 5 * 60_000,
    maxEventRowsPerQuery: options.maxEventRowsPerQuery ?? 10_000,
    maxQueryUrlLength: Math.max(2_000, Math.min(15_000, options.maxQueryUrlLength ?? 12_000)),
  };
}
