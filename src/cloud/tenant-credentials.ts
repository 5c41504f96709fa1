/**
 * Which credential signs in to a customer tenant (service providers: docs/service-providers.md),
 * never prompting — a scheduled drift check over many customers must not wait for a person:
 *
 *   1. the tenant's own variables, when `<PREFIX>_CLIENT_ID` is set: with `<PREFIX>_CLIENT_SECRET`,
 *      `<PREFIX>_CLIENT_CERTIFICATE_PATH` (+ `_PASSWORD`) or `<PREFIX>_FEDERATED_TOKEN_FILE`
 *      (`PREFIX` = the customer's `credentialEnv`, default ENTRA_PORTAL_TENANT_<TENANT>);
 *   2. in the Emulator region without an explicit --auth: the emulator's operator of that tenant, when
 *      the emulator has the tenant (a tenant it does not know has no credential at all);
 *   3. otherwise the run's --auth with the customer's tenant as the authority: the provider's own
 *      identity (a multi-tenant automation application, or a workload identity) consented in that
 *      tenant. `auto` here never includes the device code.
 * Secrets stay in the environment: the config names at most the prefix.
 */
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../context.js';
import { credentialEnvOf } from '../config/customers.js';
import type { CustomerConfig } from '../config/types.js';
import { OperationError } from '../errors.js';
import type { AuthMode } from './auth-modes.js';
import { createCredential, explainerFor, identityOptions, withTypedErrors } from './credentials.js';

export interface CustomerCredentialOptions {
  /** --auth as given; undefined when the run uses the default */
  auth?: AuthMode;
  authorityHost: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  ca?: string;
  disableInstanceDiscovery?: boolean;
  /** the run's budget, ms: a sign-in that takes longer fails (75) instead of hanging the run */
  timeoutMs?: number;
  /** Emulator region: the emulator's operator of a tenant it has (undefined: none) */
  emulatorOperator?: (tenant: string) => { clientId: string; clientSecret: string } | undefined;
}

export interface CustomerCredential {
  credential: TokenCredential;
  /** how it signs in, for messages (never a secret): "FABRIKAM_CLIENT_ID + FABRIKAM_CLIENT_SECRET" */
  source: string;
}

/** The variables that make up a tenant's own credential, as the standard AZURE_* names. */
const SUFFIXES = ['CLIENT_SECRET', 'CLIENT_CERTIFICATE_PATH', 'CLIENT_CERTIFICATE_PASSWORD', 'FEDERATED_TOKEN_FILE'] as const;

/** A credential that cannot be used, saying why; it fails at sign-in (the customer then needs consent). */
function unavailable(message: string, remedy: string): TokenCredential {
  return {
    getToken: () => Promise.reject(new OperationError(message, { code: 'credential-unavailable', remedy })),
  };
}

export async function customerCredential(customer: CustomerConfig, opts: CustomerCredentialOptions): Promise<CustomerCredential> {
  const tenant = customer.tenant;
  const prefix = credentialEnvOf(customer);
  const own = (suffix: string) => opts.env[`${prefix}_${suffix}`] || undefined;
  const cloud = { authorityHost: opts.authorityHost, ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) };
  const base = { ...cloud, tenant, log: opts.log, isTTY: false, ...(opts.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}) };

  if (own('CLIENT_ID') || SUFFIXES.some((s) => own(s))) {
    const clientId = own('CLIENT_ID');
    const kind = own('FEDERATED_TOKEN_FILE') ? 'FEDERATED_TOKEN_FILE' : own('CLIENT_SECRET') ? 'CLIENT_SECRET' : own('CLIENT_CERTIFICATE_PATH') ? 'CLIENT_CERTIFICATE_PATH' : undefined;
    if (!clientId || !kind) {
      const lacking = !clientId ? `${prefix}_CLIENT_ID` : `${prefix}_CLIENT_SECRET, ${prefix}_CLIENT_CERTIFICATE_PATH or ${prefix}_FEDERATED_TOKEN_FILE`;
      return {
        source: `${prefix}_*`,
        credential: unavailable(`the credential of tenant ${tenant} is incomplete: ${lacking} is not set`, `Set ${lacking} (docs/service-providers.md, "Credentials per tenant").`),
      };
    }
    // only this tenant's variables, under the names @azure/identity's conventions use
    const env: NodeJS.ProcessEnv = { AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: clientId };
    for (const s of SUFFIXES) if (own(s)) env[`AZURE_${s}`] = own(s);
    const mode: AuthMode = kind === 'FEDERATED_TOKEN_FILE' ? 'workload-identity' : 'environment';
    return { source: `${prefix}_CLIENT_ID + ${prefix}_${kind}`, credential: await createCredential(mode, { ...base, env }) };
  }

  if (opts.emulatorOperator && (opts.auth === undefined || opts.auth === 'auto')) {
    const operator = opts.emulatorOperator(tenant);
    if (!operator) {
      return {
        source: `no credential (the emulator has no tenant ${tenant})`,
        credential: unavailable(`the emulator has no tenant ${tenant}, so there is no credential for it`, `Its administrator onboards it with the consent URL; or set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET.`),
      };
    }
    const id = await import('@azure/identity');
    const options = identityOptions({ ...cloud, disableInstanceDiscovery: true });
    return {
      source: `the emulator's operator of ${tenant}`,
      credential: withTypedErrors(new id.ClientSecretCredential(tenant, operator.clientId, operator.clientSecret, options), 'emulator', explainerFor({ ...cloud, tenant })),
    };
  }

  const mode = opts.auth ?? 'auto';
  return { source: `--auth ${mode} in tenant ${tenant}`, credential: await createCredential(mode, { ...base, env: opts.env }) };
}
