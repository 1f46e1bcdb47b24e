/**
 * Salesforce record ids: a 3-character key prefix naming the object, 12 more base-62 characters,
 * and a 3-character suffix that encodes which of the first 15 characters are upper case, so the id
 * survives case-insensitive tools. Ids this sandbox makes grow with creation order, so ASCII order
 * is creation order, as `ORDER BY Id` sees it at Salesforce.
 */

/** Key prefixes of the objects the sandbox knows (and of a few non-record ids it hands out). */
export const KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: '001',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  Organization: '00D',
  UserRole: '00E',
  Profile: '00e',
  Group: '00G',
  CustomField: '00N',
  Lead: '00Q',
  Task: '00T',
  Event: '00U',
  CampaignMember: '00v',
  GroupMember: '011',
  FieldPermissions: '01k',
  AssignmentRule: '01Q',
  QueueSobject: '03g',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  Campaign: '701',
  // Not records: outbound message actions and notifications, query locators.
  OutboundMessageAction: '04k',
  OutboundNotification: '04l',
  QueryLocator: '01g',
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case suffix of a 15-character id. */
export function caseSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    out += SUFFIX_CHARS[flags];
  }
  return out;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** True for a well-formed 15- or 18-character id (an 18-character one with the right suffix). */
export function isWellFormedId(id: string): boolean {
  if (!ID_PATTERN.test(id)) return false;
  return id.length === 15 || caseSuffix(id.slice(0, 15)) === id.slice(15);
}

/** The 18-character form of a well-formed id, or undefined. */
export function to18(id: string): string | undefined {
  if (!isWellFormedId(id)) return undefined;
  return id.length === 18 ? id : id + caseSuffix(id);
}

/** Generates ids per key prefix; one generator serves every org, so ids are unique across orgs. */
export class IdGenerator {
  private readonly counters = new Map<string, number>();

  constructor(
    /** Characters 4-5 (the pod). */
    private readonly pod = '5g',
  ) {}

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    const id15 = prefix + this.pod + '0' + base62(n, 9);
    return id15 + caseSuffix(id15);
  }
}

function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  while (v > 0) {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/** A valid 18-character org id made from a number, for tests: `makeOrgId(1)` → `00D5g0000000001…`. */
export function makeOrgId(n: number): string {
  const id15 = '00D5g' + base62(n, 10);
  return id15 + caseSuffix(id15);
}

/** The object a key prefix stands for, among `types`. */
export function typeOfId(id: string, types: Iterable<string>): string | undefined {
  const prefix = id.slice(0, 3);
  for (const t of types) if (KEY_PREFIXES[t] === prefix) return t;
  return undefined;
}
