import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderJsonSchemaFiles } from './json-schemas';

/** Where the generated schemas live, next to the config files that name them. */
export const SCHEMA_DIR = path.resolve(__dirname, '../../config/schema');

/** Writes `scoring.schema.json`, `mapping.schema.json` and `routing.schema.json` into `dir`; returns the paths. */
export async function writeJsonSchemas(dir: string = SCHEMA_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, content] of Object.entries(renderJsonSchemaFiles())) {
    const target = path.join(dir, file);
    await writeFile(target, content, 'utf8');
    written.push(target);
  }
  return written;
}

// `npm run schemas`
if (require.main === module) {
  writeJsonSchemas().then(
    (files) => console.log(files.map((f) => `wrote ${path.relative(process.cwd(), f)}`).join('\n')),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
