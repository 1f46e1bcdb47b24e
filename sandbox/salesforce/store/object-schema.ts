/**
 * One org's view of an sObject: its standard fields plus the custom fields created in that org.
 * Field and relationship names resolve case-insensitively, as everywhere in the API.
 */
import type { FieldDef } from '../schema/field';
import type { ChildRelationship, ObjectDef } from '../schema/standard-objects';

export class ObjectSchema {
  private readonly fieldList: FieldDef[];
  private readonly byLower = new Map<string, FieldDef>();
  private readonly relationships = new Map<string, FieldDef>();
  private readonly children = new Map<string, ChildRelationship>();

  constructor(readonly def: ObjectDef) {
    this.fieldList = [];
    for (const field of def.fields) this.addField(field);
    for (const child of def.childRelationships) this.children.set(child.relationshipName.toLowerCase(), child);
  }

  get name(): string {
    return this.def.name;
  }

  get fields(): readonly FieldDef[] {
    return this.fieldList;
  }

  field(name: string): FieldDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** The lookup field whose relationship is called `name` (`Account` → `AccountId`). */
  relationship(name: string): FieldDef | undefined {
    return this.relationships.get(name.toLowerCase());
  }

  child(name: string): ChildRelationship | undefined {
    return this.children.get(name.toLowerCase());
  }

  get childRelationships(): readonly ChildRelationship[] {
    return [...this.children.values()];
  }

  addField(field: FieldDef): void {
    const key = field.name.toLowerCase();
    const existing = this.byLower.get(key);
    if (existing) this.fieldList[this.fieldList.indexOf(existing)] = field;
    else this.fieldList.push(field);
    this.byLower.set(key, field);
    if (field.relationshipName) this.relationships.set(field.relationshipName.toLowerCase(), field);
  }

  addChild(child: ChildRelationship): void {
    this.children.set(child.relationshipName.toLowerCase(), child);
  }
}
