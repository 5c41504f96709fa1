/**
 * Validation of a parsed config against schemas/entra-portal.schema.json (JSON Schema 2020-12,
 * ajv's 2020 build) plus the rules a schema cannot express (the region name, the portal URL).
 * Every problem is reported, each pointing into the file (file:line:col).
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { validate as generatedValidate } from './validator.generated.js';
import { EntraPortalError, type Problem } from '../errors.js';
import { resolveRegion } from '../cloud/regions.js';
import { validatePortalUrl } from '../url/portal-url.js';
import { DEFAULT_REST_API_PORT } from './types.js';
import { formatPath, locate, pointerToPath, type ConfigTree, type Segment } from './tree.js';
import { customerProblems } from './customers.js';

/** The schema file ships in the package: <root>/schemas (from src/config or dist/src/config). */
export function schemaPath(): string {
  const candidates = ['../../schemas/entra-portal.schema.json', '../../../schemas/entra-portal.schema.json'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

/** The options the schema is compiled with (ahead of time: validator.generated.ts). */
export const VALIDATOR_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

interface Validator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The schema compiled ahead of time by ajv (standalone code, regenerated and checked by
 * test/unit/schema-validator.test.ts): start-up needs neither ajv's compiler nor a compile.
 */
function validator(): Validator {
  return generatedValidate as Validator;
}

/** Friendlier words for the schema's patterns, by config path (array indexes as `[]`). */
const PATTERN_MESSAGES: Record<string, string> = {
  'application.appId': "must be a GUID, e.g. '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c'",
  'application.uniqueName': "must start with a letter or digit and hold only letters, digits, '.', '_' or '-' (at most 120 characters)",
  'application.extraRedirectUris[]': "must be an https:// URI (or http://localhost for local testing), e.g. 'https://portal2.abc.com:4443'",
  'certificate.thumbprint': "must be a SHA-1 thumbprint: 40 uppercase hex characters, no colons, e.g. '9F3A0C…'",
  'portal.url': "must use https, e.g. 'https://portal.abc.com:4443'",
  'endpoints.graph': "must be an https:// URL, e.g. 'https://graph.microsoft.com'",
  'endpoints.login': "must be an https:// URL, e.g. 'https://login.microsoftonline.com'",
  tenant: "must be a tenant ID (GUID) or a domain name such as 'contoso.onmicrosoft.com'",
  'customers[].tenant': "must be a tenant ID (GUID) or a domain name such as 'fabrikam.onmicrosoft.com'",
  'customers[].credentialEnv': "must be an environment variable prefix: letters, digits and '_', not starting with a digit, e.g. 'FABRIKAM'",
};

function messageFor(e: ErrorObject, genericPath: string): string {
  if (genericPath === 'portal.restApiPort' && ['type', 'minimum', 'maximum'].includes(e.keyword)) {
    return "must be a port number from 1 to 65535 (the VB365 REST API's default is 4443)";
  }
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key '${String(e.params.additionalProperty)}'${genericPath ? ` in ${genericPath}` : ''}`;
    case 'required':
      return `missing required key '${String(e.params.missingProperty)}'`;
    case 'const':
      return `must be ${JSON.stringify(e.params.allowedValue)}`;
    case 'pattern':
    case 'anyOf':
      return PATTERN_MESSAGES[genericPath] ?? `${e.message ?? 'is invalid'}`;
    case 'uniqueItems':
      return `must not repeat an entry (items ${String(e.params.j)} and ${String(e.params.i)} are equal)`;
    case 'type':
      return `must be ${e.params.type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(String(e.params.type)) ? 'n' : ''} ${String(e.params.type)}`}`;
    default:
      return e.message ?? 'is invalid';
  }
}

/** Schema problems, each located in the file. */
export function schemaProblems(value: unknown, tree: ConfigTree, file: string): Problem[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // an anyOf failure also lists each branch's failure: keep only the anyOf
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath) && e.schemaPath.includes('/anyOf/')) continue;
    let path: Segment[] = pointerToPath(e.instancePath, value);
    let at: 'value' | 'key' = 'value';
    if (e.keyword === 'additionalProperties') {
      path = [...path, String(e.params.additionalProperty)];
      at = 'key';
    }
    const genericPath = formatPath(path.map((s) => (typeof s === 'number' ? -1 : s))).replace(/\[-1\]/g, '[]');
    const parentGeneric = formatPath(pointerToPath(e.instancePath, value).map((s) => (typeof s === 'number' ? -1 : s))).replace(/\[-1\]/g, '[]');
    const message = messageFor(e, e.keyword === 'additionalProperties' ? parentGeneric : genericPath);
    const key = `${formatPath(path)}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const location = locate(tree, path, file, at);
    problems.push({ path: formatPath(path), message, ...(location ? { location } : {}) });
  }
  return problems;
}

/** Rules beyond the schema: the region must resolve; the portal URL must meet Veeam's rules. */
export function semanticProblems(value: unknown, tree: ConfigTree, file: string): Problem[] {
  const problems: Problem[] = [];
  if (!value || typeof value !== 'object') return problems;
  const config = value as Record<string, unknown>;
  const add = (path: Segment[], err: unknown) => {
    if (!(err instanceof EntraPortalError)) throw err;
    const location = locate(tree, path, file);
    // one sentence per problem line: "…: it has no port: …; for example: https://a.b.com:4443"
    const remedy = err.remedy ? err.remedy.replace(/\.$/, '').replace(/^[A-Z](?=[a-z ])/, (c) => c.toLowerCase()) : '';
    const message = `${err.message.replace(/^region '[^']*': /, '')}${remedy ? `; ${remedy}` : ''}`;
    problems.push({ path: formatPath(path), message, ...(location ? { location } : {}) });
  };
  if (typeof config.region === 'string' && config.region.trim()) {
    try {
      resolveRegion(config.region);
    } catch (err) {
      add(['region'], err);
    }
  }
  const portal = config.portal as Record<string, unknown> | undefined;
  if (portal && typeof portal === 'object' && typeof portal.url === 'string' && /^https:\/\//i.test(portal.url)) {
    const rp = portal.restApiPort;
    const port = rp === undefined ? DEFAULT_REST_API_PORT : rp;
    // a bad restApiPort is reported by the schema; the URL is judged against a valid one only
    if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) {
      try {
        validatePortalUrl(portal.url, port);
      } catch (err) {
        add(['portal', 'url'], err);
      }
    }
  }
  problems.push(...customerProblems(config, tree, file));
  return problems;
}
