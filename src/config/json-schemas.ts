import { z } from 'zod';
import { mappingConfig } from './mapping-schema';
import { routingConfig } from './routing-schema';
import { scoringConfig } from './scoring-schema';

/** One published JSON Schema: the file under `config/schema/` and the zod schema it comes from. */
export interface JsonSchemaFile {
  file: string;
  title: string;
  description: string;
  schema: z.ZodType;
}

/** The JSON Schemas editors use to complete and check the config files (named on each file's first line). */
export const JSON_SCHEMA_FILES: readonly JsonSchemaFile[] = [
  {
    file: 'scoring.schema.json',
    title: 'Lead scoring model (config/scoring.yaml)',
    description: 'Fit and engagement rules, thresholds and decay. Generated from src/config/scoring-schema.ts by `npm run schemas`: do not edit.',
    schema: scoringConfig,
  },
  {
    file: 'mapping.schema.json',
    title: 'CRM mapping (config/mappings/<crm>.yaml)',
    description: 'How CRM records become leads and where the score is written. Generated from src/config/mapping-schema.ts by `npm run schemas`: do not edit.',
    schema: mappingConfig,
  },
  {
    file: 'routing.schema.json',
    title: 'Lead routing (config/routing.yaml)',
    description: 'Owner assignment, SLA, recycling and capacity. Generated from src/config/routing-schema.ts by `npm run schemas`: do not edit.',
    schema: routingConfig,
  },
];

/**
 * The JSON Schema of one config file, for the input an admin writes (`io: 'input'`: durations are
 * strings, defaults may be left out). Draft-07, the draft YAML editors support best. Refinements
 * (cross-checks) are not expressible in JSON Schema: `lead-scorer validate` runs those.
 */
export function buildJsonSchema(entry: JsonSchemaFile): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(entry.schema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
  return { $schema, title: entry.title, description: entry.description, ...rest };
}

/** The content of each schema file, by file name, as written to disk (2-space JSON, final newline). */
export function renderJsonSchemaFiles(): Record<string, string> {
  return Object.fromEntries(JSON_SCHEMA_FILES.map((entry) => [entry.file, `${JSON.stringify(buildJsonSchema(entry), null, 2)}\n`]));
}
