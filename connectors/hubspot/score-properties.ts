import type { OutputKey } from '../../src/config/mapping-schema';
import { outputNames, type HubSpotMapping } from './mapping';

/** A contact property the connector creates, as `POST /crm/v3/properties/contacts` takes it. */
export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'number' | 'enumeration' | 'string' | 'datetime';
  fieldType: 'number' | 'select' | 'textarea' | 'text' | 'date';
  displayOrder: number;
  formField: false;
  options?: { label: string; value: string; displayOrder: number; hidden: false }[];
}

export const TIER_OPTIONS = [
  { label: 'Hot', value: 'hot', displayOrder: 0, hidden: false as const },
  { label: 'Warm', value: 'warm', displayOrder: 1, hidden: false as const },
  { label: 'Cold', value: 'cold', displayOrder: 2, hidden: false as const },
];

const SHAPES: Record<OutputKey, Pick<PropertyDefinition, 'label' | 'description' | 'type' | 'fieldType'> & { options?: PropertyDefinition['options'] }> = {
  score: { label: 'Lead Score (0–100)', description: 'Fit plus engagement, 0–100, written by the lead-scoring connector.', type: 'number', fieldType: 'number' },
  fit: { label: 'Lead Score: Fit (0–100)', description: 'The profile part of the lead score, 0–100.', type: 'number', fieldType: 'number' },
  engagement: { label: 'Lead Score: Engagement (0–100)', description: 'The behaviour part of the lead score, 0–100.', type: 'number', fieldType: 'number' },
  tier: { label: 'Lead Score Tier', description: 'Hot, warm or cold, from the configured score thresholds.', type: 'enumeration', fieldType: 'select', options: TIER_OPTIONS },
  reasons: { label: 'Lead Score Reasons', description: 'The scoring rules that fired, biggest first, one a line.', type: 'string', fieldType: 'textarea' },
  model: { label: 'Lead Score Model', description: 'The scoring model (and variant) that computed the score.', type: 'string', fieldType: 'text' },
  updatedAt: { label: 'Lead Score Updated At', description: 'When the lead score last changed.', type: 'datetime', fieldType: 'date' },
};

/** The seven score properties of the contract, under the names and group the mapping gives them. */
export function scorePropertyDefinitions(mapping: HubSpotMapping): PropertyDefinition[] {
  const names = outputNames(mapping);
  return (Object.keys(SHAPES) as OutputKey[]).map((key, i) => ({ name: names[key], groupName: mapping.group, displayOrder: i, formField: false, ...SHAPES[key] }));
}
