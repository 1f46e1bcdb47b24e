import { outputNamesOf } from '../shared/output-values';
import type { AttributeMapping, OutputFields, OutputKey } from '../../src/config/mapping-schema';
import type { ActiveConfig } from '../../src/pipeline/context';

/** What the connector needs from `config/mappings/hubspot.yaml`: the contact attributes and the output property names. */
export interface HubSpotMapping {
  attributes: Readonly<Record<string, AttributeMapping>>;
  output: Readonly<OutputFields>;
  /** The property group the output properties live in. */
  group: string;
}

const cache = new WeakMap<object, HubSpotMapping>();

/** The HubSpot mapping of the config in force (`ctx.config().mappings.hubspot`, validated with defaults filled). */
export function hubspotMapping(config: ActiveConfig): HubSpotMapping {
  const m = config.mappings.hubspot;
  const hit = cache.get(m);
  if (hit) return hit;
  const contact = m.objects.contact;
  if (!contact) throw new Error('the HubSpot mapping has no objects.contact section (config/mappings/hubspot.yaml)');
  const mapping: HubSpotMapping = { attributes: contact.attributes, output: m.output, group: m.output.group ?? 'lead_scoring' };
  cache.set(m, mapping);
  return mapping;
}

/** The output names, in the contract's order. */
export function outputNames(mapping: HubSpotMapping): Record<OutputKey, string> {
  return outputNamesOf(mapping.output);
}
