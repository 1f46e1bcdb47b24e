/**
 * `describe` results as the REST API returns them (the properties jsforce's DescribeSObjectResult
 * and DescribeGlobalResult name), for what the running user can see: a custom field without read
 * access is absent, and `createable`/`updateable` take edit access into account.
 */
import type { FieldAccess } from '../store/field-access';
import type { ObjectSchema } from '../store/object-schema';
import { SOAP_TYPES, type FieldDef } from './field';
import { renderValue } from './values';

function urls(version: string, name: string) {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    uiDetailTemplate: `https://sandbox.example/{ID}`,
    uiEditTemplate: `https://sandbox.example/{ID}/e`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    uiNewRecord: `https://sandbox.example/${name}/e`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

export function describeGlobalEntry(schema: ObjectSchema, version: string) {
  const d = schema.def;
  return {
    activateable: false,
    createable: d.createable,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: d.deletable,
    deprecatedAndHidden: false,
    feedEnabled: ['Lead', 'Contact', 'Account'].includes(d.name),
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: d.keyPrefix || null,
    label: d.label,
    labelPlural: d.labelPlural,
    layoutable: true,
    mergeable: ['Lead', 'Contact', 'Account'].includes(d.name),
    mruEnabled: true,
    name: d.name,
    queryable: d.queryable,
    replicateable: d.replicateable,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: d.deletable,
    updateable: d.updateable,
    urls: { sobject: `/services/data/v${version}/sobjects/${d.name}`, describe: `/services/data/v${version}/sobjects/${d.name}/describe`, rowTemplate: `/services/data/v${version}/sobjects/${d.name}/{ID}` },
  };
}

export function describeField(schema: ObjectSchema, field: FieldDef, access: FieldAccess) {
  const edit = access.canEdit(schema.name, field);
  const isText = SOAP_TYPES[field.type] === 'xsd:string';
  return {
    aggregatable: field.groupable || field.type === 'double' || field.type === 'currency' || field.type === 'int',
    aiPredictionField: false,
    autoNumber: false,
    byteLength: field.type === 'id' || field.type === 'reference' ? 18 : isText ? field.length * 3 : 0,
    calculated: field.calculated,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: field.createable && edit,
    custom: field.custom,
    defaultValue: field.type === 'boolean' ? renderValue(field, field.defaultValue) : null,
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: field.type === 'int' ? field.digits : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: field.externalId,
    extraTypeInfo: field.extraTypeInfo === 'json' ? null : field.extraTypeInfo,
    filterable: field.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: field.groupable,
    highScaleNumber: false,
    htmlFormatted: field.htmlFormatted ?? false,
    idLookup: field.idLookup,
    inlineHelpText: field.inlineHelpText ?? null,
    label: field.label,
    length: isText || field.type === 'id' || field.type === 'reference' ? field.length : 0,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField,
    namePointing: field.polymorphic,
    nillable: field.nillable,
    permissionable: field.custom || (field.nillable && field.updateable),
    picklistValues: field.picklistValues.map((p) => ({ active: p.active, defaultValue: p.defaultValue, label: p.label, validFor: null, value: p.value })),
    polymorphicForeignKey: field.polymorphic,
    precision: field.type === 'double' || field.type === 'currency' || field.type === 'percent' ? field.precision : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: field.restrictedPicklist,
    scale: field.type === 'double' || field.type === 'currency' || field.type === 'percent' ? field.scale : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[field.type],
    sortable: field.sortable,
    type: field.type,
    unique: field.unique,
    updateable: field.updateable && edit,
    writeRequiresMasterRead: false,
  };
}

export function describeObject(schema: ObjectSchema, access: FieldAccess, version: string) {
  const d = schema.def;
  return {
    ...describeGlobalEntry(schema, version),
    actionOverrides: [],
    childRelationships: schema.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: schema.fields.filter((f) => access.canRead(d.name, f)).map((f) => describeField(schema, f, access)),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [{ active: true, available: true, defaultRecordTypeMapping: true, developerName: 'Master', master: true, name: 'Master', recordTypeId: '012000000000000AAA', urls: { layout: `/services/data/v${version}/sobjects/${d.name}/describe/layouts/012000000000000AAA` } }],
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All ' + d.labelPlural.toLowerCase(), name: 'everything' }, { label: 'My ' + d.labelPlural.toLowerCase(), name: 'mine' }],
    urls: urls(version, d.name),
  };
}
