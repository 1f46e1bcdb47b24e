/**
 * What the model says a Salesforce record should hold, computed apart from the connector's own read
 * path: one SOQL with parent-child sub-queries (`(SELECT … FROM Tasks)`) returns each Lead or Contact
 * with its related records, which `salesforceRecordToLead` maps the way `explain --crm salesforce` does.
 */
import type { SalesforceMapping } from '../../../connectors/salesforce/mapping';
import { objectMapping, outputNames } from '../../../connectors/salesforce/mapping';
import { eventFieldsToSelect, fieldsToSelect } from '../../../connectors/salesforce/to-lead';

/** The contract's custom fields, on Lead and on Contact. */
export const OUTPUT_FIELDS = ['Lead_Score__c', 'Lead_Score_Fit__c', 'Lead_Score_Engagement__c', 'Lead_Score_Tier__c', 'Lead_Score_Reasons__c', 'Lead_Score_Model__c', 'Lead_Score_Updated_At__c'] as const;

/** The child relationship of each event source's object on Lead and Contact. */
const CHILD_RELATIONSHIPS: Record<string, string> = { CampaignMember: 'CampaignMembers', Task: 'Tasks', Event: 'Events' };

/**
 * `SELECT <mapped fields>, <score fields>, (SELECT … FROM CampaignMembers), (SELECT … FROM Tasks),
 * (SELECT … FROM Events) FROM Lead`: every record of the type with its related records.
 */
export function childQuery(mapping: SalesforceMapping, objectType: 'Lead' | 'Contact'): string {
  const o = objectMapping(mapping, objectType);
  const fields = [...fieldsToSelect(mapping, objectType), outputNames(mapping).updatedAt];
  const children = o.events.map((source) => {
    const relationship = CHILD_RELATIONSHIPS[source.from];
    if (!relationship) throw new Error(`no child relationship known for ${source.from}`);
    return `(SELECT ${eventFieldsToSelect(source, objectType).join(', ')} FROM ${relationship})`;
  });
  return `SELECT ${[...fields, ...children].join(', ')} FROM ${objectType}`;
}
