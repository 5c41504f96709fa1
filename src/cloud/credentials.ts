/**
 * `--auth` → a TokenCredential for the config's cloud (docs/graph.md, "The token endpoint and client
 * assertions"). Credentials stay behind @azure/identity's TokenCredential interface.
 *
 *   environment       AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or
 *                     AZURE_CLIENT_CERTIFICATE_PATH (PEM: key + certificate) [+ AZURE_CLIENT_CERTIFICATE_PASSWORD];
 *                     read from ctx.env (not process.env) so tests and the library API can pass them.
 *   workload-identity AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (a token another identity provider
 *                     issued — GitHub Actions, Azure DevOps, Kubernetes — which Entra accepts through a
 *                     federated identity credential on that application): no stored secret at all.
 *                     https://learn.microsoft.com/entra/workload-id/workload-identity-federation
 *   azure-cli         `az account get-access-token` (az must be signed in to the same cloud: `az cloud set`).
 *   device-code       the code and URL go to stderr, like the VB365 wizard.
 *   browser           InteractiveBrowserCredential (a local browser).
 *   managed-identity  the host's managed identity (AZURE_CLIENT_ID picks a user-assigned one).
 *   auto              environment → workload identity → Azure CLI → device code; device code only when stdin and stderr are a
 *                     TTY (never wait for input in CI). The chain moves on only when a credential is
 *                     *unavailable* (CredentialUnavailableError) and stops at a real authentication failure.
 *
 * Every credential gets the region's `authorityHost`; a custom/emulator cloud also gets
 * `disableInstanceDiscovery` (MSAL would otherwise ask login.microsoftonline.com about the authority)
 * and the extra CA as `tlsOptions.ca` (core-rest-pipeline's tlsPolicy → the https.Agent of
 * @azure/identity's IdentityClient, which is MSAL's network client — trusted in this process only).
 *
 * Failures come out typed: OperationError 'authentication-failed' (AADSTS text, never a secret) or
 * 'credential-unavailable', each with a remedy. @azure/identity is imported lazily (~0.2 s).
 */
import type { AccessToken, GetTokenOptions, TokenCredential, TokenCredentialOptions } from '@azure/identity';
import type { Logger } from '../context.js';
import { EntraPortalError, InputError, OperationError, TransientError } from '../errors.js';
import { diagnoseAuthority, isEndpointResolutionError, type EndpointDiagnosis } from './diagnose.js';
import type { AuthMode } from './auth-modes.js';

export interface CredentialOptions {
  /** tenant id or domain (the config's); falls back to AZURE_TENANT_ID for `environment` */
  tenant?: string;
  /** the region's login host, e.g. https://login.microsoftonline.us */
  authorityHost: string;
  env: NodeJS.ProcessEnv;
  /** both stdin and stderr are terminals (device code may wait for a person) */
  isTTY: boolean;
  log: Logger;
  /** extra CA PEM to trust in-process (the emulator's) */
  ca?: string;
  /** not a Microsoft cloud (emulator or custom endpoints): skip MSAL instance discovery */
  disableInstanceDiscovery?: boolean;
  /**
   * The run's budget, ms: a sign-in (metadata + token requests) that takes longer fails with a
   * TransientError (75) naming the host that did not answer. Interactive sign-ins (device code,
   * browser) wait for a person instead; each of their requests is still bounded.
   */
  timeoutMs?: number;
}

/**
 * Each HTTP request of a credential ends after this long past the run's budget: the sign-in itself
 * fails at the budget (boundedCredential); this only makes sure the socket is closed too.
 */
const SOCKET_GRACE_MS = 1000;

type PolicyConfig = NonNullable<TokenCredentialOptions['additionalPolicies']>[number];

/**
 * A pipeline policy giving every request of @azure/identity's HTTP client a time limit (it has none).
 * Through the request's abort signal, not its `timeout`: the HTTP client leaves a `timeout` timer
 * running after a failed request (a refused connection kept the process alive for the whole budget),
 * while AbortSignal.timeout keeps nothing alive.
 */
function requestTimeoutPolicy(ms: number): PolicyConfig['policy'] {
  return {
    name: 'entraPortalRequestTimeout',
    sendRequest(request, next) {
      const limit = AbortSignal.timeout(ms);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, limit]) : limit;
      return next(request);
    },
  };
}

/** The options every @azure/identity credential gets for this cloud. */
export function identityOptions(opts: Pick<CredentialOptions, 'authorityHost' | 'ca' | 'disableInstanceDiscovery' | 'timeoutMs'>): {
  authorityHost: string;
  disableInstanceDiscovery?: boolean;
  tlsOptions?: { ca: string };
  additionalPolicies?: PolicyConfig[];
} {
  return {
    authorityHost: opts.authorityHost,
    ...(opts.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
    ...(opts.ca ? { tlsOptions: { ca: opts.ca } } : {}),
    ...(opts.timeoutMs ? { additionalPolicies: [{ policy: requestTimeoutPolicy(opts.timeoutMs + SOCKET_GRACE_MS), position: 'perRetry' as const }] } : {}),
  };
}

/** Credentials that wait for a person: not bounded by the run's budget as a whole. */
const INTERACTIVE = new Set(['device-code', 'browser']);

/** Who a credential talks to, for "… did not answer". */
function counterpart(name: string, authorityHost: string): string {
  if (name === 'azure-cli') return "the Azure CLI ('az account get-access-token')";
  if (name === 'managed-identity') return 'the managed identity endpoint';
  try {
    return `the login endpoint ${new URL(authorityHost).host}`;
  } catch {
    return 'the login endpoint';
  }
}

/**
 * A credential whose getToken fails with a TransientError (75) when it takes longer than the run's
 * budget — a login endpoint that accepts the connection and never answers must not hang the run.
 * The pending request is aborted (its own timeout closes the socket shortly after).
 */
export function boundedCredential(credential: TokenCredential, name: string, opts: Pick<CredentialOptions, 'authorityHost' | 'timeoutMs'>): TokenCredential {
  const ms = opts.timeoutMs;
  if (!ms || INTERACTIVE.has(name)) return credential;
  return {
    getToken(scopes, options) {
      const abort = new AbortController();
      const signal = options?.abortSignal ? AbortSignal.any([options.abortSignal as AbortSignal, abort.signal]) : abort.signal;
      return new Promise<AccessToken | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          abort.abort();
          const seconds = Math.round(ms / 100) / 10;
          reject(
            new TransientError(`sign-in (${name}): ${counterpart(name, opts.authorityHost)} did not answer within ${seconds} s`, {
              remedy: `Check the network path to it (proxy, firewall, DNS) and that the service is up; the budget is --propagation-timeout (${seconds} s).`,
            }),
          );
        }, ms);
        credential.getToken(scopes, { ...options, abortSignal: signal as never }).then(
          (token) => {
            clearTimeout(timer);
            resolve(token);
          },
          (err: unknown) => {
            clearTimeout(timer);
            reject(err);
          },
        );
      });
    },
  };
}

/** Build the credential for an `--auth` mode. Construction never prompts; `getToken` may (device code). */
export async function createCredential(mode: AuthMode, opts: CredentialOptions): Promise<TokenCredential> {
  const explain = explainerFor(opts);
  switch (mode) {
    case 'auto':
      return chainCredentials(autoChain(opts), opts.log, explain);
    case 'environment':
      return lazyCredential('environment', () => environmentCredential(opts), explain, opts);
    case 'workload-identity':
      return lazyCredential('workload-identity', () => workloadIdentityCredential(opts), explain, opts);
    case 'azure-cli':
      return lazyCredential('azure-cli', () => azureCliCredential(opts), explain, opts);
    case 'device-code':
      return lazyCredential('device-code', () => deviceCodeCredential(opts), explain, opts);
    case 'browser':
      return lazyCredential('browser', async () => {
        const id = await import('@azure/identity');
        return new id.InteractiveBrowserCredential({ ...identityOptions(opts), ...(opts.tenant ? { tenantId: opts.tenant } : {}) });
      }, explain, opts);
    case 'managed-identity':
      return lazyCredential('managed-identity', async () => {
        const id = await import('@azure/identity');
        const clientId = opts.env.AZURE_CLIENT_ID;
        return new id.ManagedIdentityCredential({ ...identityOptions(opts), ...(clientId ? { clientId } : {}) });
      }, explain, opts);
    default:
      throw new InputError(`unknown --auth '${String(mode)}'`, { code: 'usage' });
  }
}

/** A credential built on first use (nothing loads or fails before a token is needed); errors typed. */
function lazyCredential(name: string, create: () => Promise<TokenCredential>, explain: Explain | undefined, opts: CredentialOptions): TokenCredential {
  let built: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      built ??= create().then((c) => boundedCredential(c, name, opts));
      let credential: TokenCredential;
      try {
        credential = await built;
      } catch (err) {
        built = undefined;
        throw toAuthError(err, name);
      }
      return callTyped(credential, name, scopes, options, explain);
    },
  };
}

/** Explains an opaque "could not resolve the authority" failure (diagnose.ts); undefined for others. */
export type Explain = (err: unknown) => Promise<EndpointDiagnosis | undefined>;

/** The explainer for a cloud: diagnoses the login endpoint once, only after such a failure. */
export function explainerFor(opts: Pick<CredentialOptions, 'authorityHost' | 'tenant' | 'ca' | 'timeoutMs'>): Explain {
  let cached: Promise<EndpointDiagnosis> | undefined;
  return async (err) => {
    if (!isEndpointResolutionError(err)) return undefined;
    cached ??= diagnoseAuthority(opts.authorityHost, opts.tenant, opts.ca, opts.timeoutMs);
    return cached;
  };
}

/** One link of a chain: built lazily, so an unused link costs nothing. */
export interface ChainLink {
  name: string;
  create(): Promise<TokenCredential> | TokenCredential;
}

export function autoChain(opts: CredentialOptions): ChainLink[] {
  const links: ChainLink[] = [
    { name: 'environment', create: async () => boundedCredential(await environmentCredential(opts), 'environment', opts) },
    { name: 'workload-identity', create: async () => boundedCredential(await workloadIdentityCredential(opts), 'workload-identity', opts) },
    { name: 'azure-cli', create: async () => boundedCredential(await azureCliCredential(opts), 'azure-cli', opts) },
  ];
  if (opts.isTTY) links.push({ name: 'device-code', create: () => deviceCodeCredential(opts) });
  return links;
}

/** An error that means "this credential cannot be used here" (not "it was refused"). */
export function isUnavailable(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { name?: unknown }).name === 'CredentialUnavailableError';
}

/**
 * A chain like @azure/identity's ChainedTokenCredential, with lazily built links, the
 * chosen link remembered (no re-probing per token) and typed errors: all unavailable →
 * OperationError 'credential-unavailable' listing why each was skipped; the first real failure stops it.
 */
export function chainCredentials(links: readonly ChainLink[], log: Pick<Logger, 'verbose'>, explain?: Explain): TokenCredential {
  let chosen: { name: string; credential: TokenCredential } | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      if (chosen) return callTyped(chosen.credential, chosen.name, scopes, options, explain);
      const skipped: string[] = [];
      for (const link of links) {
        try {
          const credential = await link.create();
          const token = await credential.getToken(scopes, options);
          chosen = { name: link.name, credential };
          log.verbose(`signed in with the ${link.name} credential`);
          return token;
        } catch (err) {
          const diagnosis = await explain?.(err);
          // a configured credential that cannot reach or trust the login endpoint: the next one could
          // not either — stop and say why (MSAL reports this as "unavailable")
          if (diagnosis) throw toAuthError(err, link.name, diagnosis);
          if (isUnavailable(err)) {
            const why = firstLine(err).replace(/\.+$/, '');
            skipped.push(`${link.name}: ${why}`);
            log.verbose(`${link.name} credential unavailable: ${why}`);
            continue;
          }
          throw toAuthError(err, link.name);
        }
      }
      throw new OperationError(`no credential is available (--auth auto tried ${links.map((l) => l.name).join(' → ')})`, {
        code: 'credential-unavailable',
        remedy:
          `${skipped.join('; ')}. Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_FEDERATED_TOKEN_FILE), ` +
          `or sign in with 'az login'${links.some((l) => l.name === 'device-code') ? '' : ', or run in a terminal for a device-code sign-in'}; or choose --auth.`,
      });
    },
  };
}

/** A credential whose failures come out typed. */
export function withTypedErrors(credential: TokenCredential, name: string, explain?: Explain): TokenCredential {
  return { getToken: (scopes, options) => callTyped(credential, name, scopes, options, explain) };
}

async function callTyped(credential: TokenCredential, name: string, scopes: string | string[], options?: GetTokenOptions, explain?: Explain): Promise<AccessToken | null> {
  try {
    return await credential.getToken(scopes, options);
  } catch (err) {
    throw toAuthError(err, name, await explain?.(err));
  }
}

const REMEDY: Record<string, string> = {
  environment: 'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET / AZURE_CLIENT_CERTIFICATE_PATH: the secret or certificate must be current and registered on that application.',
  'workload-identity':
    'Check AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE: the application needs a federated identity credential whose issuer, subject and audience (api://AzureADTokenExchange) match the token, and the token must be fresh (request it right before the run).',
  'azure-cli': "Run 'az login' (for a national cloud first 'az cloud set --name …') with an account of the configured tenant.",
  'device-code': 'Sign in again, with an account of the configured tenant, before the code expires.',
  browser: 'Sign in again in the browser with an account of the configured tenant.',
  'managed-identity': 'Run on a host with a managed identity, or choose another --auth.',
  emulator: 'The embedded emulator refused its own operator: delete .entra-portal/emulator-state.json next to the config to reset it.',
};

/** Any @azure/identity failure → OperationError with a remedy; AADSTS text kept, secrets never included. */
export function toAuthError(err: unknown, name: string, diagnosis?: EndpointDiagnosis): EntraPortalError {
  if (err instanceof EntraPortalError) return err;
  if (diagnosis) {
    return new OperationError(`sign-in failed (${name}): cannot use the login endpoint: ${diagnosis.detail}`, {
      code: 'login-endpoint-unreachable',
      cause: err,
      remedy: diagnosis.remedy,
    });
  }
  const e = err as { name?: string; message?: string; errorResponse?: { error?: string; errorDescription?: string } };
  const text = e?.errorResponse?.errorDescription ?? e?.message ?? String(err);
  // the AADSTS sentence(s), without MSAL's repeated trace/correlation ids
  const aadsts = /AADSTS\d+[^\r\n]*/.exec(text)?.[0]?.split(/\s+Trace ID:/)[0];
  if (isUnavailable(err)) {
    return new OperationError(`the ${name} credential is not available: ${firstLine(err)}`, { code: 'credential-unavailable', cause: err, remedy: REMEDY[name] });
  }
  const tls = /self[- ]signed|unable to verify|certificate/i.test(text) && !aadsts;
  return new OperationError(`sign-in failed (${name}): ${redact(aadsts ?? firstLine(err))}`, {
    code: 'authentication-failed',
    cause: err,
    remedy: tls ? 'The login endpoint’s TLS certificate is not trusted: set NODE_EXTRA_CA_CERTS to its CA file.' : REMEDY[name],
  });
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split(/\r?\n/).find((l) => l.trim()) ?? msg).trim().slice(0, 400);
}

/** Belt and braces: long opaque strings (a secret or token that leaked into a message) are masked. */
export function redact(text: string): string {
  return text
    .replace(/(client_secret|secret|password|assertion|access_token|refresh_token)=([^&\s]+)/gi, '$1=***')
    .replace(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***');
}

/* ----------------------------------------------------------------------------------- the credentials */

async function environmentCredential(opts: CredentialOptions): Promise<TokenCredential> {
  const id = await import('@azure/identity');
  const env = opts.env;
  const tenantId = opts.tenant ?? env.AZURE_TENANT_ID;
  const clientId = env.AZURE_CLIENT_ID;
  const missing = [!tenantId && 'AZURE_TENANT_ID', !clientId && 'AZURE_CLIENT_ID', !env.AZURE_CLIENT_SECRET && !env.AZURE_CLIENT_CERTIFICATE_PATH && 'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH'].filter(
    Boolean,
  );
  if (missing.length || !tenantId || !clientId) {
    throw new id.CredentialUnavailableError(`environment variables not set: ${missing.join(', ')}`);
  }
  const base = identityOptions(opts);
  if (env.AZURE_CLIENT_SECRET) return new id.ClientSecretCredential(tenantId, clientId, env.AZURE_CLIENT_SECRET, base);
  const certificatePath = env.AZURE_CLIENT_CERTIFICATE_PATH as string;
  if (/\.(pfx|p12)$/i.test(certificatePath)) {
    throw new InputError(`AZURE_CLIENT_CERTIFICATE_PATH '${certificatePath}': a PEM file (private key + certificate) is required`, {
      remedy: "Convert it: openssl pkcs12 -in cert.pfx -out cert.pem -nodes (keep the PEM file private: chmod 600).",
    });
  }
  return new id.ClientCertificateCredential(
    tenantId,
    clientId,
    { certificatePath, ...(env.AZURE_CLIENT_CERTIFICATE_PASSWORD ? { certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD } : {}) },
    base,
  );
}

/** The federated token file is named by an environment variable: read as any named file is, small and regular only. */
const MAX_FEDERATED_TOKEN_BYTES = 64 * 1024;

async function workloadIdentityCredential(opts: CredentialOptions): Promise<TokenCredential> {
  const id = await import('@azure/identity');
  const env = opts.env;
  const tenantId = opts.tenant ?? env.AZURE_TENANT_ID;
  const clientId = env.AZURE_CLIENT_ID;
  const file = env.AZURE_FEDERATED_TOKEN_FILE;
  const missing = [!tenantId && 'AZURE_TENANT_ID', !clientId && 'AZURE_CLIENT_ID', !file && 'AZURE_FEDERATED_TOKEN_FILE'].filter(Boolean);
  if (missing.length || !tenantId || !clientId || !file) throw new id.CredentialUnavailableError(`environment variables not set: ${missing.join(', ')}`);
  const { readRegularFile } = await import('../util/fs.js');
  // read at every token request: the CI refreshes the file, the credential never holds an old token
  const assertion = async () => (await readRegularFile(file, { maxBytes: MAX_FEDERATED_TOKEN_BYTES, what: 'the federated token file (AZURE_FEDERATED_TOKEN_FILE)' })).toString('utf8').trim();
  return new id.ClientAssertionCredential(tenantId, clientId, assertion, identityOptions(opts));
}

async function azureCliCredential(opts: CredentialOptions): Promise<TokenCredential> {
  const id = await import('@azure/identity');
  return new id.AzureCliCredential({ ...(opts.tenant ? { tenantId: opts.tenant } : {}) });
}

async function deviceCodeCredential(opts: CredentialOptions): Promise<TokenCredential> {
  const id = await import('@azure/identity');
  return new id.DeviceCodeCredential({
    ...identityOptions(opts),
    ...(opts.tenant ? { tenantId: opts.tenant } : {}),
    // like the VB365 wizard: "To sign in, open https://microsoft.com/devicelogin and enter the code … to authenticate."
    userPromptCallback: (info) => {
      opts.log.notice(info.message || `To sign in, open ${info.verificationUri} and enter the code ${info.userCode} to authenticate.`);
      opts.log.progress('Waiting for the sign-in to complete…');
    },
  });
}
