/**
 * Field-level security, as far as an API client sees it. Standard fields are visible to everyone
 * (editable where the field is). A custom field is visible to a user only through a FieldPermissions
 * row (`PermissionsRead`/`PermissionsEdit`) on a permission set assigned to the user, or on the
 * permission set owned by the user's profile. Fields created through the Tooling API start with no
 * such row: invisible, even to the admin who created them.
 */
import type { FieldDef } from '../schema/field';
import type { Row, Table } from './table';

export interface Access {
  read: boolean;
  edit: boolean;
}

export interface FieldAccess {
  readonly userId: string;
  canRead(objectType: string, field: FieldDef): boolean;
  canEdit(objectType: string, field: FieldDef): boolean;
}

/** Everything visible and editable as far as FLS goes (helper writes, the system). */
export const SYSTEM_ACCESS: FieldAccess = {
  userId: '',
  canRead: () => true,
  canEdit: () => true,
};

interface Tables {
  table(type: string): Table;
}

export class FieldAccessResolver {
  private version = 0;
  private cache = new Map<string, { version: number; grants: Map<string, Access> }>();

  constructor(private readonly tables: Tables) {}

  /** Call after any write to User, PermissionSet, PermissionSetAssignment or FieldPermissions. */
  invalidate(): void {
    this.version++;
  }

  forUser(userId: string): FieldAccess {
    const grants = this.grantsOf(userId);
    const custom = (objectType: string, field: FieldDef) => grants.get(`${objectType}.${field.name}`.toLowerCase());
    return {
      userId,
      canRead: (objectType, field) => !field.custom || (custom(objectType, field)?.read ?? false),
      canEdit: (objectType, field) => !field.custom || (custom(objectType, field)?.edit ?? false),
    };
  }

  /** What one user may do with `Object.Field__c`. */
  access(userId: string, fieldFullName: string): Access {
    return this.grantsOf(userId).get(fieldFullName.toLowerCase()) ?? { read: false, edit: false };
  }

  private grantsOf(userId: string): Map<string, Access> {
    const cached = this.cache.get(userId);
    if (cached && cached.version === this.version) return cached.grants;
    const sets = new Set<string>();
    const user = this.tables.table('User').get(userId);
    const profileId = user?.ProfileId;
    for (const ps of this.tables.table('PermissionSet').values()) {
      if (!ps.IsDeleted && ps.IsOwnedByProfile && ps.ProfileId === profileId) sets.add(ps.Id as string);
    }
    for (const id of this.tables.table('PermissionSetAssignment').idsWhere('AssigneeId', userId)) {
      const a = this.tables.table('PermissionSetAssignment').get(id) as Row;
      if (!a.IsDeleted) sets.add(a.PermissionSetId as string);
    }
    const grants = new Map<string, Access>();
    const fp = this.tables.table('FieldPermissions');
    for (const setId of sets) {
      for (const id of fp.idsWhere('ParentId', setId)) {
        const row = fp.get(id) as Row;
        if (row.IsDeleted) continue;
        const key = String(row.Field).toLowerCase();
        const prev = grants.get(key) ?? { read: false, edit: false };
        grants.set(key, { read: prev.read || row.PermissionsRead === true, edit: prev.edit || row.PermissionsEdit === true });
      }
    }
    this.cache.set(userId, { version: this.version, grants });
    return grants;
  }
}
