import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, type ConfigProblem } from './config-problem';

/** A parsed YAML config file that still knows where each value came from. */
export interface YamlSource {
  /** The file, relative to the config directory. */
  file: string;
  /** The plain data, or undefined when the file could not be parsed (see `problems`). */
  data: unknown;
  /** Syntax problems (with lines); when there are any, `data` is undefined. */
  problems: ConfigProblem[];
  /**
   * The line of the value at `path` (of its key, for a mapping entry), or of the nearest enclosing
   * value the file has when `path` does not exist in it (a missing key is reported on its parent's line).
   */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Parses one YAML config file. Never throws: syntax errors, duplicate keys and an empty file become problems. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true, strict: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const lineOf = (path: readonly PropertyKey[]): number | undefined => lineOfPath(doc, path, lineAt);

  const problems: ConfigProblem[] = [...doc.errors, ...doc.warnings].map((err) => {
    const offset = err.pos[0];
    const path = pathAtOffset(doc, offset);
    const line = lineAt(offset);
    if (err.code === 'DUPLICATE_KEY') {
      const key = path.at(-1);
      const first = key !== undefined ? lineOfPath(doc, path, lineAt) : undefined;
      const earlier = first !== undefined && first !== line ? ` (it is already on line ${first})` : '';
      return { file, path: formatPath(path), line, message: `duplicate key "${String(key)}": a key can appear only once in a mapping${earlier}` };
    }
    // No path: in a file that does not parse, the path the parser guessed would mislead.
    return { file, path: '', line, message: `YAML syntax: ${yamlMessage(err.code, err.message)} (column ${lineCounter.linePos(offset).col})` };
  });
  if (problems.length > 0) return { file, data: undefined, problems, lineOf };

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { file, data: undefined, lineOf, problems: [{ file, path: '', line: 1, message: 'the file is empty (or holds only comments); it must hold the settings as "key: value" lines' }] };
  }
  try {
    return { file, data: doc.toJS({ maxAliasCount: 100 }), problems: [], lineOf };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { file, data: undefined, lineOf, problems: [{ file, path: '', message: `YAML: ${message}` }] };
  }
}

/** Turns the yaml library's wording into one line an admin understands. */
function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0]?.trim() ?? message;
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
      return `wrong indentation (${first}); items of one mapping or list must start in the same column`;
    case 'MULTIPLE_DOCS':
      return 'the file holds several YAML documents ("---"); it must hold one';
    default:
      return first;
  }
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function lineOfPath(doc: Document, path: readonly PropertyKey[], lineAt: (offset: number) => number): number | undefined {
  let node = resolve(doc, doc.contents);
  let line = startLine(node, lineAt);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === String(seg));
      if (!pair) return line;
      line = startLine(pair.key, lineAt) ?? line;
      node = resolve(doc, pair.value);
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return line;
      node = resolve(doc, item);
      line = startLine(node, lineAt) ?? line;
    } else {
      return line;
    }
  }
  return line;
}

function startLine(node: unknown, lineAt: (offset: number) => number): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? lineAt(range[0]) : undefined;
}

/** The path of the deepest key or value that contains `offset` (for placing syntax errors). */
function pathAtOffset(doc: Document, offset: number): PropertyKey[] {
  const path: PropertyKey[] = [];
  let node: unknown = doc.contents;
  const within = (n: unknown): boolean => {
    const range = (n as Node | null)?.range;
    return !!range && offset >= range[0] && offset <= range[2];
  };
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (within(p.key) || within(p.value)));
      const key = pair ? keyOf(pair.key) : undefined;
      if (!pair || key === undefined) return path;
      path.push(key);
      if (within(pair.key)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within(item));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}
