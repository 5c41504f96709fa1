/**
 * entra.* checks (DESIGN §5): one Graph session, one batched read (observeBatch: the application
 * with keyCredentials selected, its service principal, the Microsoft Graph service principal, then
 * the AllPrincipals grants), judged by entra-judge.ts; and a real client-credentials sign-in as the
 * application with the certificate's private key from the store.
 *
 * Dependencies: entra.app opens the session and reads; everything else hangs off it, so a tenant we
 * cannot reach is one failure. The session is closed by `close()` once the run is over.
 */
import type { Context } from '../context.js';
import { EntraPortalError, InputError } from '../errors.js';
import type { Observed } from '../graph/api.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { GraphSession } from '../graph/session.js';
import type { SessionConfig } from '../session.js';
import { judgeApplication, judgeCertificate, judgeConsent, judgePermissions, judgeRedirectUri } from './entra-judge.js';
import type { LoadedPortalConfig } from './definitions.js';
import { fail, pass, skip, type CheckDefinition, type CheckOutcome } from './types.js';
import type { PortalUrl } from './url.js';

export interface EntraCheckOptions {
  ctx: Context;
  auth?: AuthMode;
  /** the certificate store folder (for entra.sign-in) */
  storeDir: string;
  /** budget of a bounded Entra step (sign-in; the reads when no interactive login can happen), ms */
  timeoutMs: number;
  /**
   * false when the operator may have to sign in interactively (device code on a TTY): then entra.app
   * has no time limit. Asked once the config is loaded (the Emulator region never prompts).
   */
  boundedReads: () => boolean;
  now: () => number;
  /** test hook: how to open the session (default src/session.ts openSession) */
  openSession?: (loaded: SessionConfig, ctx: Context, options: { auth?: AuthMode; propagationTimeout?: number }) => Promise<GraphSession>;
}

interface EntraData {
  session: GraphSession;
  observed: Observed;
}

export interface EntraChecks {
  definitions: CheckDefinition[];
  /** close the session (stops an embedded emulator); safe to call when none was opened */
  close(): Promise<void>;
}

export function entraChecks(options: EntraCheckOptions): EntraChecks {
  let opening: Promise<GraphSession> | undefined;
  const secs = options.timeoutMs / 1000;
  const config = (rc: { dep<D>(id: 'config'): CheckOutcome<D> }) => rc.dep<LoadedPortalConfig & SessionConfig>('config').data!;
  const entra = (rc: { dep<D>(id: 'entra.app'): CheckOutcome<D> }) => rc.dep<EntraData>('entra.app').data!;

  const definitions: CheckDefinition[] = [
    {
      id: 'entra.app',
      deps: ['config'],
      // read by the runner once `config` has settled
      get timeoutMs() {
        return options.boundedReads() ? options.timeoutMs * 4 : undefined;
      },
      timeoutMessage: `Microsoft Entra did not answer within ${secs * 4} s`,
      timeoutRemedy: 'Check this machine\'s connection to the region\'s login and Graph endpoints (proxy, firewall)',
      async run(rc) {
        const loaded = config(rc);
        const c = loaded.config;
        if (!c.application?.appId && !c.application?.uniqueName) {
          return fail('the config names no application (application.appId or application.uniqueName)', 'Run entra-portal new-app --name <name> (register) or entra-portal set-app --app-id <guid> (existing), then entra-portal apply');
        }
        const open = options.openSession ?? (await import('../session.js')).openSession;
        opening = open(loaded, options.ctx, {
          ...(options.auth ? { auth: options.auth } : {}),
          // a read-only check waits out throttling briefly, not for minutes
          propagationTimeout: Math.max(5, secs * 2),
        });
        let session: GraphSession;
        try {
          session = await opening;
        } catch (err) {
          return failFromError('cannot sign in to Microsoft Entra as the operator', err, 'Check --auth and the operator\'s credentials (AZURE_TENANT_ID, AZURE_CLIENT_ID, … or az login)');
        }
        if (rc.signal.aborted) throw rc.signal.reason;
        let observed: Observed;
        try {
          const { observeBatch } = await import('../graph/api.js');
          observed = await observeBatch(session, {
            ...(c.application.appId ? { appId: c.application.appId } : { uniqueName: c.application.uniqueName! }),
          });
        } catch (err) {
          return failFromError('cannot read the application from Microsoft Graph', err, 'The operator needs Application.Read.All and DelegatedPermissionGrant.ReadWrite.All (or Directory.Read.All) to read the application and its consent');
        }
        const verdict = judgeApplication(c, observed, session.tenant);
        return { ...verdict, data: { session, observed } satisfies EntraData };
      },
    },
    {
      id: 'entra.redirect-uri',
      deps: ['entra.app', 'url.format'],
      run: async (rc) => judgeRedirectUri(entra(rc).observed.application!, rc.dep<PortalUrl>('url.format').data!.normalized),
    },
    {
      id: 'entra.certificate',
      deps: ['config', 'entra.app'],
      run: async (rc) => judgeCertificate(config(rc).config, entra(rc).observed.application!, options.now()),
    },
    {
      id: 'entra.permissions',
      deps: ['entra.app'],
      run: async (rc) => judgePermissions(entra(rc).observed.application!),
    },
    {
      id: 'entra.consent',
      deps: ['entra.app'],
      run: async (rc) => judgeConsent(entra(rc).observed),
    },
    {
      id: 'entra.sign-in',
      deps: ['config', 'entra.app', 'entra.certificate'],
      timeoutMs: options.timeoutMs * 2,
      timeoutMessage: `no token within ${secs * 2} s`,
      timeoutRemedy: 'Check this machine\'s connection to the region\'s login endpoint',
      async run(rc) {
        const { session, observed } = entra(rc);
        if (!observed.servicePrincipal) {
          // Entra refuses tokens to an application without a service principal; entra.consent reports it once
          return skip('the application has no service principal in this tenant (see entra.consent): it cannot sign in');
        }
        const thumbprint = config(rc).config.certificate!.thumbprint!.toUpperCase();
        const { loadFromStore } = await import('../certs/index.js');
        let stored: Awaited<ReturnType<typeof loadFromStore>>;
        try {
          stored = await loadFromStore(options.storeDir, thumbprint, options.ctx);
        } catch (err) {
          // a locked or damaged store on this machine says nothing about the portal: skip, with the reason
          if (err instanceof InputError) {
            return skip(`the private key of certificate ${thumbprint} cannot be opened here: ${firstLine(err.message)}`, {
              remedy: err.remedy ?? `Set $ENTRA_PORTAL_STORE_PASSWORD for a password-protected store, or point --store at another store`,
            });
          }
          return failFromError(`cannot read certificate ${thumbprint} from the store ${options.storeDir}`, err);
        }
        if (!stored) {
          return skip(`the private key of certificate ${thumbprint} is not in the store on this machine (${options.storeDir}): cannot sign in as the application`, {
            remedy: 'Run test-portal where the key is (e.g. the VB365 server), point --store at that store, or import the PFX: entra-portal install-cert --pfx <file>',
          });
        }
        const appId = observed.application!.appId;
        const { ClientCertificateCredential } = await import('@azure/identity');
        const credential = new ClientCertificateCredential(
          session.tenant,
          appId,
          // PEM only, leaf after the key (libraries.md "@azure/identity")
          { certificate: `${stored.keyPem}\n${stored.info.certPem}` },
          { ...session.credentialOptions(), ...(session.ca ? { tlsOptions: { ca: session.ca } } : {}) },
        );
        try {
          const token = await credential.getToken(session.endpoints.scope, { abortSignal: rc.signal });
          return pass(`signed in as application ${appId} with certificate ${thumbprint}`, {
            appId,
            tenant: session.tenant,
            expiresOn: new Date(token.expiresOnTimestamp).toISOString(),
          });
        } catch (err) {
          if (rc.signal.aborted) throw err;
          const text = err instanceof Error ? err.message : String(err);
          return fail(
            `signing in as application ${appId} with certificate ${thumbprint} failed: ${firstLine(text)}`,
            /AADSTS700027/.test(text)
              ? 'Entra does not accept this key: run entra-portal apply to register the certificate, and check that the store holds the same certificate'
              : /AADSTS7000229|AADSTS700016/.test(text)
                ? 'The application has no service principal in this tenant: run entra-portal apply'
                : 'Check the certificate in the store and the application registration (entra-portal apply)',
            { appId, tenant: session.tenant },
          );
        }
      },
    },
  ];

  return {
    definitions,
    async close() {
      if (!opening) return;
      const session = await Promise.race([opening.catch(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000).unref())]);
      await session?.close().catch(() => undefined);
    },
  };
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? s;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function failFromError(what: string, err: unknown, fallbackRemedy?: string): CheckOutcome {
  // a Graph answer: its status, code and message, without our request line (a long truncated $select)
  const graph = err as { status?: unknown; graphCode?: unknown; graphMessage?: unknown };
  const message =
    typeof graph.status === 'number' && typeof graph.graphCode === 'string' && typeof graph.graphMessage === 'string'
      ? `${graph.status} ${graph.graphCode}: ${graph.graphMessage}`
      : err instanceof Error
        ? err.message
        : String(err);
  const remedy = err instanceof EntraPortalError && err.remedy ? err.remedy : fallbackRemedy;
  return fail(`${what}: ${firstLine(message)}`, remedy);
}
