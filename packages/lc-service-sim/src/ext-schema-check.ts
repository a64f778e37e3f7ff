import { isRecord } from './is-record.js';
import { unknownName } from './suggest.js';

const NUMERIC = new Set(['integer', 'duration', 'time']);

function typeProblem(name: string, dataType: unknown, value: unknown): string | undefined {
  if (typeof dataType !== 'string') return undefined;
  if (NUMERIC.has(dataType) && !Number.isInteger(value)) {
    return `--param ${name} must be a whole number (${dataType}), got ${JSON.stringify(value)}`;
  }
  if (dataType === 'bool' && typeof value !== 'boolean') {
    return `--param ${name} must be true or false, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

/**
 * What the extension's schema says is wrong with a request before it is sent: an action it does
 * not declare, a parameter it does not know, a required one missing, a number or bool given as
 * text. Returns the problems, empty when the request fits.
 */
export function checkRequest(
  schema: unknown,
  action: string,
  params: Record<string, unknown>,
): string[] {
  const requests = isRecord(schema) && isRecord(schema.request_schema) ? schema.request_schema : {};
  if (!Object.hasOwn(requests, action)) {
    return [unknownName('action', action, Object.keys(requests))];
  }
  const request = requests[action];
  const parameters = isRecord(request) && isRecord(request.parameters) ? request.parameters : {};
  const fields = isRecord(parameters.fields) ? parameters.fields : {};
  const names = Object.keys(fields);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (!Object.hasOwn(fields, name)) {
      problems.push(`${unknownName(`parameter of '${action}'`, name, names)}`);
      continue;
    }
    const field = fields[name];
    const problem = isRecord(field) ? typeProblem(name, field.data_type, value) : undefined;
    if (problem !== undefined) problems.push(problem);
  }
  const requirements = Array.isArray(parameters.requirements) ? parameters.requirements : [];
  for (const set of requirements) {
    if (!Array.isArray(set)) continue;
    const options = set.filter((n): n is string => typeof n === 'string');
    if (options.length > 0 && !options.some((n) => Object.hasOwn(params, n))) {
      problems.push(
        options.length === 1
          ? `'${action}' requires --param ${options[0]}=...`
          : `'${action}' requires one of ${options.map((n) => `--param ${n}=...`).join(', ')}`,
      );
    }
  }
  return problems;
}
