/**
 * The desired state, as the config file holds it (schemas/entra-portal.schema.json).
 * Only desired state: no secrets, no observed values except the recorded `application.appId`.
 * An omitted field is unmanaged.
 */
export interface PortalConfig {
  version: 1;
  /** region name or alias (src/cloud/regions.ts); default Worldwide */
  region?: string;
  /** a custom cloud instead of a region (https only) */
  endpoints?: { graph: string; login: string };
  /** tenant ID (GUID) or a verified domain */
  tenant?: string;
  application?: {
    name?: string;
    uniqueName?: string;
    appId?: string;
    multiTenant?: boolean;
    extraRedirectUris?: string[];
    /** object ids of the application's owners (users or service principals); absent: not managed */
    owners?: string[];
  };
  certificate?: {
    /** SHA-1, uppercase hex, no colons */
    thumbprint?: string;
    /** the public part (.cer), relative to the config file */
    file?: string;
    /** during a rotation only (rotate-cert): the outgoing certificate, kept registered until rotate-cert --finish */
    previous?: { thumbprint: string; file: string };
  };
  portal?: {
    url?: string;
    restApiPort?: number;
  };
  /** service providers: customer tenants that get a service principal and admin consent for this application */
  customers?: CustomerConfig[];
}

/** One customer tenant of a multi-tenant application (docs/service-providers.md). */
export interface CustomerConfig {
  /** tenant ID (GUID) or a verified domain */
  tenant: string;
  /** prefix of the environment variables holding this tenant's credential (default derived from the tenant) */
  credentialEnv?: string;
}

export const DEFAULT_CONFIG_FILE = 'entra-portal.json5';
export const DEFAULT_REST_API_PORT = 4443;
