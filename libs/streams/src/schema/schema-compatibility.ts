import { canonicalJson, isSchemaObject, JsonSchema } from './json-schema';

// Keywords whose effect this check cannot reason about: a change to any of them is refused.
const OPAQUE_KEYWORDS = [
  '$ref',
  '$defs',
  'definitions',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'prefixItems',
  'contains',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const EXACT_KEYWORDS = ['pattern', 'format', 'const'];

/**
 * Why `next` would refuse a payload that `previous` accepted, one reason per finding, each starting with
 * the JSON pointer of the schema location. Empty means backward compatible in the practical sense: no new
 * required field, no removed property, no narrowed type, enum, bound or format. Adding optional
 * properties is allowed even where `previous` accepted any additional property, as producers are
 * expected to send only the properties a schema names.
 */
export function backwardIncompatibilities(previous: JsonSchema, next: JsonSchema): string[] {
  const reasons: string[] = [];
  compare(previous, next, '', reasons);
  return reasons;
}

/**
 * The incompatibilities of `next` against `previous` as problems pointing into a request's `schema` field,
 * the shape a refused schema change answers with and a compatibility check reports.
 */
export function compatibilityProblems(
  previous: JsonSchema,
  next: JsonSchema,
): Array<{ pointer: string; detail: string }> {
  return backwardIncompatibilities(previous, next).map((reason) => {
    const [pointer, ...detail] = reason.split(': ');
    return { pointer: `/schema${pointer === '/' ? '' : pointer}`, detail: detail.join(': ') };
  });
}

function compare(previous: JsonSchema, next: JsonSchema, path: string, reasons: string[]): void {
  const at = path || '/';
  if (previous === false || next === true || (isSchemaObject(next) && Object.keys(next).length === 0)) return;
  if (next === false) {
    reasons.push(`${at}: now accepts nothing`);
    return;
  }
  const old = previous === true ? {} : previous;
  compareTypes(old, next, at, reasons);
  compareEnum(old, next, at, reasons);
  for (const keyword of LOWER_BOUNDS) compareBound(old, next, keyword, 'raised', at, reasons);
  for (const keyword of UPPER_BOUNDS) compareBound(old, next, keyword, 'lowered', at, reasons);
  for (const keyword of EXACT_KEYWORDS) {
    if (next[keyword] !== undefined && canonicalJson(old[keyword]) !== canonicalJson(next[keyword]))
      reasons.push(`${at}: ${keyword} ${old[keyword] === undefined ? 'added' : 'changed'}`);
  }
  if (next.multipleOf !== undefined && !divides(next.multipleOf, old.multipleOf))
    reasons.push(`${at}: multipleOf ${old.multipleOf === undefined ? 'added' : 'changed'}`);
  if (next.uniqueItems === true && old.uniqueItems !== true) reasons.push(`${at}: uniqueItems added`);
  for (const keyword of OPAQUE_KEYWORDS) {
    if (canonicalJson(old[keyword]) !== canonicalJson(next[keyword]))
      reasons.push(
        `${at}: ${keyword} changed, and changes to ${keyword} cannot be checked for compatibility`,
      );
  }
  compareObjects(old, next, path, reasons);
  compareItems(old, next, path, reasons);
}

function typesOf(schema: Record<string, unknown>): string[] | undefined {
  const type = schema.type;
  if (type === undefined) return undefined;
  return Array.isArray(type) ? type.map(String) : [String(type)];
}

function compareTypes(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  at: string,
  reasons: string[],
) {
  const nextTypes = typesOf(next);
  if (!nextTypes) return;
  const oldTypes = typesOf(old);
  if (!oldTypes) {
    reasons.push(`${at}: type narrowed from any to ${nextTypes.join(' | ')}`);
    return;
  }
  const accepted = (type: string) =>
    nextTypes.includes(type) || (type === 'integer' && nextTypes.includes('number'));
  const lost = oldTypes.filter((type) => !accepted(type));
  if (lost.length > 0)
    reasons.push(`${at}: type narrowed from ${oldTypes.join(' | ')} to ${nextTypes.join(' | ')}`);
}

function compareEnum(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  at: string,
  reasons: string[],
) {
  if (!Array.isArray(next.enum)) return;
  if (!Array.isArray(old.enum)) {
    reasons.push(`${at}: enum added`);
    return;
  }
  const allowed = new Set(next.enum.map(canonicalJson));
  const dropped = old.enum.filter((value) => !allowed.has(canonicalJson(value)));
  if (dropped.length > 0)
    reasons.push(`${at}: enum no longer allows ${dropped.map((v) => JSON.stringify(v)).join(', ')}`);
}

function compareBound(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  keyword: string,
  narrowing: 'raised' | 'lowered',
  at: string,
  reasons: string[],
) {
  const value = next[keyword];
  if (typeof value !== 'number') return;
  const before = old[keyword];
  if (typeof before !== 'number') {
    reasons.push(`${at}: ${keyword} added`);
    return;
  }
  if (narrowing === 'raised' ? value > before : value < before)
    reasons.push(`${at}: ${keyword} ${narrowing} from ${before} to ${value}`);
}

function divides(divisor: unknown, multiple: unknown): boolean {
  if (typeof divisor !== 'number' || typeof multiple !== 'number') return false;
  const quotient = multiple / divisor;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}

function compareObjects(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  path: string,
  reasons: string[],
) {
  const at = path || '/';
  const oldRequired = new Set(Array.isArray(old.required) ? old.required.map(String) : []);
  const nextRequired = Array.isArray(next.required) ? next.required.map(String) : [];
  for (const name of nextRequired.filter((required) => !oldRequired.has(required)))
    reasons.push(`${at}: property "${name}" is now required`);

  const oldProperties = isSchemaObject(old.properties) ? old.properties : {};
  const nextProperties = isSchemaObject(next.properties) ? next.properties : {};
  for (const [name, schema] of Object.entries(oldProperties)) {
    const pointer = `${path}/properties/${escapePointer(name)}`;
    if (!(name in nextProperties)) reasons.push(`${pointer}: property "${name}" removed`);
    else compare(schema as JsonSchema, nextProperties[name] as JsonSchema, pointer, reasons);
  }

  const oldAdditional = old.additionalProperties;
  const nextAdditional = next.additionalProperties;
  if (nextAdditional === undefined || nextAdditional === true || oldAdditional === false) return;
  if (nextAdditional === false) reasons.push(`${at}: additional properties no longer allowed`);
  else
    compare(
      (oldAdditional ?? true) as JsonSchema,
      nextAdditional as JsonSchema,
      `${path}/additionalProperties`,
      reasons,
    );
}

function compareItems(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  path: string,
  reasons: string[],
) {
  if (next.items === undefined) return;
  if (Array.isArray(next.items) || Array.isArray(old.items)) {
    if (canonicalJson(old.items) !== canonicalJson(next.items))
      reasons.push(
        `${path || '/'}: tuple items changed, and tuple changes cannot be checked for compatibility`,
      );
    return;
  }
  compare((old.items ?? true) as JsonSchema, next.items as JsonSchema, `${path}/items`, reasons);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
