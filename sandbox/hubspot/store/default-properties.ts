/**
 * The HubSpot-defined properties a new portal starts with: the ones the connector reads and
 * writes, with the types, option values and read-only flags HubSpot gives them.
 */
import type { ObjectType } from './object-types';

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hubspotDefined: boolean;
  /** HubSpot computes the value; API writes are refused with READ_ONLY_VALUE. */
  readOnlyValue: boolean;
  hasUniqueValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hidden: boolean;
  formField: boolean;
  referencedObjectType?: string;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

type Spec = [name: string, label: string, type: PropertyType, fieldType: string, group: string, extra?: Partial<PropertyDefinition> & { values?: readonly string[] }];

const EPOCH = Date.UTC(2019, 8, 6);

function build(specs: Spec[]): PropertyDefinition[] {
  return specs.map(([name, label, type, fieldType, groupName, extra = {}]) => {
    const { values, ...rest } = extra;
    return {
      name,
      label,
      type,
      fieldType,
      groupName,
      description: '',
      options: (values ?? []).map((v, n) => ({ label: labelFor(v), value: v, displayOrder: n, hidden: false })),
      displayOrder: -1,
      hubspotDefined: true,
      readOnlyValue: false,
      hasUniqueValue: false,
      calculated: false,
      externalOptions: false,
      hidden: false,
      formField: false,
      createdAt: EPOCH,
      updatedAt: EPOCH,
      archived: false,
      ...rest,
    };
  });
}

function labelFor(value: string): string {
  if (value === 'true') return 'Yes';
  if (value === 'false') return 'No';
  return value
    .toLowerCase()
    .split(/[_ ]/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

const RO = { readOnlyValue: true } as const;
const OWNER = { referencedObjectType: 'OWNER', externalOptions: true } as const;

export const NUMEMPLOYEES_VALUES = ['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+'] as const;
export const LIFECYCLE_VALUES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] as const;
export const LEAD_STATUS_VALUES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'] as const;
export const ANALYTICS_SOURCE_VALUES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL'] as const;
export const HARD_BOUNCE_VALUES = ['UNKNOWN_USER', 'MAILBOX_FULL', 'CONTENT', 'SPAM', 'POLICY', 'DNS_FAILURE', 'TIMEOUT', 'OTHER'] as const;
export const SENIORITY_VALUES = ['executive', 'vp', 'director', 'manager', 'employee'] as const;
export const TASK_STATUS_VALUES = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] as const;
export const TASK_PRIORITY_VALUES = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const TASK_TYPE_VALUES = ['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE'] as const;
export const COMPANY_INDUSTRY_VALUES = [
  'COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE',
  'MARKETING_AND_ADVERTISING', 'RETAIL', 'EDUCATION_MANAGEMENT', 'LOGISTICS_AND_SUPPLY_CHAIN', 'TELECOMMUNICATIONS',
  'MACHINERY', 'CONSTRUCTION', 'NON_PROFIT_ORGANIZATION_MANAGEMENT', 'GOVERNMENT_ADMINISTRATION',
] as const;

const CONTACT_SPECS: Spec[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'contactinformation', RO],
  ['createdate', 'Create Date', 'datetime', 'date', 'contactinformation'],
  ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation', RO],
  ['hs_lastmodifieddate', 'Object last modified date/time', 'datetime', 'date', 'contactinformation', { ...RO, hidden: true }],
  ['email', 'Email', 'string', 'text', 'contactinformation', { hasUniqueValue: true, formField: true }],
  ['firstname', 'First Name', 'string', 'text', 'contactinformation', { formField: true }],
  ['lastname', 'Last Name', 'string', 'text', 'contactinformation', { formField: true }],
  ['phone', 'Phone Number', 'string', 'phonenumber', 'contactinformation', { formField: true }],
  ['company', 'Company Name', 'string', 'text', 'contactinformation', { formField: true }],
  ['jobtitle', 'Job Title', 'string', 'text', 'contactinformation', { formField: true }],
  ['industry', 'Industry', 'string', 'text', 'contactinformation', { formField: true }],
  ['numemployees', 'Number of Employees', 'enumeration', 'select', 'contactinformation', { values: NUMEMPLOYEES_VALUES, formField: true }],
  ['annualrevenue', 'Annual Revenue', 'string', 'text', 'contactinformation'],
  ['website', 'Website URL', 'string', 'text', 'contactinformation'],
  ['city', 'City', 'string', 'text', 'contactinformation'],
  ['state', 'State/Region', 'string', 'text', 'contactinformation'],
  ['country', 'Country/Region', 'string', 'text', 'contactinformation'],
  ['hs_seniority', 'Seniority', 'enumeration', 'select', 'contactinformation', { values: SENIORITY_VALUES }],
  ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'contactinformation', { values: LIFECYCLE_VALUES }],
  ['hs_lead_status', 'Lead Status', 'enumeration', 'radio', 'sales_properties', { values: LEAD_STATUS_VALUES }],
  ['hubspot_owner_id', 'Contact owner', 'enumeration', 'select', 'sales_properties', OWNER],
  ['associatedcompanyid', 'Primary Associated Company ID', 'number', 'number', 'contactinformation'],
  ['hs_merged_object_ids', 'Merged Contact IDs', 'enumeration', 'checkbox', 'contactinformation', RO],
  ['hs_analytics_source', 'Original Source', 'enumeration', 'select', 'analyticsinformation', { ...RO, values: ANALYTICS_SOURCE_VALUES }],
  ['hs_analytics_num_page_views', 'Number of Pageviews', 'number', 'number', 'analyticsinformation', RO],
  ['hs_analytics_num_visits', 'Number of Sessions', 'number', 'number', 'analyticsinformation', RO],
  ['hs_analytics_num_event_completions', 'Number of event completions', 'number', 'number', 'analyticsinformation', RO],
  ['hs_analytics_first_visit_timestamp', 'Time First Seen', 'datetime', 'date', 'analyticsinformation', RO],
  ['hs_analytics_last_visit_timestamp', 'Time of Last Session', 'datetime', 'date', 'analyticsinformation', RO],
  ['hs_email_delivered', 'Marketing emails delivered', 'number', 'number', 'emailinformation', RO],
  ['hs_email_open', 'Marketing emails opened', 'number', 'number', 'emailinformation', RO],
  ['hs_email_click', 'Marketing emails clicked', 'number', 'number', 'emailinformation', RO],
  ['hs_email_bounce', 'Marketing emails bounced', 'number', 'number', 'emailinformation', RO],
  ['hs_email_last_open_date', 'Last marketing email open date', 'datetime', 'date', 'emailinformation', RO],
  ['hs_email_last_click_date', 'Last marketing email click date', 'datetime', 'date', 'emailinformation', RO],
  ['hs_email_optout', 'Unsubscribed from all email', 'enumeration', 'booleancheckbox', 'emailinformation', { ...RO, values: ['true', 'false'] }],
  ['hs_email_hard_bounce_reason_enum', 'Email hard bounce reason', 'enumeration', 'select', 'emailinformation', { ...RO, values: HARD_BOUNCE_VALUES }],
  ['num_conversion_events', 'Number of Form Submissions', 'number', 'number', 'conversioninformation', RO],
  ['num_unique_conversion_events', 'Number of Unique Forms Submitted', 'number', 'number', 'conversioninformation', RO],
  ['first_conversion_event_name', 'First Conversion', 'string', 'text', 'conversioninformation', RO],
  ['first_conversion_date', 'First Conversion Date', 'datetime', 'date', 'conversioninformation', RO],
  ['recent_conversion_event_name', 'Recent Conversion', 'string', 'text', 'conversioninformation', RO],
  ['recent_conversion_date', 'Recent Conversion Date', 'datetime', 'date', 'conversioninformation', RO],
  ['notes_last_contacted', 'Last Contacted', 'datetime', 'date', 'sales_properties', RO],
  ['notes_last_updated', 'Last Activity Date', 'datetime', 'date', 'sales_properties', RO],
  ['num_contacted_notes', 'Number of times contacted', 'number', 'number', 'sales_properties', RO],
  ['hs_last_sales_activity_timestamp', 'Last Engagement Date', 'datetime', 'date', 'sales_properties', RO],
];

const COMPANY_SPECS: Spec[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'companyinformation', RO],
  ['createdate', 'Create Date', 'datetime', 'date', 'companyinformation'],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'companyinformation', RO],
  ['name', 'Company name', 'string', 'text', 'companyinformation'],
  ['domain', 'Company Domain Name', 'string', 'text', 'companyinformation'],
  ['website', 'Website URL', 'string', 'text', 'companyinformation'],
  ['phone', 'Phone Number', 'string', 'phonenumber', 'companyinformation'],
  ['industry', 'Industry', 'enumeration', 'select', 'companyinformation', { values: COMPANY_INDUSTRY_VALUES }],
  ['numberofemployees', 'Number of Employees', 'number', 'number', 'companyinformation'],
  ['annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation'],
  ['city', 'City', 'string', 'text', 'companyinformation'],
  ['country', 'Country/Region', 'string', 'text', 'companyinformation'],
  ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'companyinformation', { values: LIFECYCLE_VALUES }],
  ['hubspot_owner_id', 'Company owner', 'enumeration', 'select', 'companyinformation', OWNER],
];

const TASK_SPECS: Spec[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'task', RO],
  ['hs_createdate', 'Create date', 'datetime', 'date', 'task', RO],
  ['hs_lastmodifieddate', 'Last modified date', 'datetime', 'date', 'task', RO],
  ['hs_timestamp', 'Due date', 'datetime', 'date', 'task'],
  ['hs_task_subject', 'Task Title', 'string', 'text', 'task'],
  ['hs_task_body', 'Notes', 'string', 'textarea', 'task'],
  ['hs_task_status', 'Task Status', 'enumeration', 'select', 'task', { values: TASK_STATUS_VALUES }],
  ['hs_task_priority', 'Priority', 'enumeration', 'select', 'task', { values: TASK_PRIORITY_VALUES }],
  ['hs_task_type', 'Task Type', 'enumeration', 'select', 'task', { values: TASK_TYPE_VALUES }],
  ['hs_task_completion_date', 'Completed at', 'datetime', 'date', 'task', RO],
  ['hubspot_owner_id', 'Assigned to', 'enumeration', 'select', 'task', OWNER],
];

const GROUPS: Record<ObjectType, [string, string][]> = {
  contacts: [
    ['contactinformation', 'Contact information'],
    ['emailinformation', 'Email information'],
    ['analyticsinformation', 'Web analytics history'],
    ['conversioninformation', 'Conversion information'],
    ['sales_properties', 'Sales properties'],
  ],
  companies: [['companyinformation', 'Company information']],
  tasks: [['task', 'Task information']],
};

export function defaultProperties(type: ObjectType): PropertyDefinition[] {
  return build(type === 'contacts' ? CONTACT_SPECS : type === 'companies' ? COMPANY_SPECS : TASK_SPECS);
}

export function defaultGroups(type: ObjectType): PropertyGroup[] {
  return GROUPS[type].map(([name, label], displayOrder) => ({ name, label, displayOrder, archived: false }));
}
