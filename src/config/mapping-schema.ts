import { z } from 'zod';
import { duration } from './duration';

/**
 * The schema of `config/mappings/<crm>.yaml`: how a CRM's records become our `Lead` (which CRM field
 * fills which canonical attribute, which related records become events) and the names of the
 * fields the score is written to. Published as `config/schema/mapping.schema.json`.
 */

/** The CRMs the connector speaks; each has a mapping file `mappings/<crm>.yaml`. */
export const CRMS = ['hubspot', 'salesforce'] as const;
export type CrmName = (typeof CRMS)[number];

/**
 * How a raw CRM value becomes an attribute value (see `src/lead/map-record.ts`):
 * - `string`: text, trimmed (empty -> no value)
 * - `number`: a number (`"1,000"` -> 1000)
 * - `range`: the lower bound of a range: `"25-50"` -> 25, `"1000+"` -> 1000, `"250"` -> 250
 * - `date`: an ISO date or epoch milliseconds -> epoch milliseconds
 * - `boolean`: `true`/`false`, `"true"`/`"false"`, `"yes"`/`"no"`, `1`/`0`
 * - `email`: a lower-cased email address (anything else -> no value)
 * - `presence`: `true` when the field has a value, `false` when it is empty
 */
export const ATTRIBUTE_TYPES = ['string', 'number', 'range', 'date', 'boolean', 'email', 'presence'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** The fields written back: names of the score properties (HubSpot) or custom fields (Salesforce). */
export const OUTPUT_KEYS = ['score', 'fit', 'engagement', 'tier', 'reasons', 'model', 'updatedAt'] as const;
export type OutputKey = (typeof OUTPUT_KEYS)[number];

/** The output names with every default filled in; `group` is the HubSpot property group. */
export type OutputFields = Record<OutputKey, string> & { group?: string };

/**
 * What differs between CRMs in a mapping file, as data: a third CRM is one more entry here (and a
 * folder under `connectors/`), not edits across the code.
 */
export interface CrmMappingRules {
  /** The CRM's display name, for messages. */
  label: string;
  /** The object types the connector scores. */
  objects: readonly string[];
  /** Whether field paths may follow relationships (`Account.Industry`). */
  relationshipPaths: boolean;
  /** Whether related records can become events (`events:`). */
  eventSources: boolean;
  /** Whether written fields live in a property group (`output.group`). */
  propertyGroup: boolean;
  /** The form an output field name must have, and how to say it. */
  outputName: { pattern: RegExp; hint: string };
  /** The output names of the contract, used where the file names none. */
  defaultOutput: OutputFields;
}

export const CRM_MAPPING_RULES: Record<CrmName, CrmMappingRules> = {
  hubspot: {
    label: 'HubSpot',
    objects: ['contact'],
    relationshipPaths: false,
    eventSources: false,
    propertyGroup: true,
    outputName: { pattern: /^[a-z][a-z0-9_]*$/, hint: 'a HubSpot property name is lower-case letters, digits and "_", like lead_score' },
    defaultOutput: {
      group: 'lead_scoring',
      score: 'lead_score',
      fit: 'lead_score_fit',
      engagement: 'lead_score_engagement',
      tier: 'lead_score_tier',
      reasons: 'lead_score_reasons',
      model: 'lead_score_model',
      updatedAt: 'lead_score_updated_at',
    },
  },
  salesforce: {
    label: 'Salesforce',
    objects: ['Lead', 'Contact'],
    relationshipPaths: true,
    eventSources: true,
    propertyGroup: false,
    outputName: {
      pattern: /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/,
      hint: 'a Salesforce custom field name is letters, digits and single "_", ending in __c, like Lead_Score__c',
    },
    defaultOutput: {
      score: 'Lead_Score__c',
      fit: 'Lead_Score_Fit__c',
      engagement: 'Lead_Score_Engagement__c',
      tier: 'Lead_Score_Tier__c',
      reasons: 'Lead_Score_Reasons__c',
      model: 'Lead_Score_Model__c',
      updatedAt: 'Lead_Score_Updated_At__c',
    },
  },
};

const fieldName = /[A-Za-z_][A-Za-z0-9_]*/.source;
const fieldPath = z
  .string()
  .regex(
    new RegExp(`^${fieldName}(\\.${fieldName})*$`),
    'a field is the API name of a CRM property or field, like jobtitle, NumberOfEmployees or Account.Industry',
  )
  .describe('the API (internal) name of the CRM field; Salesforce may follow a relationship: Account.Industry');

const canonicalName = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, 'a canonical attribute name is camelCase letters and digits, like companySize');

/** How one canonical attribute is read from a raw record. */
export const attributeMapping = z
  .strictObject({
    field: fieldPath,
    type: z
      .enum(ATTRIBUTE_TYPES)
      .default('string')
      .describe('how the raw value is read: string, number, range ("25-50" -> 25), date, boolean, email, presence (has a value -> true)'),
  })
  .describe('where the attribute comes from: {field: <API name>, type: <how to read it>}');
export type AttributeMapping = z.output<typeof attributeMapping>;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Related records that become events of the lead (Salesforce: CampaignMember, Task, Event, …). */
export const eventSource = z
  .strictObject({
    from: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an object API name, like CampaignMember or Task')
      .describe('the related object, like CampaignMember, Task or Event'),
    type: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'an event type is lower-case letters, digits and "_", like campaign_response')
      .describe('the event type the records become, like campaign_response or sales_activity'),
    at: fieldPath.describe('the date field that dates the event, like FirstRespondedDate or CreatedDate'),
    linkedBy: z
      .string()
      .regex(new RegExp(`^${fieldName}$`), 'a lookup field name, like WhoId or LeadId')
      .optional()
      .describe('the lookup field on the related object that points at the lead (default: LeadId/ContactId for CampaignMember, WhoId for Task and Event)'),
    when: z
      .record(z.string().regex(new RegExp(`^${fieldName}(\\.${fieldName})*$`), 'a field name'), z.union([scalar, z.array(scalar).min(1)]))
      .optional()
      .describe('only records whose fields have these values (a list means any of them), like {HasResponded: true}'),
    properties: z
      .record(z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'an event property name is camelCase, like campaign'), fieldPath)
      .default({})
      .describe('event property -> field to read it from, like {campaign: Campaign.Name, status: Status}'),
  })
  .describe('related records that become events of the lead');
export type EventSource = z.output<typeof eventSource>;

/** How one CRM object type (contact; Lead; Contact) maps to a Lead. */
export const objectMapping = z.strictObject({
  attributes: z
    .record(canonicalName, attributeMapping)
    .refine((a) => Object.keys(a).length > 0, 'map at least one attribute (email, at the very least)')
    .describe('canonical attribute name -> where to read it'),
  events: z.array(eventSource).default([]).describe('Salesforce only: related records that become events'),
});
export type ObjectMapping = z.output<typeof objectMapping>;

const outputName = z.string().min(1);
const outputFields = z
  .strictObject({
    group: outputName.optional().describe('HubSpot only: the property group the score properties are created in (default lead_scoring)'),
    score: outputName.optional().describe('the score, 0-100 (default lead_score / Lead_Score__c)'),
    fit: outputName.optional().describe('the fit part, 0-100 (default lead_score_fit / Lead_Score_Fit__c)'),
    engagement: outputName.optional().describe('the engagement part, 0-100 (default lead_score_engagement / Lead_Score_Engagement__c)'),
    tier: outputName.optional().describe('hot, warm or cold (default lead_score_tier / Lead_Score_Tier__c)'),
    reasons: outputName.optional().describe('the rules that fired, one a line (default lead_score_reasons / Lead_Score_Reasons__c)'),
    model: outputName.optional().describe('the model id (default lead_score_model / Lead_Score_Model__c)'),
    updatedAt: outputName.optional().describe('when the score last changed (default lead_score_updated_at / Lead_Score_Updated_At__c)'),
  })
  .default({})
  .describe('the names of the fields the score is written to; each defaults to the name in the docs');

/** The whole mapping file. Output names are filled with the CRM's defaults after validation. */
const polling = z
  .strictObject({
    interval: duration
      .prefault('5m')
      .describe('how often the CRM is asked for what changed: the safety net for lost webhooks (default 5m)'),
  })
  .prefault({})
  .describe('polling for changes: the first run is a full pass, then incremental');

const apiBudget = z
  .strictObject({
    maxShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe("the most of the org's daily API allocation the connector may use (0-1, default 0.5); past it, the org is paused until its usage recovers"),
  })
  .describe('Salesforce only: how much of the daily API allocation the connector may use (read at start)');

const mappingFile = z.strictObject({
  crm: z.enum(CRMS).describe('which CRM this file maps: hubspot or salesforce (the file name says it too)'),
  objects: z.record(z.string(), objectMapping).describe('one entry per CRM object type that is scored'),
  output: outputFields,
  polling,
  apiBudget: apiBudget.optional(),
});
type MappingShape = z.output<typeof mappingFile>;

export const mappingConfig = mappingFile
  .superRefine(checkMapping)
  .transform((m) => ({ ...m, output: { ...CRM_MAPPING_RULES[m.crm].defaultOutput, ...m.output } as OutputFields }));

export type MappingConfig = z.output<typeof mappingConfig>;
export type MappingConfigInput = z.input<typeof mappingConfig>;

/** The checks that depend on which CRM the file is for. */
function checkMapping(m: MappingShape, ctx: z.RefinementCtx): void {
  const rules = CRM_MAPPING_RULES[m.crm];
  if (!rules) return;
  if (m.apiBudget && m.crm !== 'salesforce') {
    ctx.addIssue({ code: 'custom', path: ['apiBudget'], message: `apiBudget is a Salesforce setting; ${rules.label} has no daily API allocation to share` });
  }
  const objectTypes = Object.keys(m.objects);
  if (objectTypes.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['objects'], message: `map at least one object: ${rules.objects.join(', ')}` });
  }
  const output = { ...rules.defaultOutput, ...m.output };
  const written = new Set(Object.entries(output).filter(([k]) => k !== 'group').map(([, v]) => v));

  for (const [type, obj] of Object.entries(m.objects)) {
    if (!rules.objects.includes(type)) {
      ctx.addIssue({ code: 'custom', path: ['objects', type], message: `${rules.label} mappings score ${rules.objects.join(' and ')}; "${type}" is not one of them` });
    }
    for (const [name, a] of Object.entries(obj.attributes)) {
      if (!rules.relationshipPaths && a.field.includes('.')) {
        ctx.addIssue({ code: 'custom', path: ['objects', type, 'attributes', name, 'field'], message: `${rules.label} properties are flat: "${a.field}" cannot follow a relationship` });
      }
      if (written.has(a.field)) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', type, 'attributes', name, 'field'],
          message: `"${a.field}" is written by the connector (output); reading it back would make the score feed on itself`,
        });
      }
    }
    if (!rules.eventSources && obj.events.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['objects', type, 'events'], message: `${rules.label} mappings cannot read related records as events; leave events empty` });
    }
    obj.events.forEach((e, i) => {
      for (const [prop, field] of Object.entries(e.properties)) {
        if (!rules.relationshipPaths && field.includes('.')) {
          ctx.addIssue({ code: 'custom', path: ['objects', type, 'events', i, 'properties', prop], message: `${rules.label} fields are flat: "${field}" cannot follow a relationship` });
        }
      }
    });
  }

  if (m.output.group !== undefined && !rules.propertyGroup) {
    ctx.addIssue({ code: 'custom', path: ['output', 'group'], message: `${rules.label} has no property groups: remove output.group` });
  }
  const byName = new Map<string, string>();
  for (const key of ['group', ...OUTPUT_KEYS] as const) {
    const name = m.output[key];
    if (name === undefined) continue;
    if (key === 'group' && !rules.propertyGroup) continue;
    if (!rules.outputName.pattern.test(name)) {
      ctx.addIssue({ code: 'custom', path: ['output', key], message: `${rules.outputName.hint}; found "${name}"` });
    }
    if (key === 'group') continue;
    const other = byName.get(name);
    if (other) ctx.addIssue({ code: 'custom', path: ['output', key], message: `"${name}" is already the name of output.${other}: each value needs its own field` });
    else byName.set(name, key);
  }
  const defaults = rules.defaultOutput;
  for (const key of OUTPUT_KEYS) {
    if (m.output[key] === undefined && byName.has(defaults[key]) && byName.get(defaults[key]) !== key) {
      ctx.addIssue({ code: 'custom', path: ['output', byName.get(defaults[key]) as string], message: `"${defaults[key]}" is the default name of output.${key}: pick another name` });
    }
  }
}
