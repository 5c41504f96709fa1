/**
 * add-customer / remove-customer: desired state "this multi-tenant application also serves that
 * customer tenant" (`customers` in the config; docs/service-providers.md). Lossless edits: the other
 * entries, their comments and layout keep their bytes. A customer on a single-tenant application is
 * refused (65) with the remedy; `--apply` then reconciles Entra, customers included.
 */
import { toContext, type Context } from '../context.js';
import { editConfig, resolveConfigPath } from '../config/index.js';
import { checkCredentialEnv, credentialEnvOf, customerTenants, multiTenantRemedy, sameTenant } from '../config/customers.js';
import { normalizeTenant } from '../config/values.js';
import type { ConfigDocument } from '../config/document.js';
import { asArgument, InputError } from '../errors.js';
import { chainApply, toVerbResult, type EditVerbInput, type EditVerbResult } from './edit-verb.js';

export interface CustomerEditInput extends EditVerbInput {
  /** the customer's tenant ID (GUID) or verified domain */
  tenant: string;
  /** add-customer: the prefix of the environment variables that hold this tenant's credential */
  credentialEnv?: string;
}

export interface CustomerEditResult extends EditVerbResult {
  verb: 'add-customer' | 'remove-customer';
  /** the tenant as written to (or found in) the config */
  tenant: string;
  /** the customer tenants the file now lists */
  customers: string[];
  /** add-customer: the prefix of this tenant's credential variables (docs/service-providers.md) */
  credentialEnv?: string;
}

const PATH = ['customers'];

function findCustomer(doc: ConfigDocument, tenant: string): number {
  return customerTenants({ customers: doc.get(PATH) }).findIndex((t) => sameTenant(t, tenant));
}

export async function addCustomer(input: CustomerEditInput, ctx?: Partial<Context>): Promise<CustomerEditResult> {
  const c = toContext(ctx);
  const tenant = asArgument(() => normalizeTenant(input.tenant ?? ''));
  const credentialEnv = input.credentialEnv !== undefined ? asArgument(() => checkCredentialEnv(input.credentialEnv!)) : undefined;
  let customers: string[] = [];
  let prefix = '';
  const edit = await editConfig(
    resolveConfigPath(c, input.config),
    c,
    (doc) => {
      if (doc.get(['application', 'multiTenant']) !== true) {
        throw new InputError(`cannot add customer ${tenant}: the application is single-tenant (application.multiTenant is not true), so it refuses the users of every other tenant`, {
          code: 'not-multi-tenant',
          remedy: `${multiTenantRemedy(doc.get(['application']) as { appId?: unknown; name?: unknown }).replace(/^r/, 'R')}; then add the customer again.`,
        });
      }
      const own = doc.get(['tenant']);
      if (typeof own === 'string' && sameTenant(own, tenant)) {
        throw new InputError(`${tenant} is the application's own tenant (tenant in the config), not a customer: apply already reconciles it`, { code: 'own-tenant' });
      }
      const entry = { tenant, ...(credentialEnv ? { credentialEnv } : {}) };
      const at = findCustomer(doc, tenant);
      if (at === -1) doc.append(PATH, entry);
      else if (credentialEnv !== undefined) {
        // the entry as written (its tenant's spelling), with the new prefix
        const existing = (doc.get(PATH) as Record<string, unknown>[])[at]!;
        doc.setAt(PATH, at, { ...existing, credentialEnv });
      }
      const listed = doc.get(PATH) as { tenant: string; credentialEnv?: string }[];
      customers = listed.map((x) => x.tenant);
      prefix = credentialEnvOf(listed.find((x) => sameTenant(x.tenant, tenant))!);
    },
    { whatIf: input.whatIf === true },
  );
  const result: CustomerEditResult = { ...toVerbResult('add-customer', edit, []), verb: 'add-customer', tenant, customers, credentialEnv: prefix };
  c.log.info(
    `Next: "entra-portal apply" reconciles ${tenant} when it can sign in there (${prefix}_CLIENT_ID with ${prefix}_CLIENT_SECRET, ` +
      `${prefix}_CLIENT_CERTIFICATE_PATH or ${prefix}_FEDERATED_TOKEN_FILE, or your own --auth identity consented in that tenant); ` +
      `otherwise "entra-portal consent-url --tenant ${tenant}" gives the link its administrator opens.`,
  );
  if (input.apply) await chainApply(result, edit, c, input.apply);
  return result;
}

export async function removeCustomer(input: CustomerEditInput, ctx?: Partial<Context>): Promise<CustomerEditResult> {
  const c = toContext(ctx);
  const tenant = asArgument(() => normalizeTenant(input.tenant ?? ''));
  let customers: string[] = [];
  let removed: string | undefined;
  const edit = await editConfig(
    resolveConfigPath(c, input.config),
    c,
    (doc) => {
      const at = findCustomer(doc, tenant);
      if (at !== -1) {
        removed = customerTenants({ customers: doc.get(PATH) })[at];
        doc.removeAt(PATH, at);
        // the last one gone: no empty list left behind
        if (customerTenants({ customers: doc.get(PATH) }).length === 0) doc.delete(PATH);
      }
      customers = customerTenants({ customers: doc.get(PATH) });
    },
    { whatIf: input.whatIf === true },
  );
  const warnings = removed
    ? [
        `${removed} is no longer a customer in the config: apply and the drift check stop looking at it, but its service principal and admin consent stay in that tenant ` +
          `(its administrator removes them by deleting the enterprise application)`,
      ]
    : [`${tenant} is not in customers: nothing to remove`];
  for (const w of warnings) c.log.warn(w);
  const result: CustomerEditResult = { ...toVerbResult('remove-customer', edit, warnings), verb: 'remove-customer', tenant: removed ?? tenant, customers };
  if (input.apply) await chainApply(result, edit, c, input.apply);
  return result;
}
