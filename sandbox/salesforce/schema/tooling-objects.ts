/**
 * The Tooling API objects the sandbox serves: `CustomField` (create, read, query; `FullName` and
 * `Metadata` only in queries that return at most one row) and `EntityDefinition` (query).
 */
import { f, readOnly, systemFields } from './field';
import type { ObjectDef } from './standard-objects';

export function toolingObjects(): ObjectDef[] {
  return [
    {
      name: 'CustomField',
      label: 'Custom Field Definition',
      labelPlural: 'Custom Field Definitions',
      keyPrefix: '00N',
      fields: [
        ...systemFields().filter((x) => x.name !== 'IsDeleted'),
        readOnly(f.text('DeveloperName', 'Field Name', 40)),
        readOnly(f.text('TableEnumOrId', 'Table Enum or ID', 40)),
        readOnly(f.text('NamespacePrefix', 'Namespace Prefix', 15)),
        f.textarea('Description', 'Description', 1000),
        f.text('InlineHelpText', 'Help Text', 510),
        readOnly(f.picklist('ManageableState', 'Manageable State', ['unmanaged', 'installed', 'released'])),
        { ...f.text('FullName', 'Full Name', 255), filterable: true },
        { ...f.textarea('Metadata', 'Metadata', 131072), extraTypeInfo: 'json', filterable: false },
        readOnly(f.text('EntityDefinitionId', 'Entity Definition ID', 18)),
      ],
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      replicateable: false,
      customizable: false,
      childRelationships: [],
    },
    {
      name: 'EntityDefinition',
      label: 'Entity Definition',
      labelPlural: 'Entity Definitions',
      keyPrefix: '',
      fields: [
        f.id(),
        readOnly(f.text('DurableId', 'Durable ID', 255)),
        readOnly(f.text('QualifiedApiName', 'Qualified API Name', 255)),
        readOnly(f.text('DeveloperName', 'Developer Name', 255)),
        readOnly(f.text('Label', 'Label', 255)),
        readOnly(f.text('PluralLabel', 'Plural Label', 255)),
        readOnly(f.text('KeyPrefix', 'Key Prefix', 3)),
        readOnly(f.bool('IsCustomizable', 'Is Customizable')),
        readOnly(f.bool('IsQueryable', 'Is Queryable')),
        readOnly(f.datetime('SystemModstamp', 'System Modstamp')),
        readOnly(f.bool('IsDeleted', 'Deleted')),
      ],
      createable: false,
      updateable: false,
      deletable: false,
      queryable: true,
      replicateable: false,
      customizable: false,
      childRelationships: [],
    },
  ];
}
