import { CRMS } from './mapping-schema';
import type { AttributeType, CrmName, MappingConfig } from './mapping-schema';
import type { RoutingConfig } from './routing-schema';
import type { ScoringConfig } from './scoring-schema';
import { suggest } from './suggest';

/** A problem found by comparing files, before its line is attached. */
export interface FileProblem {
  file: string;
  path: PropertyKey[];
  message: string;
}

/** The files that parsed and validated on their own; cross-checks only compare those. */
export interface ValidParts {
  scoring?: ScoringConfig;
  routing?: RoutingConfig;
  /** By the CRM the file name says (`mappings/<crm>.yaml`). */
  mappings: Partial<Record<CrmName, MappingConfig>>;
  files: { scoring: string; routing: string; mapping: (crm: CrmName) => string };
}

/** Attributes every lead has without a mapping. */
const DERIVED_ATTRIBUTES: Record<string, AttributeType> = { email: 'email', emailDomain: 'string' };

/**
 * Checks between files: a mapping file for the CRM its name says, lists that routing.yaml takes
 * from scoring.yaml, and attributes the scoring rules use in a way their mapped type allows.
 */
export function crossCheck(parts: ValidParts): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const [crm, mapping] of Object.entries(parts.mappings) as [CrmName, MappingConfig][]) {
    if (mapping.crm !== crm) {
      problems.push({ file: parts.files.mapping(crm), path: ['crm'], message: `this file maps ${crm} (its name says so) but crm is "${mapping.crm}"` });
    }
  }
  if (parts.scoring && parts.routing) problems.push(...routingListChecks(parts.scoring, parts.routing, parts.files.routing));
  if (parts.scoring && Object.keys(parts.mappings).length > 0) problems.push(...attributeUseChecks(parts));
  return problems;
}

function routingListChecks(scoring: ScoringConfig, routing: RoutingConfig, file: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const lists = Object.keys(scoring.lists);
  const missing = (name: string) => `no list "${name}" under lists in scoring.yaml${suggest(name, lists)}`;
  if (routing.accountMatching.enabled && !(routing.accountMatching.ignoreDomainsInList in scoring.lists)) {
    problems.push({ file, path: ['accountMatching', 'ignoreDomainsInList'], message: missing(routing.accountMatching.ignoreDomainsInList) });
  }
  routing.rules.forEach((rule, i) =>
    rule.when.forEach((cond, j) => {
      if (cond.inList !== undefined && !(cond.inList in scoring.lists)) problems.push({ file, path: ['rules', i, 'when', j, 'inList'], message: missing(cond.inList) });
    }),
  );
  return problems;
}

/** What a use of an attribute needs from its type. */
interface AttributeUse {
  path: PropertyKey[];
  attribute: string;
  needs: 'date' | 'number' | undefined;
  why: string;
}

const NUMERIC: readonly AttributeType[] = ['number', 'range'];

function attributeUseChecks(parts: ValidParts): FileProblem[] {
  const scoring = parts.scoring as ScoringConfig;
  const mapped = new Map<string, { type: AttributeType; where: string }[]>();
  for (const [crm, mapping] of Object.entries(parts.mappings) as [CrmName, MappingConfig][]) {
    for (const [objectType, obj] of Object.entries(mapping.objects)) {
      for (const [name, a] of Object.entries(obj.attributes)) {
        const list = mapped.get(name) ?? [];
        list.push({ type: a.type, where: `${parts.files.mapping(crm)} (${objectType})` });
        mapped.set(name, list);
      }
    }
  }
  const known = [...mapped.keys(), ...Object.keys(DERIVED_ATTRIBUTES)];
  const allMappingsLoaded = CRMS.every((crm) => crm in parts.mappings);
  const problems: FileProblem[] = [];
  for (const use of attributeUses(scoring)) {
    const types = mapped.get(use.attribute) ?? (DERIVED_ATTRIBUTES[use.attribute] ? [{ type: DERIVED_ATTRIBUTES[use.attribute] as AttributeType, where: 'every lead' }] : undefined);
    if (!types) {
      // a typo can only be told from an attribute of a mapping that failed to load when all loaded
      if (!allMappingsLoaded) continue;
      const hint = suggest(use.attribute, known);
      if (hint) problems.push({ file: parts.files.scoring, path: use.path, message: `no mapping fills the attribute "${use.attribute}"${hint}` });
      continue;
    }
    const wrong = types.find((t) => (use.needs === 'date' ? t.type !== 'date' : use.needs === 'number' ? !NUMERIC.includes(t.type) : false));
    if (wrong) {
      problems.push({
        file: parts.files.scoring,
        path: use.path,
        message: `${use.why}, but "${use.attribute}" is read as ${wrong.type} in ${wrong.where}: map it with type ${use.needs === 'date' ? 'date' : 'number or range'}`,
      });
    }
  }
  return problems;
}

type Test = { attribute?: string; within?: unknown; olderThan?: unknown; gt?: unknown; gte?: unknown; lt?: unknown; lte?: unknown; between?: unknown; per?: unknown };

function testUse(t: Test, path: PropertyKey[]): AttributeUse[] {
  if (t.attribute === undefined) return [];
  const attribute = t.attribute;
  if (t.within !== undefined || t.olderThan !== undefined) return [{ path: [...path, 'attribute'], attribute, needs: 'date', why: '"within"/"olderThan" compare dates' }];
  if ([t.gt, t.gte, t.lt, t.lte, t.between].some((v) => v !== undefined)) return [{ path: [...path, 'attribute'], attribute, needs: 'number', why: 'gt/gte/lt/lte/between compare numbers' }];
  if (t.per !== undefined) return [{ path: [...path, 'attribute'], attribute, needs: 'number', why: '"per" counts a number' }];
  return [{ path: [...path, 'attribute'], attribute, needs: undefined, why: '' }];
}

/** Every place the scoring model reads an attribute. */
function attributeUses(scoring: ScoringConfig): AttributeUse[] {
  const uses: AttributeUse[] = [];
  for (const part of ['fit', 'engagement'] as const) {
    scoring[part].rules.forEach((rule, i) => {
      const base: PropertyKey[] = [part, 'rules', i];
      const r = rule as Test & { all?: Test[]; any?: Test[]; at?: string; silence?: { after: { attribute?: string }; activity?: { attributes?: string[] } } };
      uses.push(...testUse(r, base));
      if (r.per !== undefined && r.attribute !== undefined && (r.within !== undefined || r.olderThan !== undefined)) {
        uses.push({ path: [...base, 'per'], attribute: r.attribute, needs: 'number', why: '"per" counts a number' });
      }
      for (const key of ['all', 'any'] as const) r[key]?.forEach((c, j) => uses.push(...testUse(c, [...base, key, j])));
      if (r.at !== undefined) uses.push({ path: [...base, 'at'], attribute: r.at, needs: 'date', why: '"at" dates the signal' });
      if (r.silence?.after.attribute !== undefined) uses.push({ path: [...base, 'silence', 'after', 'attribute'], attribute: r.silence.after.attribute, needs: 'date', why: 'a silence starts at a date' });
      r.silence?.activity?.attributes?.forEach((a, j) =>
        uses.push({ path: [...base, 'silence', 'activity', 'attributes', j], attribute: a, needs: 'date', why: 'activity attributes are dates of activity' }),
      );
    });
  }
  return uses;
}
