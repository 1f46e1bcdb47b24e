/** Another worker holds the lead's routing lock; the job is tried again after a back-off. */
export class LeadBusyError extends Error {
  override readonly name = 'LeadBusyError';
  readonly code = 'LEAD_BUSY';
  readonly retryable = true;
  constructor(tenant: string, objectType: string, id: string) {
    super(`another worker is routing ${tenant} ${objectType} ${id}`);
  }
}
