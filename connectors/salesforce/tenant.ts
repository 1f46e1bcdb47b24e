/** The tenant id of a Salesforce org: `salesforce:<18-character org id>`. */
export function tenantOf(orgId: string): string {
  return `salesforce:${toId18(orgId)}`;
}

/** The 18-character org id of a Salesforce tenant; throws for a tenant of another CRM. */
export function orgIdOf(tenant: string): string {
  const m = /^salesforce:([A-Za-z0-9]{18})$/.exec(tenant);
  if (!m?.[1]) throw new Error(`"${tenant}" is not a Salesforce tenant (salesforce:<18-character org id>)`);
  return m[1];
}

const ID15 = /^[A-Za-z0-9]{15}$/;
const ID18 = /^[A-Za-z0-9]{18}$/;
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** True for a Salesforce record id in its 15- or 18-character form. */
export function isSalesforceId(id: unknown): id is string {
  return typeof id === 'string' && (ID15.test(id) || ID18.test(id));
}

/**
 * The 18-character, case-insensitive form of a Salesforce id. The API returns 18-character ids;
 * Outbound Messages and the UI may show the 15-character, case-sensitive form: its three extra
 * characters encode, for each block of five, which characters are upper case.
 */
export function toId18(id: string): string {
  if (ID18.test(id)) return id;
  if (!ID15.test(id)) throw new Error(`"${id}" is not a Salesforce id (15 or 18 letters and digits)`);
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return id + suffix;
}
