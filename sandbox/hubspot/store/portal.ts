/**
 * One HubSpot account ("portal"): its records, properties, owners and associations, and the write
 * operations the routes and the test helpers share. Every write gets a last-modified time from
 * the portal's clock, strictly later than the previous write's.
 */
import { AssociationStore, type AssociationEdge } from './associations';
import type { ChangeEvent, ChangeSource } from './change-events';
import { checkValues } from './check-values';
import type { CrmRecord } from './crm-record';
import type { PropertyDefinition } from './default-properties';
import { ObjectStore, type PropertyChange } from './object-store';
import type { ObjectType } from './object-types';
import { OwnerStore, type Owner } from './owners';
import { PropertyRegistry } from './property-registry';
import type { PropertyValueError } from '../errors';
import { seedCompanies, seedContacts, seedOwners, type SeedContactsOptions, type SeedOptions } from '../seed/seed-portal';

export interface PortalDeps {
  clock: () => number;
  indexDelayMs: () => number;
  onChange: (event: ChangeEvent) => void;
  /** When true, each record of a batch write gets its own millisecond; otherwise the whole request shares one. */
  distinctTimestamps: () => boolean;
}

export type WriteResult = { ok: true; record: CrmRecord; changes: PropertyChange[] } | { ok: false; errors: PropertyValueError[] };

export interface WriteOptions {
  source?: ChangeSource;
  /** Lets a helper set computed properties (page views, opens) as HubSpot's own tracking would. */
  allowReadOnly?: boolean;
  /** Reuse a time stamp (the routes give one per request). */
  ts?: number;
}

const USER_SOURCE: ChangeSource = { changeSource: 'CRM_UI' };
const TYPES: readonly ObjectType[] = ['contacts', 'companies', 'tasks'];

export class Portal {
  readonly hubDomain: string;
  readonly stores: Record<ObjectType, ObjectStore>;
  readonly properties: Record<ObjectType, PropertyRegistry>;
  readonly ownerStore = new OwnerStore();
  readonly associations = new AssociationStore();
  private lastStamp = 0;

  constructor(
    readonly portalId: number,
    private readonly deps: PortalDeps,
  ) {
    this.hubDomain = `portal-${portalId}.sandbox.example`;
    const store = (type: ObjectType, unique: string[] = []) => new ObjectStore(type, deps.indexDelayMs, deps.clock, unique);
    this.stores = { contacts: store('contacts', ['email']), companies: store('companies'), tasks: store('tasks') };
    this.properties = { contacts: new PropertyRegistry('contacts'), companies: new PropertyRegistry('companies'), tasks: new PropertyRegistry('tasks') };
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Live contacts by id. */
  get contacts(): ReadonlyMap<string, CrmRecord> {
    return this.stores.contacts.records;
  }

  get companies(): ReadonlyMap<string, CrmRecord> {
    return this.stores.companies.records;
  }

  get tasks(): ReadonlyMap<string, CrmRecord> {
    return this.stores.tasks.records;
  }

  /** All owners, archived ones included, in id order. */
  get owners(): Owner[] {
    return this.ownerStore.list();
  }

  getContact(id: string): CrmRecord | undefined {
    return this.stores.contacts.get(id);
  }

  /** Records of `toType` associated with the record, with the association type ids. */
  associationsOf(type: ObjectType, id: string, toType: ObjectType): AssociationEdge[] {
    return this.associations.list(type, id, toType);
  }

  /** Tasks associated with a contact. */
  tasksForContact(contactId: string): CrmRecord[] {
    return this.associations
      .list('contacts', contactId, 'tasks')
      .map((e) => this.stores.tasks.get(e.toId))
      .filter((t): t is CrmRecord => t !== undefined);
  }

  // ---- helpers for tests --------------------------------------------------------------------

  /**
   * Adds `count` generated contacts, or one per entry of `list` (entry values override generated
   * ones). Reproducible: same seed and `now`, same contacts. Returns the created records.
   */
  seedContacts(countOrList: number | readonly Record<string, string>[], opts: SeedContactsOptions = {}): CrmRecord[] {
    return seedContacts(this, countOrList, { now: this.deps.clock(), ...opts });
  }

  /** Adds `count` generated companies (with domain and, mostly, an owner). */
  seedCompanies(count: number, opts: SeedOptions = {}): CrmRecord[] {
    return seedCompanies(this, count, { now: this.deps.clock(), ...opts });
  }

  /** Adds `active` owners and `archived` archived ones. */
  seedOwners(active: number, archived = 0, seed?: number | string): Owner[] {
    return seedOwners(this, active, archived, seed);
  }

  addOwner(input: Partial<Owner> & { email: string }): Owner {
    return this.ownerStore.add(input, this.deps.clock());
  }

  archiveOwner(id: string): Owner | undefined {
    return this.ownerStore.archive(id, this.deps.clock());
  }

  /** Adds or replaces a property definition (e.g. a custom property the connector would expect). */
  defineProperty(type: ObjectType, definition: Partial<PropertyDefinition> & Pick<PropertyDefinition, 'name' | 'type'>): PropertyDefinition {
    const now = this.deps.clock();
    const full: PropertyDefinition = {
      label: definition.name,
      fieldType: definition.type === 'number' ? 'number' : definition.type === 'enumeration' ? 'select' : 'text',
      groupName: this.properties[type].listGroups()[0]?.name ?? 'contactinformation',
      description: '',
      options: [],
      displayOrder: -1,
      hubspotDefined: false,
      readOnlyValue: false,
      hasUniqueValue: false,
      calculated: false,
      externalOptions: false,
      hidden: false,
      formField: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
      ...definition,
    };
    this.properties[type].put(full);
    return full;
  }

  /** Creates a contact as a user would (no read-only check, `CRM_UI` change source). Throws on bad values. */
  createContact(properties: Record<string, string>, opts: WriteOptions = {}): CrmRecord {
    return this.mustWrite(this.createRecord('contacts', properties, { source: USER_SOURCE, allowReadOnly: true, ...opts }));
  }

  /** Changes a contact as HubSpot or a user would; webhooks fire for the changed properties. Throws on bad values. */
  updateContact(id: string, properties: Record<string, string | null>, opts: WriteOptions = {}): CrmRecord {
    const result = this.updateRecord('contacts', id, properties, { source: USER_SOURCE, allowReadOnly: true, ...opts });
    if (!result) throw new Error(`no contact ${id}`);
    return this.mustWrite(result);
  }

  /** Archives (deletes) a contact; it shows up again only with `archived=true`. */
  deleteContact(id: string, opts: WriteOptions = {}): CrmRecord | undefined {
    return this.archiveRecord('contacts', id, { source: USER_SOURCE, ...opts });
  }

  restoreContact(id: string, opts: WriteOptions = {}): CrmRecord | undefined {
    const source = opts.source ?? USER_SOURCE;
    const at = opts.ts ?? this.stamp();
    const record = this.stores.contacts.restore(id, at);
    if (record) this.deps.onChange({ kind: 'restore', objectType: 'contacts', portalId: this.portalId, id, at, source });
    return record;
  }

  /** Merges `mergedId` into `primaryId` like HubSpot's merge: the merged id then resolves to the primary. */
  mergeContacts(primaryId: string, mergedId: string, opts: WriteOptions = {}): CrmRecord | undefined {
    return this.mergeRecords('contacts', primaryId, mergedId, { source: USER_SOURCE, ...opts });
  }

  // ---- writes shared by the routes --------------------------------------------------------

  /** The next last-modified time: now, or 1 ms after the previous write if the clock has not moved. */
  stamp(): number {
    const t = Math.max(this.deps.clock(), this.lastStamp + 1);
    this.lastStamp = t;
    return t;
  }

  /** A stamp for the i-th record of a batch written at `base`. */
  batchStamp(base: number, i: number): number {
    if (i === 0 || !this.deps.distinctTimestamps()) return base;
    const t = Math.max(base + i, this.lastStamp + 1);
    this.lastStamp = t;
    return t;
  }

  createRecord(type: ObjectType, input: Record<string, unknown>, opts: WriteOptions = {}): WriteResult {
    const checked = checkValues(this.properties[type], input, { portalId: this.portalId, owners: this.ownerStore, allowReadOnly: opts.allowReadOnly ?? false });
    if (!checked.ok) return checked;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(checked.values)) if (v !== null) values[k] = v;
    const at = opts.ts ?? this.stamp();
    const record = this.stores[type].create(values, at);
    const source = opts.source ?? USER_SOURCE;
    this.deps.onChange({ kind: 'creation', objectType: type, portalId: this.portalId, id: record.id, at, source });
    return { ok: true, record, changes: Object.entries(values).map(([name, value]) => ({ name, value, previous: null })) };
  }

  /** undefined when the record does not exist. */
  updateRecord(type: ObjectType, id: string, input: Record<string, unknown>, opts: WriteOptions = {}): WriteResult | undefined {
    const checked = checkValues(this.properties[type], input, { portalId: this.portalId, owners: this.ownerStore, allowReadOnly: opts.allowReadOnly ?? false });
    if (!checked.ok) return checked;
    const store = this.stores[type];
    if (!store.get(id)) return undefined;
    const at = opts.ts ?? this.stamp();
    const updated = store.update(id, checked.values, at);
    if (!updated) return undefined;
    const source = opts.source ?? USER_SOURCE;
    for (const c of updated.changes) {
      this.deps.onChange({ kind: 'propertyChange', objectType: type, portalId: this.portalId, id: updated.record.id, at, source, name: c.name, value: c.value });
    }
    return { ok: true, record: updated.record, changes: updated.changes };
  }

  archiveRecord(type: ObjectType, id: string, opts: WriteOptions = {}): CrmRecord | undefined {
    const at = opts.ts ?? this.stamp();
    const record = this.stores[type].archive(id, at);
    if (record) this.deps.onChange({ kind: 'deletion', objectType: type, portalId: this.portalId, id: record.id, at, source: opts.source ?? USER_SOURCE });
    return record;
  }

  mergeRecords(type: ObjectType, primaryId: string, mergedId: string, opts: WriteOptions = {}): CrmRecord | undefined {
    const store = this.stores[type];
    const primary = store.get(primaryId);
    const merged = store.get(mergedId);
    if (!primary || !merged) return undefined;
    const at = opts.ts ?? this.stamp();
    const result = store.merge(primary.id, merged.id, at);
    if (!result) return undefined;
    this.associations.moveAll(type, merged.id, primary.id, TYPES.filter((t) => t !== type));
    this.deps.onChange({ kind: 'merge', objectType: type, portalId: this.portalId, id: primary.id, at, source: opts.source ?? USER_SOURCE, primaryId: primary.id, mergedIds: [merged.id] });
    return result;
  }

  /** Keeps the write clock ahead of seeded history. */
  noteSeededTime(ts: number): void {
    this.lastStamp = Math.max(this.lastStamp, ts);
  }

  private mustWrite(result: WriteResult): CrmRecord {
    if (!result.ok) throw new Error(`invalid property values: ${JSON.stringify(result.errors)}`);
    return result.record;
  }
}
