/**
 * `customers` (service providers: docs/service-providers.md) beyond what the schema can say. Run on
 * every load and after every edit (src/config/schema.ts semanticProblems), so a hand edit, `set-app
 * --no-multi-tenant` or `add-customer` cannot leave a file the tool would act on wrongly:
 *   - customers need a multi-tenant application: a single-tenant one refuses every other tenant's
 *     users (AADSTS50020), so a service principal there would be useless;
 *   - a tenant is listed once (compared case-insensitively, as Entra compares domains and ids);
 *   - the provider's own tenant is not a customer (its service principal is the application's own).
 * Light on purpose: command files and the config loader import it.
 */
import { InputError, type Problem } from '../errors.js';
import { formatPath, locate, type ConfigTree, type Segment } from './tree.js';

/** What to run to make the application multi-tenant: set-app on a pinned one, new-app again before registration. */
export function multiTenantRemedy(application: { appId?: unknown; name?: unknown } | undefined): string {
  const command =
    typeof application?.appId === 'string'
      ? `entra-portal set-app --app-id ${application.appId} --multi-tenant`
      : `entra-portal new-app --name '${typeof application?.name === 'string' ? application.name : '<name>'}' --multi-tenant`;
  return `run "${command}" (users of other organisations may then sign in), then "entra-portal apply"`;
}

export const sameTenant = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The tenants of `customers` as written (entries without a string tenant are the schema's to report). */
export function customerTenants(value: unknown): string[] {
  const list = (value as { customers?: unknown } | undefined)?.customers;
  if (!Array.isArray(list)) return [];
  return list.map((c) => (c as { tenant?: unknown } | null)?.tenant).filter((t): t is string => typeof t === 'string');
}

export function customerProblems(value: Record<string, unknown>, tree: ConfigTree, file: string): Problem[] {
  const list = value.customers;
  if (!Array.isArray(list) || list.length === 0) return [];
  const problems: Problem[] = [];
  const add = (path: Segment[], message: string) => {
    const location = locate(tree, path, file);
    problems.push({ path: formatPath(path), message, ...(location ? { location } : {}) });
  };
  const app = value.application as { multiTenant?: unknown; appId?: unknown; name?: unknown } | undefined;
  if (app?.multiTenant !== true) {
    add(['customers'], `${list.length} customer tenant${list.length === 1 ? ' is' : 's are'} listed, but application.multiTenant is not true: a single-tenant application refuses the users of every other tenant; ${multiTenantRemedy(app)}`);
  }
  const own = typeof value.tenant === 'string' ? value.tenant : undefined;
  const seen: string[] = [];
  list.forEach((c, i) => {
    const tenant = (c as { tenant?: unknown } | null)?.tenant;
    if (typeof tenant !== 'string') return;
    if (own && sameTenant(tenant, own)) add(['customers', i, 'tenant'], `'${tenant}' is the application's own tenant (tenant), not a customer: remove it with "entra-portal remove-customer --tenant ${tenant}"`);
    else if (seen.some((s) => sameTenant(s, tenant))) add(['customers', i, 'tenant'], `'${tenant}' is listed twice: remove one entry`);
    seen.push(tenant);
  });
  return problems;
}

/** Default prefix of a customer tenant's credential variables: ENTRA_PORTAL_TENANT_FABRIKAM_ONMICROSOFT_COM. */
export function defaultCredentialEnv(tenant: string): string {
  return `ENTRA_PORTAL_TENANT_${tenant.trim().toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The prefix of the environment variables holding this customer's credential (`credentialEnv`, or the default). */
export const credentialEnvOf = (customer: { tenant: string; credentialEnv?: string }): string => customer.credentialEnv ?? defaultCredentialEnv(customer.tenant);

const CREDENTIAL_ENV = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `--credential-env`: an environment variable name prefix (InputError otherwise). */
export function checkCredentialEnv(value: string): string {
  const v = value.trim();
  if (!CREDENTIAL_ENV.test(v)) {
    throw new InputError(`--credential-env '${value}' is not an environment variable prefix`, {
      code: 'invalid-credential-env',
      remedy: 'Use letters, digits and _ (not starting with a digit, at most 64), e.g. --credential-env FABRIKAM for FABRIKAM_CLIENT_ID, FABRIKAM_CLIENT_SECRET, …',
    });
  }
  return v;
}
