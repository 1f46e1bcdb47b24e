/** One portal's property definitions and groups for one object type. */
import { defaultGroups, defaultProperties, type PropertyDefinition, type PropertyGroup } from './default-properties';
import type { ObjectType } from './object-types';

export class PropertyRegistry {
  private readonly properties = new Map<string, PropertyDefinition>();
  private readonly groups = new Map<string, PropertyGroup>();

  constructor(readonly objectType: ObjectType) {
    for (const p of defaultProperties(objectType)) this.properties.set(p.name, p);
    for (const g of defaultGroups(objectType)) this.groups.set(g.name, g);
  }

  get(name: string): PropertyDefinition | undefined {
    const p = this.properties.get(name);
    return p && !p.archived ? p : undefined;
  }

  list(archived = false): PropertyDefinition[] {
    return [...this.properties.values()].filter((p) => p.archived === archived);
  }

  /** Adds or replaces a definition (test helpers and the create route use it). */
  put(definition: PropertyDefinition): void {
    this.properties.set(definition.name, definition);
  }

  group(name: string): PropertyGroup | undefined {
    return this.groups.get(name);
  }

  listGroups(): PropertyGroup[] {
    return [...this.groups.values()].filter((g) => !g.archived);
  }

  putGroup(group: PropertyGroup): void {
    this.groups.set(group.name, group);
  }
}
