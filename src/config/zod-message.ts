/** Turns a zod validation failure into one plain line per problem, naming the key path. */
import {
  ZodDefault,
  ZodEffects,
  ZodObject,
  type ZodError,
  type ZodIssue,
  type ZodTypeAny,
} from 'zod';
import { configSchema } from './schema.js';

function describe(issue: ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.join(', ')}, got ${JSON.stringify(issue.received)}`;
    case 'too_small':
      return `must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** Lines like `pbs.command_timeout: expected number, got string`; `origin` renames mapped keys. */
export function zodProblems(err: ZodError, origin: Record<string, string> = {}): string[] {
  return err.issues.map((issue) => {
    let path = issue.path.join('.');
    const section = issue.path.slice(0, 2).join('.');
    if (origin[section])
      path =
        origin[section] +
        issue.path
          .slice(2)
          .map((p) => `.${p}`)
          .join('');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}${hint(issue.path)}`;
    }
    return `${path || '(top level)'}: ${describe(issue)}`;
  });
}

/** The keys the schema allows at `path` (walking through defaults and objects). */
export function knownKeys(path: (string | number)[]): string[] {
  let node: ZodTypeAny = configSchema;
  for (const part of [...path, null]) {
    while (node instanceof ZodDefault || node instanceof ZodEffects)
      node = node instanceof ZodDefault ? node._def.innerType : node._def.schema;
    if (!(node instanceof ZodObject)) return [];
    if (part === null) return Object.keys(node.shape as Record<string, unknown>);
    node = (node.shape as Record<string, ZodTypeAny>)[String(part)] as ZodTypeAny;
    if (!node) return [];
  }
  return [];
}

function hint(path: (string | number)[]): string {
  const known = knownKeys(path);
  return known.length ? ` (expected one of: ${known.join(', ')})` : '';
}
