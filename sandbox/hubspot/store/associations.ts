/**
 * Associations between records, stored in both directions with HubSpot's default type ids
 * (task→contact 204, contact→task 203, contact→company 279 / primary 1, and so on).
 */
import type { ObjectType } from './object-types';

interface AssociationDefinition {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  /** The type id of the same association seen from the other side. */
  inverseTypeId: number;
  /** v3 `associations` results name the type, e.g. `contact_to_task`. */
  label: string;
}

const DEFINITIONS: AssociationDefinition[] = [
  { from: 'tasks', to: 'contacts', typeId: 204, inverseTypeId: 203, label: 'task_to_contact' },
  { from: 'contacts', to: 'tasks', typeId: 203, inverseTypeId: 204, label: 'contact_to_task' },
  { from: 'tasks', to: 'companies', typeId: 192, inverseTypeId: 191, label: 'task_to_company' },
  { from: 'companies', to: 'tasks', typeId: 191, inverseTypeId: 192, label: 'company_to_task' },
  { from: 'contacts', to: 'companies', typeId: 279, inverseTypeId: 280, label: 'contact_to_company_unlabeled' },
  { from: 'companies', to: 'contacts', typeId: 280, inverseTypeId: 279, label: 'company_to_contact_unlabeled' },
  { from: 'contacts', to: 'companies', typeId: 1, inverseTypeId: 2, label: 'contact_to_company' },
  { from: 'companies', to: 'contacts', typeId: 2, inverseTypeId: 1, label: 'company_to_contact' },
];

export function associationDefinition(from: ObjectType, typeId: number): AssociationDefinition | undefined {
  return DEFINITIONS.find((d) => d.from === from && d.typeId === typeId);
}

export function defaultAssociationTypeId(from: ObjectType, to: ObjectType): number | undefined {
  return DEFINITIONS.find((d) => d.from === from && d.to === to)?.typeId;
}

export function associationLabel(from: ObjectType, typeId: number): string | undefined {
  return associationDefinition(from, typeId)?.label;
}

export interface AssociationEdge {
  toId: string;
  typeIds: number[];
}

export class AssociationStore {
  /** key `${fromType}:${fromId}:${toType}` → toId → type ids */
  private readonly edges = new Map<string, Map<string, Set<number>>>();

  add(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeId: number): void {
    const def = associationDefinition(from, typeId);
    if (!def || def.to !== to) throw new Error(`no association type ${typeId} from ${from} to ${to}`);
    this.addOne(from, fromId, to, toId, typeId);
    this.addOne(to, toId, from, fromId, def.inverseTypeId);
    // A primary contact→company association is also an unlabeled one, as in HubSpot.
    if (from === 'contacts' && to === 'companies' && typeId === 1) this.add(from, fromId, to, toId, 279);
    if (from === 'companies' && to === 'contacts' && typeId === 2) this.add(from, fromId, to, toId, 280);
  }

  list(from: ObjectType, fromId: string, to: ObjectType): AssociationEdge[] {
    const m = this.edges.get(`${from}:${fromId}:${to}`);
    if (!m) return [];
    return [...m.entries()]
      .map(([toId, types]) => ({ toId, typeIds: [...types].sort((a, b) => a - b) }))
      .sort((a, b) => Number(a.toId) - Number(b.toId));
  }

  /** Moves every association of `fromId` onto `intoId` (after a merge). */
  moveAll(type: ObjectType, fromId: string, intoId: string, otherTypes: readonly ObjectType[]): void {
    for (const other of otherTypes) {
      for (const edge of this.list(type, fromId, other)) {
        for (const typeId of edge.typeIds) this.add(type, intoId, other, edge.toId, typeId);
      }
      this.removeAll(type, fromId, other);
    }
  }

  removeAll(type: ObjectType, id: string, other: ObjectType): void {
    const key = `${type}:${id}:${other}`;
    const m = this.edges.get(key);
    if (!m) return;
    for (const toId of m.keys()) this.edges.get(`${other}:${toId}:${type}`)?.delete(id);
    this.edges.delete(key);
  }

  private addOne(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeId: number): void {
    const key = `${from}:${fromId}:${to}`;
    let m = this.edges.get(key);
    if (!m) this.edges.set(key, (m = new Map()));
    let types = m.get(toId);
    if (!types) m.set(toId, (types = new Set()));
    types.add(typeId);
  }
}
