import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildJsonSchema, JSON_SCHEMA_FILES, renderJsonSchemaFiles } from './json-schemas';
import { SCHEMA_DIR } from './write-json-schemas';

describe('the published JSON Schemas (config/schema/)', () => {
  it.each(JSON_SCHEMA_FILES.map((e) => [e.file]))('%s is up to date with the zod schema (run `npm run schemas` after changing one)', (file) => {
    const committed = readFileSync(path.join(SCHEMA_DIR, file), 'utf8');
    expect(committed).toBe(renderJsonSchemaFiles()[file]);
  });

  it('are draft-07 schemas for the input an admin writes, with a title', () => {
    for (const entry of JSON_SCHEMA_FILES) {
      const schema = buildJsonSchema(entry);
      expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: entry.title, type: 'object', additionalProperties: false });
    }
    const routing = buildJsonSchema(JSON_SCHEMA_FILES[2]!) as { properties: { recycle: { properties: { after: { type: string; pattern: string } } } } };
    expect(routing.properties.recycle.properties.after).toMatchObject({ type: 'string' });
    expect(new RegExp(routing.properties.recycle.properties.after.pattern).test('2d')).toBe(true);
  });
});
