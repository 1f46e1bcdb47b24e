/** What can be tuned in the HubSpot connector, with the defaults and why they are what they are. */
export interface HubSpotConnectorOptions {
  /**
   * General requests per rolling 10 s per portal for OAuth installs. HubSpot allows public apps 110;
   * default 100. The margin covers what our Redis limiter cannot see: HubSpot counts arrivals on its
   * clock, we count grants on ours, and request latency varies by more than one request's worth over
   * a window (a slow request granted early and a fast one granted late land closer together).
   */
  generalLimit?: number;
  /**
   * The same for private-app installs (`connect hubspot --token`). HubSpot allows 100 on Free and
   * Starter (190 on Professional and Enterprise), shared by every private app of the portal; default 90.
   */
  privateAppGeneralLimit?: number;
  /**
   * Search requests per portal in each 1.1 s (default 5, HubSpot's limit per second): the extra
   * 100 ms absorbs latency jitter between our grant and HubSpot's count. Searches spend only this budget.
   */
  searchLimitPerSecond?: number;
  /** How many times one call waits out a 429 and tries again before giving up (default 6). */
  maxRateLimitRetries?: number;
  /**
   * Longest pause (ms) a call sits out in-process (default 15 s); a longer one (HubSpot's daily limit)
   * fails the call with a retryable CrmError carrying `retryAfterMs`, so the job layer reschedules it.
   */
  maxInlineWaitMs?: number;
  /** A call that has no answer after this long fails as UNAVAILABLE, retryable (default 60 s). */
  requestTimeoutMs?: number;
  /**
   * How far behind now incremental polls read (default 5 s): HubSpot's writes take a moment to become
   * searchable, and a poll that read up to now would step past records not yet indexed.
   */
  settleDelayMs?: number;
  /** Records per search page (default 200, HubSpot's maximum). */
  searchPageSize?: number;
  /** How long a deletion is remembered to discard older webhook events for the same record (default 24 h). */
  deletionMemoryMs?: number;
}

export type ResolvedOptions = Required<HubSpotConnectorOptions>;

export function resolveOptions(options: HubSpotConnectorOptions = {}): ResolvedOptions {
  return {
    generalLimit: options.generalLimit ?? 100,
    privateAppGeneralLimit: options.privateAppGeneralLimit ?? 90,
    searchLimitPerSecond: options.searchLimitPerSecond ?? 5,
    maxRateLimitRetries: options.maxRateLimitRetries ?? 6,
    maxInlineWaitMs: options.maxInlineWaitMs ?? 15_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    settleDelayMs: options.settleDelayMs ?? 5_000,
    searchPageSize: Math.min(200, Math.max(1, options.searchPageSize ?? 200)),
    deletionMemoryMs: options.deletionMemoryMs ?? 24 * 3_600_000,
  };
}
