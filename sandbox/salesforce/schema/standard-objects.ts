/**
 * The standard objects the sandbox serves, with the fields a lead-scoring connector reads or writes
 * (and the ones around them a describe shows). Labels, types, picklist values and which fields are
 * read-only follow the objects' describe results and the Object Reference.
 */
import { KEY_PREFIXES } from '../ids';
import { f, readOnly, systemFields, type FieldDef } from './field';

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  /** Supports `/updated` and `/deleted` (and queryAll shows its deleted rows). */
  replicateable: boolean;
  /** Custom fields can be added to it. */
  customizable: boolean;
  childRelationships: ChildRelationship[];
}

export const INDUSTRIES = [
  'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting',
  'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage',
  'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit',
  'Other', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities',
] as const;
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;
export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'] as const;
export const RATINGS = ['Hot', 'Warm', 'Cold'] as const;
export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] as const;
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
export const TASK_SUBTYPES = ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] as const;
export const EVENT_SUBTYPES = ['Event'] as const;
export const ACTIVITY_TYPES = ['Call', 'Email', 'Meeting', 'Other'] as const;
export const CAMPAIGN_MEMBER_STATUSES = ['Sent', 'Responded'] as const;

const OWNER_USER_OR_QUEUE = (label = 'Owner ID') =>
  f.ref('OwnerId', label, ['Group', 'User'], 'Owner', { nillable: false, defaultedOnCreate: true });
const OWNER_USER = (label = 'Owner ID') => f.ref('OwnerId', label, ['User'], 'Owner', { nillable: false, defaultedOnCreate: true });
const NAME = (label = 'Full Name') => readOnly(f.text('Name', label, 121, { nameField: true, calculated: false }));

function object(name: string, label: string, labelPlural: string, fields: FieldDef[], extra: Partial<ObjectDef> = {}): ObjectDef {
  const prefix = KEY_PREFIXES[name];
  if (!prefix) throw new Error(`no key prefix for ${name}`);
  return {
    name,
    label,
    labelPlural,
    keyPrefix: prefix,
    fields: [...systemFields(), ...fields],
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    replicateable: true,
    customizable: true,
    childRelationships: [],
    ...extra,
  };
}

const ACTIVITY_CHILDREN = (field: 'WhoId' | 'WhatId'): ChildRelationship[] => [
  { relationshipName: 'Tasks', childSObject: 'Task', field, cascadeDelete: true },
  { relationshipName: 'Events', childSObject: 'Event', field, cascadeDelete: true },
];

export function standardObjects(): ObjectDef[] {
  return [
    object('Lead', 'Lead', 'Leads', [
      readOnly(f.ref('MasterRecordId', 'Master Record ID', ['Lead'], 'MasterRecord')),
      f.text('LastName', 'Last Name', 80, { nillable: false, required: true }),
      f.text('FirstName', 'First Name', 40),
      f.picklist('Salutation', 'Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      NAME(),
      f.text('Title', 'Title', 128),
      f.text('Company', 'Company', 255, { nillable: false, required: true }),
      f.textarea('Street', 'Street', 255),
      f.text('City', 'City', 40),
      f.text('State', 'State/Province', 80),
      f.text('PostalCode', 'Zip/Postal Code', 20),
      f.text('Country', 'Country', 80),
      f.phone('Phone', 'Phone'),
      f.phone('MobilePhone', 'Mobile Phone'),
      f.email('Email', 'Email'),
      f.url('Website', 'Website'),
      f.textarea('Description', 'Description', 32000),
      f.picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
      f.picklist('Status', 'Status', LEAD_STATUSES, { nillable: false, default: 'Open - Not Contacted' }),
      f.picklist('Industry', 'Industry', INDUSTRIES),
      f.picklist('Rating', 'Rating', RATINGS),
      f.currency('AnnualRevenue', 'Annual Revenue', 18, 0),
      f.int('NumberOfEmployees', 'Employees', 8),
      OWNER_USER_OR_QUEUE(),
      f.bool('HasOptedOutOfEmail', 'Email Opt Out'),
      f.bool('DoNotCall', 'Do Not Call'),
      readOnly(f.bool('IsConverted', 'Converted')),
      readOnly(f.date('ConvertedDate', 'Converted Date')),
      readOnly(f.ref('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount')),
      readOnly(f.ref('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact')),
      readOnly(f.ref('ConvertedOpportunityId', 'Converted Opportunity ID', ['Opportunity'], 'ConvertedOpportunity')),
      f.bool('IsUnreadByOwner', 'Unread By Owner'),
      readOnly(f.date('LastActivityDate', 'Last Activity')),
      f.text('EmailBouncedReason', 'Email Bounced Reason', 255),
      f.datetime('EmailBouncedDate', 'Email Bounced Date'),
    ], { childRelationships: [
      { relationshipName: 'CampaignMembers', childSObject: 'CampaignMember', field: 'LeadId', cascadeDelete: true },
      ...ACTIVITY_CHILDREN('WhoId'),
    ] }),

    object('Contact', 'Contact', 'Contacts', [
      readOnly(f.ref('MasterRecordId', 'Master Record ID', ['Contact'], 'MasterRecord')),
      f.ref('AccountId', 'Account ID', ['Account'], 'Account'),
      f.text('LastName', 'Last Name', 80, { nillable: false, required: true }),
      f.text('FirstName', 'First Name', 40),
      f.picklist('Salutation', 'Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      NAME(),
      f.textarea('MailingStreet', 'Mailing Street', 255),
      f.text('MailingCity', 'Mailing City', 40),
      f.text('MailingState', 'Mailing State/Province', 80),
      f.text('MailingPostalCode', 'Mailing Zip/Postal Code', 20),
      f.text('MailingCountry', 'Mailing Country', 80),
      f.phone('Phone', 'Business Phone'),
      f.phone('MobilePhone', 'Mobile Phone'),
      f.email('Email', 'Email'),
      f.text('Title', 'Title', 128),
      f.text('Department', 'Department', 80),
      f.picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
      f.textarea('Description', 'Contact Description', 32000),
      OWNER_USER(),
      f.bool('HasOptedOutOfEmail', 'Email Opt Out'),
      f.bool('DoNotCall', 'Do Not Call'),
      readOnly(f.date('LastActivityDate', 'Last Activity')),
      f.text('EmailBouncedReason', 'Email Bounced Reason', 255),
      f.datetime('EmailBouncedDate', 'Email Bounced Date'),
    ], { childRelationships: [
      { relationshipName: 'CampaignMembers', childSObject: 'CampaignMember', field: 'ContactId', cascadeDelete: true },
      ...ACTIVITY_CHILDREN('WhoId'),
    ] }),

    object('Account', 'Account', 'Accounts', [
      readOnly(f.ref('MasterRecordId', 'Master Record ID', ['Account'], 'MasterRecord')),
      f.text('Name', 'Account Name', 255, { nillable: false, required: true, nameField: true }),
      f.picklist('Type', 'Account Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other']),
      f.textarea('BillingStreet', 'Billing Street', 255),
      f.text('BillingCity', 'Billing City', 40),
      f.text('BillingState', 'Billing State/Province', 80),
      f.text('BillingPostalCode', 'Billing Zip/Postal Code', 20),
      f.text('BillingCountry', 'Billing Country', 80),
      f.phone('Phone', 'Account Phone'),
      f.url('Website', 'Website'),
      f.picklist('Industry', 'Industry', INDUSTRIES),
      f.currency('AnnualRevenue', 'Annual Revenue', 18, 0),
      f.int('NumberOfEmployees', 'Employees', 8),
      f.picklist('Rating', 'Account Rating', RATINGS),
      f.picklist('AccountSource', 'Account Source', LEAD_SOURCES),
      f.textarea('Description', 'Account Description', 32000),
      OWNER_USER(),
      readOnly(f.date('LastActivityDate', 'Last Activity')),
    ], { childRelationships: [
      { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId', cascadeDelete: false },
      { relationshipName: 'Opportunities', childSObject: 'Opportunity', field: 'AccountId', cascadeDelete: true },
      ...ACTIVITY_CHILDREN('WhatId'),
    ] }),

    object('Opportunity', 'Opportunity', 'Opportunities', [
      f.ref('AccountId', 'Account ID', ['Account'], 'Account'),
      f.text('Name', 'Name', 120, { nillable: false, required: true, nameField: true }),
      f.picklist('StageName', 'Stage', ['Prospecting', 'Qualification', 'Needs Analysis', 'Closed Won', 'Closed Lost'], { nillable: false, required: true }),
      f.currency('Amount', 'Amount', 18, 2),
      f.date('CloseDate', 'Close Date', { nillable: false, required: true }),
      OWNER_USER(),
    ]),

    object('Campaign', 'Campaign', 'Campaigns', [
      f.text('Name', 'Name', 80, { nillable: false, required: true, nameField: true }),
      f.picklist('Type', 'Type', ['Conference', 'Webinar', 'Trade Show', 'Public Relations', 'Partners', 'Referral Program', 'Advertisement', 'Banner Ads', 'Direct Mail', 'Email', 'Telemarketing', 'Other']),
      f.picklist('Status', 'Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
      f.bool('IsActive', 'Active'),
      f.date('StartDate', 'Start Date'),
      f.date('EndDate', 'End Date'),
      OWNER_USER(),
    ], { childRelationships: [{ relationshipName: 'CampaignMembers', childSObject: 'CampaignMember', field: 'CampaignId', cascadeDelete: true }] }),

    object('CampaignMember', 'Campaign Member', 'Campaign Members', [
      f.ref('CampaignId', 'Campaign ID', ['Campaign'], 'Campaign', { nillable: false, required: true, updateable: false }),
      f.ref('LeadId', 'Lead ID', ['Lead'], 'Lead', { updateable: false }),
      f.ref('ContactId', 'Contact ID', ['Contact'], 'Contact', { updateable: false }),
      f.picklist('Status', 'Status', CAMPAIGN_MEMBER_STATUSES, { default: 'Sent' }),
      readOnly(f.bool('HasResponded', 'Responded')),
      readOnly(f.date('FirstRespondedDate', 'First Responded Date')),
      readOnly(f.ref('LeadOrContactId', 'Lead or Contact ID', ['Contact', 'Lead'], null)),
    ]),

    object('Task', 'Task', 'Tasks', [
      f.ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who'),
      f.ref('WhatId', 'Related To ID', ['Account', 'Campaign', 'Opportunity'], 'What'),
      f.combobox('Subject', 'Subject', ['Call', 'Send Letter', 'Send Quote', 'Other']),
      f.date('ActivityDate', 'Due Date Only'),
      f.picklist('Status', 'Status', TASK_STATUSES, { nillable: false, default: 'Not Started' }),
      f.picklist('Priority', 'Priority', TASK_PRIORITIES, { nillable: false, default: 'Normal' }),
      readOnly(f.bool('IsHighPriority', 'High Priority')),
      f.ref('OwnerId', 'Assigned To ID', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
      f.textarea('Description', 'Description', 32000),
      f.picklist('Type', 'Type', ACTIVITY_TYPES),
      readOnly(f.bool('IsClosed', 'Closed')),
      f.datetime('ReminderDateTime', 'Reminder Date/Time'),
      f.bool('IsReminderSet', 'Reminder Set'),
      f.picklist('TaskSubtype', 'Task Subtype', TASK_SUBTYPES, { updateable: false }),
      readOnly(f.datetime('CompletedDateTime', 'Completed Date/Time')),
    ], { customizable: true }),

    object('Event', 'Event', 'Events', [
      f.ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who'),
      f.ref('WhatId', 'Related To ID', ['Account', 'Campaign', 'Opportunity'], 'What'),
      f.combobox('Subject', 'Subject', ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other']),
      f.text('Location', 'Location', 255),
      f.datetime('ActivityDateTime', 'Due Date Time'),
      f.date('ActivityDate', 'Due Date Only'),
      f.datetime('StartDateTime', 'Start Date Time'),
      f.datetime('EndDateTime', 'End Date Time'),
      f.int('DurationInMinutes', 'Duration', 8),
      f.bool('IsAllDayEvent', 'All-Day Event'),
      f.ref('OwnerId', 'Assigned To ID', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
      f.textarea('Description', 'Description', 32000),
      f.picklist('Type', 'Type', ACTIVITY_TYPES),
      f.picklist('EventSubtype', 'Event Subtype', EVENT_SUBTYPES, { updateable: false }),
    ]),

    object('User', 'User', 'Users', [
      f.text('Username', 'Username', 80, { nillable: false, required: true, unique: true, idLookup: true }),
      f.text('LastName', 'Last Name', 80, { nillable: false, required: true }),
      f.text('FirstName', 'First Name', 40),
      NAME(),
      f.text('Alias', 'Alias', 8, { nillable: false, required: true }),
      f.email('Email', 'Email', { nillable: false, required: true }),
      f.bool('IsActive', 'Active'),
      f.ref('ProfileId', 'Profile ID', ['Profile'], 'Profile', { nillable: false, required: true }),
      f.ref('UserRoleId', 'Role ID', ['UserRole'], 'UserRole'),
      readOnly(f.picklist('UserType', 'User Type', ['Standard', 'AutomatedProcess'])),
      f.text('Title', 'Title', 80),
      f.text('Department', 'Department', 80),
      f.picklist('TimeZoneSidKey', 'Time Zone', ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin']),
      f.picklist('LanguageLocaleKey', 'Language', ['en_US', 'de', 'fr']),
      readOnly(f.datetime('LastLoginDate', 'Last Login')),
    ], { deletable: false, replicateable: true }),

    object('Group', 'Group', 'Groups', [
      f.text('Name', 'Name', 40, { nillable: false, required: true, nameField: true }),
      f.text('DeveloperName', 'Developer Name', 80),
      f.picklist('Type', 'Type', ['Queue', 'Regular', 'Role', 'Organization'], { nillable: false, updateable: false }),
      f.email('Email', 'Email'),
      f.bool('DoesSendEmailToMembers', 'Send Email to Members'),
      f.ref('OwnerId', 'Owner ID', ['Organization', 'User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
    ], { customizable: false }),

    object('GroupMember', 'Group Member', 'Group Members', [
      f.ref('GroupId', 'Group ID', ['Group'], 'Group', { nillable: false, required: true, updateable: false }),
      f.ref('UserOrGroupId', 'User/Group ID', ['Group', 'User'], null, { nillable: false, required: true, updateable: false }),
    ], { customizable: false, updateable: false }),

    object('QueueSobject', 'Queue Sobject', 'Queue Sobjects', [
      f.ref('QueueId', 'Group ID', ['Group'], 'Queue', { nillable: false, required: true, updateable: false }),
      f.picklist('SobjectType', 'Sobject Type', ['Lead', 'Case', 'Task'], { nillable: false, required: true, updateable: false }),
    ], { customizable: false, updateable: false }),

    object('Profile', 'Profile', 'Profiles', [
      f.text('Name', 'Name', 255, { nillable: false, required: true, nameField: true }),
      f.picklist('UserType', 'User Type', ['Standard']),
      f.textarea('Description', 'Description', 255),
    ], { customizable: false, createable: false, deletable: false }),

    object('UserRole', 'Role', 'Roles', [
      f.text('Name', 'Name', 80, { nillable: false, required: true, nameField: true }),
      f.text('DeveloperName', 'Developer Name', 80),
    ], { customizable: false }),

    object('PermissionSet', 'Permission Set', 'Permission Sets', [
      f.text('Name', 'Name', 80, { nillable: false, required: true }),
      f.text('Label', 'Label', 80, { nillable: false, required: true, nameField: true }),
      f.textarea('Description', 'Description', 255),
      readOnly(f.bool('IsOwnedByProfile', 'Is Owned By Profile')),
      readOnly(f.bool('IsCustom', 'Custom')),
      readOnly(f.ref('ProfileId', 'Profile ID', ['Profile'], 'Profile')),
      readOnly(f.text('NamespacePrefix', 'Namespace Prefix', 15)),
    ], { customizable: false, childRelationships: [
      { relationshipName: 'Assignments', childSObject: 'PermissionSetAssignment', field: 'PermissionSetId', cascadeDelete: true },
      { relationshipName: 'FieldPerms', childSObject: 'FieldPermissions', field: 'ParentId', cascadeDelete: true },
    ] }),

    object('PermissionSetAssignment', 'Permission Set Assignment', 'Permission Set Assignments', [
      f.ref('AssigneeId', 'Assignee ID', ['User'], 'Assignee', { nillable: false, required: true, updateable: false }),
      f.ref('PermissionSetId', 'Permission Set ID', ['PermissionSet'], 'PermissionSet', { nillable: false, required: true, updateable: false }),
      readOnly(f.bool('IsActive', 'Is Active')),
    ], { customizable: false, updateable: false }),

    object('FieldPermissions', 'Field Permissions', 'Field Permissions', [
      f.ref('ParentId', 'Parent ID', ['PermissionSet'], 'Parent', { nillable: false, required: true, updateable: false }),
      f.picklist('SobjectType', 'Sobject Type Name', ['Lead', 'Contact', 'Account', 'Task', 'Event', 'Campaign', 'CampaignMember', 'Opportunity'], { nillable: false, required: true, updateable: false }),
      f.text('Field', 'Field Name', 255, { nillable: false, required: true, updateable: false }),
      f.bool('PermissionsRead', 'Read Access'),
      f.bool('PermissionsEdit', 'Edit Access'),
    ], { customizable: false }),

    object('Organization', 'Organization', 'Organizations', [
      f.text('Name', 'Name', 80, { nillable: false, nameField: true }),
      readOnly(f.picklist('OrganizationType', 'Edition', ['Developer Edition', 'Enterprise Edition', 'Unlimited Edition', 'Professional Edition'])),
      readOnly(f.bool('IsSandbox', 'Is Sandbox')),
      readOnly(f.text('InstanceName', 'Instance Name', 5)),
      f.text('Country', 'Country', 80),
      f.picklist('LanguageLocaleKey', 'Language', ['en_US']),
      f.picklist('TimeZoneSidKey', 'Default Time Zone', ['America/Los_Angeles']),
      readOnly(f.text('NamespacePrefix', 'Namespace Prefix', 15)),
    ], { customizable: false, createable: false, deletable: false }),
  ];
}

/** Fields of `Name`, the object SOQL shows for a polymorphic parent (`Owner`, `Who`, `What`). */
export function nameObject(): ObjectDef {
  return {
    name: 'Name',
    label: 'Name',
    labelPlural: 'Names',
    keyPrefix: '',
    fields: [
      f.id(),
      readOnly(f.text('Name', 'Name', 255)),
      readOnly(f.text('FirstName', 'First Name', 40)),
      readOnly(f.text('LastName', 'Last Name', 80)),
      readOnly(f.text('Alias', 'Alias', 8)),
      readOnly(f.email('Email', 'Email')),
      readOnly(f.text('Title', 'Title', 80)),
      readOnly(f.text('Username', 'Username', 80)),
      readOnly(f.phone('Phone', 'Phone')),
      readOnly(f.bool('IsActive', 'Active')),
      readOnly(f.picklist('Type', 'Object Type', ['User', 'Queue', 'Lead', 'Contact', 'Account', 'Campaign', 'Opportunity'])),
      readOnly(f.ref('ProfileId', 'Profile ID', ['Profile'], 'Profile')),
      readOnly(f.ref('UserRoleId', 'Role ID', ['UserRole'], 'UserRole')),
    ],
    createable: false,
    updateable: false,
    deletable: false,
    queryable: false,
    replicateable: false,
    customizable: false,
    childRelationships: [],
  };
}
