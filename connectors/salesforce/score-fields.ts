import type { OutputKey } from '../../src/config/mapping-schema';
import { outputNames, type SalesforceMapping } from './mapping';

/** One custom field the connector writes, as the Tooling API creates it (CustomField `Metadata`). */
export interface ScoreFieldDefinition {
  key: OutputKey;
  /** API name, like `Lead_Score__c`. */
  name: string;
  metadata: Record<string, unknown>;
  /** The describe `type`s a field of that name may have for our values to fit. */
  acceptedTypes: readonly string[];
}

const TIERS = ['hot', 'warm', 'cold'] as const;

/**
 * The seven fields of the contract, on Lead and on Contact: Number(3,0) score, fit and engagement;
 * a restricted picklist tier (hot, warm, cold); a long text area of reasons; a text model id; a
 * datetime. Names come from the mapping's `output`.
 */
export function scoreFieldDefinitions(mapping: SalesforceMapping): ScoreFieldDefinition[] {
  const n = outputNames(mapping);
  const number = (label: string, description: string) => ({ label, description, type: 'Number', precision: 3, scale: 0, required: false, externalId: false, unique: false });
  return [
    { key: 'score', name: n.score, metadata: number('Lead Score', 'Lead score 0-100, written by the lead-scoring connector'), acceptedTypes: ['double', 'int', 'percent'] },
    { key: 'fit', name: n.fit, metadata: number('Lead Score Fit', 'The profile (fit) part of the lead score, 0-100'), acceptedTypes: ['double', 'int', 'percent'] },
    { key: 'engagement', name: n.engagement, metadata: number('Lead Score Engagement', 'The behaviour (engagement) part of the lead score, 0-100'), acceptedTypes: ['double', 'int', 'percent'] },
    {
      key: 'tier',
      name: n.tier,
      metadata: {
        label: 'Lead Score Tier',
        description: 'hot, warm or cold, from the configured thresholds',
        type: 'Picklist',
        required: false,
        valueSet: { restricted: true, valueSetDefinition: { sorted: false, value: TIERS.map((t) => ({ fullName: t, label: t, default: false })) } },
      },
      acceptedTypes: ['picklist', 'string'],
    },
    {
      key: 'reasons',
      name: n.reasons,
      metadata: { label: 'Lead Score Reasons', description: 'The scoring rules that fired, biggest first, one a line', type: 'LongTextArea', length: 32768, visibleLines: 6, required: false },
      acceptedTypes: ['textarea'],
    },
    { key: 'model', name: n.model, metadata: { label: 'Lead Score Model', description: 'The scoring model id', type: 'Text', length: 255, required: false, unique: false, externalId: false }, acceptedTypes: ['string'] },
    { key: 'updatedAt', name: n.updatedAt, metadata: { label: 'Lead Score Updated At', description: 'When the lead score last changed', type: 'DateTime', required: false }, acceptedTypes: ['datetime'] },
  ];
}

export { TIERS as SCORE_TIERS };
