/**
 * One Salesforce org: its objects (standard ones plus the custom fields created in it), their rows,
 * its users, queues and profiles, field-level security, the lead assignment rule, the daily API
 * allocation and the delete log. The handle a test gets from `sb.createOrg(…)`; its helper methods
 * write as the system would (no API usage, no assignment rule, no FLS).
 */
import { Prng, seedFrom } from '../../shared/prng';
import { FAMILY_NAMES, GIVEN_NAMES } from '../../shared/synthetic-people';
import { SfRequestError } from '../errors';
import { KEY_PREFIXES, to18, type IdGenerator } from '../ids';
import { parseCustomField, type CustomFieldMetadata, type ParsedCustomField } from '../schema/custom-field';
import type { FieldValue } from '../schema/field';
import { standardObjects, nameObject, type ObjectDef } from '../schema/standard-objects';
import { toolingObjects } from '../schema/tooling-objects';
import { formatDate, toSecond } from '../schema/values';
import { seedAccounts, seedCampaignMembers, seedCampaigns, seedContacts, seedEvents, seedLeads, seedTasks, type SeedActivitiesOptions, type SeedCampaignMembersOptions, type SeedContactsOptions, type SeedLeadsOptions, type SeedOptions } from '../seed/seed-org';
import { ApiUsage } from './api-usage';
import { commit, deleteRecord, prepareCreate, prepareUpdate, type DmlContext } from './dml';
import { FieldAccessResolver, SYSTEM_ACCESS, type Access } from './field-access';
import { ObjectSchema } from './object-schema';
import { renderRow, type ApiRecord } from './render';
import { Table, type Row } from './table';

export interface OrgEnvironment {
  ids: IdGenerator;
  clock(): number;
  /** The version record URLs of helper results use. */
  apiVersion: string;
  /** Days deleted records stay in the delete log and for queryAll. */
  deletedRetentionDays: number;
}

export interface CreateOrgOptions {
  /** Company name. Default `Sandbox Org <n>`. */
  name?: string;
  /** Daily API allocation. Default: the sandbox's `dailyApiLimit`. */
  dailyApiLimit?: number;
  /** Lead assignment rule: `{ ownerId }`, `{}` for the "Unassigned Leads" queue, `false` for none. */
  assignmentRule?: { ownerId?: string } | false;
  /** Active users besides the admin. Default 4. */
  users?: number;
  /** Inactive users. Default 1. */
  inactiveUsers?: number;
  /** Seed of the users' names. */
  seed?: number | string;
  /** `OrganizationType`. Default `Developer Edition`. */
  edition?: string;
}

export interface UserInfo {
  Id: string;
  Username: string;
  FirstName: string | null;
  LastName: string;
  Name: string;
  Email: string;
  IsActive: boolean;
  ProfileId: string;
}

export interface QueueInfo {
  Id: string;
  Name: string;
  DeveloperName: string;
  Type: 'Queue';
}

export interface DeletedEntry {
  id: string;
  deletedDate: number;
}

export interface ConvertLeadOptions {
  /** Merge into this Account instead of creating one. */
  accountId?: string;
  /** Copy custom field values to same-named custom fields of Contact (a configured lead field mapping). */
  mapCustomFields?: boolean;
  /** Conversion time (epoch ms); default now. */
  at?: number;
}

export class SalesforceOrg {
  readonly id: string;
  readonly id15: string;
  readonly name: string;
  readonly createdAt: number;
  readonly usage: ApiUsage;
  readonly fieldAccess: FieldAccessResolver;
  readonly adminUserId: string;
  readonly adminProfileId: string;
  readonly standardProfileId: string;
  private readonly schemas = new Map<string, ObjectSchema>();
  private readonly tables = new Map<string, Table>();
  private readonly toolingSchemas = new Map<string, ObjectSchema>();
  private readonly toolingTables = new Map<string, Table>();
  private readonly prefixToType = new Map<string, string>();
  private readonly deleted = new Map<string, DeletedEntry[]>();
  private readonly purgedUntil = new Map<string, number>();
  private assignment: { ownerId?: string } | undefined;
  private readonly polymorphicName = new ObjectSchema(nameObject());

  constructor(
    private readonly env: OrgEnvironment,
    orgId: string,
    options: CreateOrgOptions & { dailyApiLimit: number; assignmentRule: { ownerId?: string } | false; index: number },
  ) {
    this.id = orgId;
    this.id15 = orgId.slice(0, 15);
    this.name = options.name ?? `Sandbox Org ${options.index}`;
    this.createdAt = toSecond(env.clock());
    this.usage = new ApiUsage(options.dailyApiLimit);
    this.fieldAccess = new FieldAccessResolver(this);
    for (const def of standardObjects()) this.addObject(def);
    for (const def of toolingObjects()) {
      this.toolingSchemas.set(def.name.toLowerCase(), new ObjectSchema(def));
      this.toolingTables.set(def.name, new Table(def.name));
    }
    this.assignment = options.assignmentRule === false ? undefined : options.assignmentRule;

    const rng = new Prng(typeof options.seed === 'number' ? options.seed : seedFrom(String(options.seed ?? `org:${orgId}`)));
    const now = this.createdAt;
    const adminId = this.newId('User');
    const boot: DmlContext = { org: this, userId: adminId, access: SYSTEM_ACCESS, autoAssign: false, system: true, now };
    const make = (type: string, fields: Record<string, unknown>): string => {
      const result = prepareCreate(boot, type, fields);
      if (!result.ok) throw new Error(`${type}: ${result.errors.map((e) => e.message).join('; ')}`);
      commit(boot, result.prepared);
      return result.prepared.row.Id as string;
    };
    // The org row, the two profiles and their permission sets.
    make('Organization', { Id: orgId, Name: this.name, OrganizationType: options.edition ?? 'Developer Edition', IsSandbox: false, InstanceName: 'SBX1', Country: 'US', LanguageLocaleKey: 'en_US', TimeZoneSidKey: 'America/Los_Angeles' });
    this.adminProfileId = make('Profile', { Name: 'System Administrator', UserType: 'Standard' });
    this.standardProfileId = make('Profile', { Name: 'Standard User', UserType: 'Standard' });
    for (const [profileId, name] of [[this.adminProfileId, 'X00ex000000SysAdmin'], [this.standardProfileId, 'X00ex000000Standard']] as const) {
      make('PermissionSet', { Name: name, Label: name, IsOwnedByProfile: true, IsCustom: false, ProfileId: profileId });
    }
    // Users: the admin who installs apps, active reps, inactive ones.
    const domain = `org-${this.id15.toLowerCase()}.sandbox.example`;
    const person = (n: number) => {
      const first = rng.pick(GIVEN_NAMES);
      const last = rng.pick(FAMILY_NAMES);
      return { FirstName: first, LastName: last, Alias: (first.slice(0, 1) + last).slice(0, 8).toLowerCase(), Email: `${first}.${last}${n}@${domain}`.toLowerCase(), Username: `${first}.${last}${n}@${domain}`.toLowerCase() };
    };
    this.adminUserId = make('User', { Id: adminId, FirstName: 'Admin', LastName: 'User', Alias: 'admin', Email: `admin@${domain}`, Username: `admin@${domain}`, IsActive: true, ProfileId: this.adminProfileId, UserType: 'Standard', Title: 'Salesforce Administrator', TimeZoneSidKey: 'America/Los_Angeles', LanguageLocaleKey: 'en_US' });
    const reps: string[] = [];
    const active = options.users ?? 4;
    const inactive = options.inactiveUsers ?? 1;
    for (let i = 0; i < active + inactive; i++) {
      const id = make('User', { ...person(i + 1), IsActive: i < active, ProfileId: this.standardProfileId, UserType: 'Standard', Title: i % 2 === 0 ? 'Sales Development Rep' : 'Account Executive', TimeZoneSidKey: 'America/New_York', LanguageLocaleKey: 'en_US' });
      if (i < active) reps.push(id);
    }
    // Queues that take leads; the first is where the default assignment rule sends them.
    for (const [name, dev] of [['Unassigned Leads', 'Unassigned_Leads'], ['Inbound SDR Queue', 'Inbound_SDR_Queue']] as const) {
      const queueId = make('Group', { Name: name, DeveloperName: dev, Type: 'Queue', DoesSendEmailToMembers: false });
      make('QueueSobject', { QueueId: queueId, SobjectType: 'Lead' });
      if (dev === 'Inbound_SDR_Queue') for (const rep of reps.slice(0, 2)) make('GroupMember', { GroupId: queueId, UserOrGroupId: rep });
    }
    // The Tooling API's view of the standard objects.
    const entities = this.toolingTables.get('EntityDefinition') as Table;
    for (const def of standardObjects()) {
      entities.put({ Id: def.name, DurableId: def.name, QualifiedApiName: def.name, DeveloperName: def.name, Label: def.label, PluralLabel: def.labelPlural, KeyPrefix: def.keyPrefix, IsCustomizable: def.customizable, IsQueryable: def.queryable, SystemModstamp: now, IsDeleted: false });
    }
  }

  private addObject(def: ObjectDef): void {
    this.schemas.set(def.name.toLowerCase(), new ObjectSchema(def));
    this.tables.set(def.name, new Table(def.name));
    this.prefixToType.set(def.keyPrefix, def.name);
  }

  // ---- schema and rows (used by the routes) ---------------------------------------------------

  /** The object, by any casing of its name. */
  schema(type: string): ObjectSchema | undefined {
    return this.schemas.get(type.toLowerCase());
  }

  schemaOf(type: string): ObjectSchema {
    const s = this.schema(type);
    if (!s) throw new Error(`unknown sObject ${type}`);
    return s;
  }

  /** The schema SOQL uses for a polymorphic parent (`Owner`, `Who`, `What`). */
  get nameSchema(): ObjectSchema {
    return this.polymorphicName;
  }

  objectNames(): string[] {
    return [...this.schemas.values()].map((s) => s.name);
  }

  hasTable(type: string): boolean {
    return this.tables.has(type);
  }

  table(type: string): Table {
    const t = this.tables.get(type) ?? this.tables.get(this.schema(type)?.name ?? '');
    if (!t) throw new Error(`unknown sObject ${type}`);
    return t;
  }

  toolingSchema(type: string): ObjectSchema | undefined {
    return this.toolingSchemas.get(type.toLowerCase());
  }

  toolingTable(type: string): Table {
    const t = this.toolingTables.get(this.toolingSchema(type)?.name ?? '');
    if (!t) throw new Error(`unknown tooling object ${type}`);
    return t;
  }

  /** The type and row of any record id (15 or 18 characters). */
  findRow(rawId: string): { type: string; row: Row } | undefined {
    const id = to18(rawId);
    if (!id) return undefined;
    const type = this.prefixToType.get(id.slice(0, 3));
    const row = type ? this.tables.get(type)?.get(id) : undefined;
    return type && row ? { type, row } : undefined;
  }

  typeOfId(id: string): string | undefined {
    return this.prefixToType.get(id.slice(0, 3));
  }

  newId(type: string): string {
    const prefix = KEY_PREFIXES[type];
    if (!prefix) throw new Error(`no key prefix for ${type}`);
    return this.env.ids.next(prefix);
  }

  /** Now, truncated to the second (Salesforce's date-time precision). */
  now(): number {
    return toSecond(this.env.clock());
  }

  /** The owner the active lead assignment rule gives, or undefined without an active rule. */
  assignmentRuleOwner(): string | undefined {
    if (!this.assignment) return undefined;
    return this.assignment.ownerId ?? this.queues[0]?.Id;
  }

  recordDeletion(type: string, id: string, at: number): void {
    let list = this.deleted.get(type);
    if (!list) {
      list = [];
      this.deleted.set(type, list);
    }
    list.push({ id, deletedDate: at });
  }

  /** Deletions of `type` at or after `start` and before `end`, after purging what is too old. */
  deletions(type: string, start: number, end: number): DeletedEntry[] {
    this.purgeExpired();
    return (this.deleted.get(type) ?? []).filter((d) => d.deletedDate >= start && d.deletedDate < end);
  }

  /** When the delete log of `type` was last purged up to (earliestDateAvailable), if ever. */
  purgedBefore(type: string): number | undefined {
    return this.purgedUntil.get(type);
  }

  /** Forgets deleted rows and log entries older than the retention (15 days by default). */
  purgeExpired(): void {
    const cutoff = this.env.clock() - this.env.deletedRetentionDays * 86_400_000;
    for (const [type, list] of this.deleted) {
      const keep = list.filter((d) => d.deletedDate >= cutoff);
      if (keep.length === list.length) continue;
      for (const d of list) if (d.deletedDate < cutoff) this.tables.get(type)?.purge(d.id);
      const last = list.filter((d) => d.deletedDate < cutoff).reduce((m, d) => Math.max(m, d.deletedDate), 0);
      this.purgedUntil.set(type, Math.max(this.purgedUntil.get(type) ?? 0, last));
      this.deleted.set(type, keep);
    }
  }

  /** Creates a custom field from Tooling API metadata; the error is the Tooling API's. */
  addCustomField(fullName: unknown, metadata: unknown, userId: string): { ok: true; id: string; parsed: ParsedCustomField } | { ok: false; status: number; error: { message: string; errorCode: string; fields?: string[] } } {
    const parsed = parseCustomField(fullName, metadata, (name) => {
      const s = this.schema(name);
      return s && s.def.customizable ? s.name : undefined;
    });
    if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
    const { objectName, field, developerName } = parsed.value;
    const schema = this.schemaOf(objectName);
    if (schema.field(field.name)) {
      return { ok: false, status: 400, error: { message: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>', errorCode: 'DUPLICATE_VALUE', fields: [] } };
    }
    schema.addField(field);
    const now = this.now();
    const id = this.newId('CustomField');
    this.toolingTable('CustomField').put({
      Id: id,
      IsDeleted: false,
      DeveloperName: developerName,
      TableEnumOrId: objectName,
      NamespacePrefix: null,
      Description: parsed.value.metadata.description ?? null,
      InlineHelpText: parsed.value.metadata.inlineHelpText ?? null,
      ManageableState: 'unmanaged',
      FullName: `${objectName}.${field.name}`,
      Metadata: JSON.stringify(normalizedMetadata(parsed.value.metadata)),
      EntityDefinitionId: objectName,
      CreatedDate: now,
      CreatedById: userId,
      LastModifiedDate: now,
      LastModifiedById: userId,
      SystemModstamp: now,
    });
    this.fieldAccess.invalidate();
    return { ok: true, id, parsed: parsed.value };
  }

  // ---- the test-facing helpers ----------------------------------------------------------------

  /** Active and inactive users, admin first. */
  get users(): UserInfo[] {
    return [...this.table('User').values()]
      .filter((r) => !r.IsDeleted)
      .map((r) => ({ Id: r.Id, Username: r.Username, FirstName: r.FirstName, LastName: r.LastName, Name: r.Name, Email: r.Email, IsActive: r.IsActive, ProfileId: r.ProfileId }) as UserInfo);
  }

  get activeUsers(): UserInfo[] {
    return this.users.filter((u) => u.IsActive);
  }

  get queues(): QueueInfo[] {
    return [...this.table('Group').values()]
      .filter((r) => !r.IsDeleted && r.Type === 'Queue')
      .map((r) => ({ Id: r.Id, Name: r.Name, DeveloperName: r.DeveloperName, Type: 'Queue' }) as QueueInfo);
  }

  /** Adds a user (Standard User profile unless `ProfileId` is given); returns its id. */
  addUser(fields: { FirstName?: string; LastName: string; Email?: string; Username?: string; IsActive?: boolean; ProfileId?: string; Alias?: string }): string {
    const n = this.table('User').size + 1;
    const email = fields.Email ?? `user${n}@org-${this.id15.toLowerCase()}.sandbox.example`;
    return this.create('User', { Alias: (fields.LastName.slice(0, 8) || 'user').toLowerCase(), Username: fields.Username ?? email, Email: email, IsActive: true, ProfileId: this.standardProfileId, UserType: 'Standard', ...fields });
  }

  setUserActive(userId: string, active: boolean): void {
    this.update('User', userId, { IsActive: active });
  }

  /** Switches the active lead assignment rule: `{ ownerId }` (default: the "Unassigned Leads" queue) or `false`. */
  setAssignmentRule(rule: { ownerId?: string } | false): void {
    this.assignment = rule === false ? undefined : rule;
  }

  get apiUsage(): { used: number; max: number } {
    return { used: this.usage.used(this.env.clock()), max: this.usage.max };
  }

  setApiUsage(used: number): void {
    this.usage.set(used, this.env.clock());
  }

  setDailyApiLimit(max: number): void {
    this.usage.max = max;
  }

  private helperContext(at?: number): DmlContext {
    return { org: this, userId: this.adminUserId, access: SYSTEM_ACCESS, autoAssign: false, system: true, now: toSecond(at ?? this.env.clock()) };
  }

  /** Creates a record as the system would (no assignment rule, no FLS); returns its id. Throws on a save error. */
  create(type: string, fields: Record<string, unknown>, opts: { at?: number } = {}): string {
    const ctx = this.helperContext(opts.at);
    const canonical = this.schemaOf(type).name;
    const result = guard(() => prepareCreate(ctx, canonical, fields));
    if (!result.ok) throw new Error(`create ${canonical}: ${result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`);
    commit(ctx, result.prepared);
    return result.prepared.row.Id as string;
  }

  /** Creates many rows of one type in one go (seeding): times may be in the past; indexes sort once. */
  createMany(type: string, rows: Record<string, unknown>[]): string[] {
    const ids = rows.map((fields) => {
      const at = typeof fields.CreatedDate === 'number' ? fields.CreatedDate : undefined;
      return this.create(type, fields, { at });
    });
    this.table(type).resortStamps();
    return ids;
  }

  /** Updates a record as a user in the UI would: bumps LastModifiedDate and SystemModstamp. */
  update(type: string, id: string, fields: Record<string, unknown>, opts: { at?: number } = {}): ApiRecord {
    const ctx = this.helperContext(opts.at);
    const canonical = this.schemaOf(type).name;
    const result = guard(() => prepareUpdate(ctx, canonical, id, fields));
    if (!result.ok) throw new Error(`update ${canonical} ${id}: ${result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`);
    commit(ctx, result.prepared);
    return this.get(canonical, result.prepared.row.Id as string) as ApiRecord;
  }

  /** Deletes a record (to the recycle bin: `/deleted` and queryAll see it). */
  delete(type: string, id: string, opts: { at?: number } = {}): void {
    const ctx = this.helperContext(opts.at);
    const result = deleteRecord(ctx, this.schemaOf(type).name, id);
    if (!result.ok) throw new Error(`delete ${type} ${id}: ${result.errors.map((e) => e.message).join('; ')}`);
  }

  /** A record as `GET /sobjects/{type}/{id}` renders it (all fields), or undefined. Deleted records too. */
  get(type: string, id: string): ApiRecord | undefined {
    const schema = this.schemaOf(type);
    const full = to18(id);
    const row = full ? this.table(schema.name).get(full) : undefined;
    return row ? renderRow(schema, row, this.env.apiVersion) : undefined;
  }

  /** All live records of a type, rendered. */
  records(type: string, opts: { includeDeleted?: boolean } = {}): ApiRecord[] {
    const schema = this.schemaOf(type);
    const out: ApiRecord[] = [];
    for (const row of this.table(schema.name).values()) if (opts.includeDeleted || !row.IsDeleted) out.push(renderRow(schema, row, this.env.apiVersion));
    return out;
  }

  count(type: string): number {
    return this.table(type).size;
  }

  /** Converts a lead as Salesforce's convertLead does (no opportunity): Account, Contact, and the lead marked converted. */
  convertLead(leadId: string, opts: ConvertLeadOptions = {}): { accountId: string; contactId: string } {
    const lead = this.table('Lead').get(to18(leadId) ?? '');
    if (!lead || lead.IsDeleted) throw new Error(`no lead ${leadId}`);
    if (lead.IsConverted) throw new Error(`lead ${leadId} is already converted`);
    const at = toSecond(opts.at ?? this.env.clock());
    const ownerId = typeof lead.OwnerId === 'string' && lead.OwnerId.startsWith(KEY_PREFIXES.User as string) ? lead.OwnerId : this.adminUserId;
    const v = (k: string) => lead[k] ?? null;
    const accountId =
      opts.accountId ??
      this.create('Account', {
        Name: v('Company'),
        Industry: v('Industry'),
        NumberOfEmployees: v('NumberOfEmployees'),
        AnnualRevenue: v('AnnualRevenue'),
        Website: v('Website'),
        BillingCity: v('City'),
        BillingState: v('State'),
        BillingCountry: v('Country'),
        Phone: v('Phone'),
        Rating: v('Rating'),
        AccountSource: v('LeadSource'),
        OwnerId: ownerId,
      }, { at });
    const contactFields: Record<string, unknown> = {
      AccountId: accountId,
      FirstName: v('FirstName'),
      LastName: v('LastName'),
      Salutation: v('Salutation'),
      Email: v('Email'),
      Title: v('Title'),
      Phone: v('Phone'),
      MobilePhone: v('MobilePhone'),
      MailingCity: v('City'),
      MailingState: v('State'),
      MailingCountry: v('Country'),
      LeadSource: v('LeadSource'),
      HasOptedOutOfEmail: v('HasOptedOutOfEmail') ?? false,
      DoNotCall: v('DoNotCall') ?? false,
      EmailBouncedReason: v('EmailBouncedReason'),
      EmailBouncedDate: v('EmailBouncedDate'),
      OwnerId: ownerId,
    };
    if (opts.mapCustomFields) {
      const contact = this.schemaOf('Contact');
      for (const field of this.schemaOf('Lead').fields) if (field.custom && contact.field(field.name)) contactFields[field.name] = lead[field.name] ?? null;
    }
    const contactId = this.create('Contact', contactFields, { at });
    this.update('Lead', lead.Id as string, { IsConverted: true, ConvertedDate: formatDate(at), ConvertedAccountId: accountId, ConvertedContactId: contactId, Status: 'Closed - Converted' }, { at });
    // Campaign history and activities follow the person to the Contact.
    const members = this.table('CampaignMember');
    for (const id of [...members.idsWhere('LeadId', lead.Id as string)]) this.update('CampaignMember', id, { ContactId: contactId }, { at });
    for (const type of ['Task', 'Event']) {
      const t = this.table(type);
      for (const id of [...t.idsWhere('WhoId', lead.Id as string)]) this.update(type, id, { WhoId: contactId }, { at });
    }
    return { accountId, contactId };
  }

  /** Creates a custom field as the Tooling API would (no field-level security for anyone); returns its `00N…` id. */
  createCustomField(fullName: string, metadata: CustomFieldMetadata): string {
    const result = this.addCustomField(fullName, metadata, this.adminUserId);
    if (!result.ok) throw new Error(`createCustomField ${fullName}: ${result.error.errorCode}: ${result.error.message}`);
    return result.id;
  }

  /** Custom field full names of an object, e.g. `['Lead.Lead_Score__c']`. */
  customFields(type: string): string[] {
    const schema = this.schemaOf(type);
    return schema.fields.filter((f) => f.custom).map((f) => `${schema.name}.${f.name}`);
  }

  /**
   * Grants field-level security through a permission set `Sandbox_Field_Access` assigned to the user
   * (default the admin): what an admin does in Setup.
   */
  grantFieldAccess(fullNames: string | readonly string[], opts: { userId?: string; read?: boolean; edit?: boolean } = {}): void {
    const userId = to18(opts.userId ?? this.adminUserId) as string;
    const ps = this.table('PermissionSet');
    let setId = [...ps.values()].find((r) => !r.IsDeleted && r.Name === 'Sandbox_Field_Access')?.Id as string | undefined;
    setId ??= this.create('PermissionSet', { Name: 'Sandbox_Field_Access', Label: 'Sandbox Field Access' });
    const psa = this.table('PermissionSetAssignment');
    if (![...psa.idsWhere('AssigneeId', userId)].some((id) => psa.get(id)?.PermissionSetId === setId && !psa.get(id)?.IsDeleted)) {
      this.create('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: setId });
    }
    const fp = this.table('FieldPermissions');
    const read = opts.read ?? true;
    const edit = opts.edit ?? true;
    for (const fullName of typeof fullNames === 'string' ? [fullNames] : fullNames) {
      const [objectName, fieldName] = fullName.split('.', 2) as [string, string];
      const schema = this.schemaOf(objectName);
      const field = schema.field(fieldName);
      if (!field) throw new Error(`grantFieldAccess: no field ${fullName}`);
      const canonical = `${schema.name}.${field.name}`;
      const existing = [...fp.idsWhere('ParentId', setId)].map((id) => fp.get(id) as Row).find((r) => !r.IsDeleted && r.Field === canonical);
      if (existing) this.update('FieldPermissions', existing.Id as string, { PermissionsRead: read || edit, PermissionsEdit: edit });
      else this.create('FieldPermissions', { ParentId: setId, SobjectType: schema.name, Field: canonical, PermissionsRead: read || edit, PermissionsEdit: edit });
    }
  }

  /** What a user may do with a custom field (`Lead.Lead_Score__c`); standard fields are always readable. */
  fieldAccessOf(userId: string, fullName: string): Access {
    return this.fieldAccess.access(to18(userId) ?? userId, fullName);
  }

  // ---- seeding ----------------------------------------------------------------------------------

  seedLeads(count: number, opts: SeedLeadsOptions = {}): string[] {
    return seedLeads(this, count, opts);
  }

  seedAccounts(count: number, opts: SeedOptions = {}): string[] {
    return seedAccounts(this, count, opts);
  }

  seedContacts(count: number, opts: SeedContactsOptions = {}): string[] {
    return seedContacts(this, count, opts);
  }

  seedCampaigns(count: number, opts: SeedOptions = {}): string[] {
    return seedCampaigns(this, count, opts);
  }

  seedCampaignMembers(opts: SeedCampaignMembersOptions = {}): string[] {
    return seedCampaignMembers(this, opts);
  }

  seedTasks(opts: SeedActivitiesOptions = {}): string[] {
    return seedTasks(this, opts);
  }

  seedEvents(opts: SeedActivitiesOptions = {}): string[] {
    return seedEvents(this, opts);
  }

  /** The clock the org runs on (the sandbox's). */
  clock(): number {
    return this.env.clock();
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SfRequestError) throw new Error(e.message);
    throw e;
  }
}

/** The metadata the Tooling API gives back: what was sent, with the usual defaults. */
function normalizedMetadata(md: CustomFieldMetadata): Record<string, FieldValue | object> {
  const out: Record<string, FieldValue | object> = { ...(md as Record<string, FieldValue | object>) };
  out.required ??= false;
  out.externalId ??= false;
  out.unique ??= false;
  out.description ??= null;
  out.inlineHelpText ??= null;
  return out;
}
