/**
 * One stored CRM record. Records are immutable versions: a write makes a new one, so the search
 * index can keep serving the version it indexed while a newer one waits to become searchable.
 *
 * Values sit in an array indexed by a per-type slot table rather than in one object per record,
 * and canonical ISO datetimes are kept as numbers: 100,000 contacts with ~45 properties each then
 * take well under half the memory that plain objects would.
 */
import type { ObjectType } from './object-types';

/** Property name → slot number, shared by every record of one object type in one portal. */
export class PropertySlots {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];

  slot(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
    }
    return i;
  }

  find(name: string): number | undefined {
    return this.index.get(name);
  }
}

type Stored = string | number | undefined;

export class CrmRecord {
  constructor(
    readonly objectType: ObjectType,
    readonly id: string,
    readonly idNum: number,
    private readonly slots: PropertySlots,
    private readonly values: readonly Stored[],
    /** Epoch ms of the create date. */
    readonly createdAt: number,
    /** Epoch ms of the last modification (the type's last-modified property). */
    readonly updatedAt: number,
    readonly archived: boolean,
    readonly archivedAt?: number,
  ) {}

  static create(objectType: ObjectType, idNum: number, slots: PropertySlots, properties: Record<string, string>, createdAt: number, updatedAt: number): CrmRecord {
    const values: Stored[] = [];
    for (const [name, value] of Object.entries(properties)) if (value !== '') values[slots.slot(name)] = encode(value);
    return new CrmRecord(objectType, String(idNum), idNum, slots, values, createdAt, updatedAt, false);
  }

  /** A property's value as HubSpot returns it (a string), or undefined when unset. */
  get(name: string): string | undefined {
    const i = this.slots.find(name);
    return i === undefined ? undefined : decode(this.values[i]);
  }

  /** Names of the properties that have a value. */
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.values.length; i++) if (this.values[i] !== undefined) out.push(this.slots.names[i] as string);
    return out;
  }

  /** Every set property as a plain object (made on each call; for tests and inspection). */
  get properties(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.values.length; i++) {
      const v = decode(this.values[i]);
      if (v !== undefined) out[this.slots.names[i] as string] = v;
    }
    return out;
  }

  /** A new version with the values changed (null or '' clears) and the metadata given. */
  with(changes: Record<string, string | null>, meta: { updatedAt?: number; archived?: boolean; archivedAt?: number; createdAt?: number }): CrmRecord {
    const values = this.values.slice();
    for (const [name, value] of Object.entries(changes)) values[this.slots.slot(name)] = value === null || value === '' ? undefined : encode(value);
    const archived = meta.archived ?? this.archived;
    return new CrmRecord(
      this.objectType,
      this.id,
      this.idNum,
      this.slots,
      values,
      meta.createdAt ?? this.createdAt,
      meta.updatedAt ?? this.updatedAt,
      archived,
      archived ? (meta.archivedAt ?? this.archivedAt) : undefined,
    );
  }

  toJSON(): Record<string, unknown> {
    return { objectType: this.objectType, id: this.id, properties: this.properties, createdAt: this.createdAt, updatedAt: this.updatedAt, archived: this.archived };
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SMALL_INTS: string[] = Array.from({ length: 1000 }, (_, i) => String(i));

function encode(value: string): Stored {
  if (value.length === 24 && ISO.test(value)) {
    const t = Date.parse(value);
    // Only a round trip proves the string is canonical (e.g. not 2026-02-30).
    if (!Number.isNaN(t) && (Number(value.slice(8, 10)) <= 28 || new Date(t).toISOString() === value)) return t;
    return value;
  }
  if (value.length <= 3) {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0 && SMALL_INTS[n] === value) return SMALL_INTS[n];
  }
  return value;
}

function decode(v: Stored): string | undefined {
  return typeof v === 'number' ? new Date(v).toISOString() : v;
}
