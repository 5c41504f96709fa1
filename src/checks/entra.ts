/**
 * entra.* checks: one Graph session, one observation (src/reconcile/observe.ts, the same reads as
 * the drift check) and one assessment per aspect (src/reconcile/plan.ts `assess`): each check
 * reports its aspects' verdicts, so all entra.* checks pass exactly when `apply --what-if
 * --detailed-exitcode` finds nothing to change (certificate expiry aside: apply cannot fix that);
 * plus a real client-credentials sign-in as the application with the certificate's private key.
 *
 * Dependencies: entra.app opens the session and reads; everything else hangs off it, so a tenant we
 * cannot reach is one failure. The session is closed by `close()` once the run is over.
 */
import type { Context } from '../context.js';
import { EntraPortalError, ExitCode, InputError, UsageError } from '../errors.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { GraphSession } from '../graph/session.js';
import type { SessionConfig } from '../session.js';
import type { AspectId, Assessment, DesiredState, Observed, Verdict } from '../reconcile/types.js';
import { certificateLimit } from '../graph/app-policy.js';
import type { LoadedPortalConfig } from './definitions.js';
import { fail, pass, skip, warn, type CheckDefinition, type CheckId, type CheckOutcome } from './types.js';

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
  /** warn when a certificate expires within this many days (default 30) */
  warnDays?: number;
  /** how long a missing service principal or grant is read again (replication lag), ms */
  settleMs?: number;
  /** test hook: how to open the session (default src/session.ts openSession) */
  openSession?: (loaded: SessionConfig, ctx: Context, options: { auth?: AuthMode; propagationTimeout?: number }) => Promise<GraphSession>;
}

/** What entra.app hands to the checks that depend on it. */
export interface EntraData {
  session: GraphSession;
  observed: Observed;
  assessments: Record<AspectId, Assessment>;
  desired: DesiredState;
}

export interface EntraChecks {
  definitions: CheckDefinition[];
  /** close the session (stops an embedded emulator); safe to call when none was opened */
  close(): Promise<void>;
}

/** Which aspects each check reports (the worst verdict wins). */
export const CHECK_ASPECTS: Partial<Record<CheckId, readonly AspectId[]>> = {
  'entra.app': ['application', 'owners'],
  'entra.redirect-uri': ['redirectUris'],
  'entra.certificate': ['certificates'],
  'entra.credentials': ['credentials'],
  'entra.permissions': ['exposedApi', 'permissions'],
  'entra.consent': ['servicePrincipal', 'consent'],
};

const RANK = { pass: 0, warn: 1, fail: 2 } as const;

/** The check's outcome from its aspects' verdicts: the worst one, with every failing message. */
export function verdictOf<A extends AspectId>(assessments: Record<A, Assessment>, aspects: readonly A[]): CheckOutcome {
  const verdicts: Verdict[] = aspects.map((a) => assessments[a].verdict);
  const worst = verdicts.reduce((w, v) => (RANK[v.status] > RANK[w.status] ? v : w));
  // an aspect with nothing to judge (owners the config does not list) says nothing
  if (worst.status === 'pass') return pass(verdicts.map((v) => v.message).filter(Boolean).join('; '), worst.details);
  const bad = verdicts.filter((v) => v.status === worst.status);
  return {
    status: worst.status,
    message: bad.map((v) => v.message).join('; '),
    ...(worst.remedy ? { remedy: worst.remedy } : {}),
    ...(bad.length === 1 && bad[0]!.details ? { details: bad[0]!.details } : {}),
  };
}

/**
 * Before the tenant's app management policy bites: the certificate apply is about to register is
 * valid longer than the policy allows (read when the operator may: Policy.Read.All; otherwise silent).
 */
async function policyWarning({ session, observed, assessments, desired }: EntraData): Promise<CheckOutcome | undefined> {
  const adding = assessments.certificates.changes.some((c) => c.resource === 'keyCredential' && c.action === 'add');
  const cert = desired.certificates.find((c) => c.role === 'current');
  if (!adding || !cert) return undefined;
  const limit = await certificateLimit(session, observed.application).catch(() => null);
  const days = (Date.parse(cert.notAfter) - Date.parse(cert.notBefore)) / 86_400_000;
  if (!limit || days <= limit.maxDays) return undefined;
  return warn(
    `certificate ${cert.thumbprint} is valid ${Math.round(days)} days, but the tenant's app management policy '${limit.policyId}' allows at most ${limit.maxDays}: apply will be refused when it registers it`,
    `Make a certificate that fits: entra-portal install-cert --generate --validity-days ${limit.maxDays} --apply`,
    { thumbprint: cert.thumbprint, validityDays: Math.round(days), maxDays: limit.maxDays, policyId: limit.policyId },
  );
}

export function entraChecks(options: EntraCheckOptions): EntraChecks {
  let opening: Promise<GraphSession> | undefined;
  const secs = options.timeoutMs / 1000;
  const config = (rc: { dep<D>(id: 'config'): CheckOutcome<D> }) => rc.dep<LoadedPortalConfig & SessionConfig>('config').data!;
  const entra = (rc: { dep<D>(id: 'entra.app'): CheckOutcome<D> }) => rc.dep<EntraData>('entra.app').data!;
  const aspectCheck = (id: CheckId, deps: readonly CheckId[]): CheckDefinition => ({
    id,
    deps,
    run: async (rc) => verdictOf(entra(rc).assessments, CHECK_ASPECTS[id]!),
  });

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
        const { loadDesired } = await import('../reconcile/desired.js');
        let desired: Awaited<ReturnType<typeof loadDesired>>;
        try {
          desired = await loadDesired(c, loaded.dir);
        } catch (err) {
          if (err instanceof InputError) return fail(err.message, err.remedy);
          throw err;
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
        const { observe } = await import('../reconcile/observe.js');
        const { assess } = await import('../reconcile/plan.js');
        let observed: Observed;
        try {
          // the same reads as the drift check, with the same settling of replication lag
          ({ observed } = await observe(session, desired, { settleMs: options.settleMs ?? 10_000 }));
        } catch (err) {
          if (err instanceof EntraPortalError && err.code === 'application-not-found') {
            return fail(
              `application ${c.application.appId} does not exist in tenant ${session.tenant}`,
              'Check application.appId and tenant in the config. If the application was deleted, restore it (Entra admin center → App registrations → Deleted applications, within 30 days), or remove application.appId and run entra-portal apply to register a new one — then update VB365 (entra-portal export-vb365)',
              { appId: c.application.appId, tenant: session.tenant },
            );
          }
          return failFromError('cannot read the application from Microsoft Graph', err, 'The operator needs Application.Read.All and Directory.Read.All to read the application and its admin consent');
        }
        let assessments: Record<AspectId, Assessment>;
        try {
          assessments = assess(desired, observed, { now: options.now(), ...(options.warnDays !== undefined ? { warnDays: options.warnDays } : {}) });
        } catch (err) {
          return failFromError('cannot judge the application', err);
        }
        const outcome = verdictOf(assessments, CHECK_ASPECTS['entra.app']!);
        const deleted = observed.deleted?.application;
        if (!observed.application && deleted) {
          const until = new Date(Date.parse(deleted.deletedDateTime) + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          return fail(
            `application ${deleted.appId} was deleted on ${deleted.deletedDateTime}; it can be restored until ${until}`,
            'Run entra-portal apply to restore it (same appId and object ids: nothing changes for VB365)',
            { appId: deleted.appId, tenant: session.tenant, deletedDateTime: deleted.deletedDateTime, restorableUntil: until },
          );
        }
        if (!observed.application) {
          return fail(
            `no application with uniqueName '${c.application.uniqueName}' exists in tenant ${session.tenant}`,
            'Run entra-portal apply to register it',
            { uniqueName: c.application.uniqueName, tenant: session.tenant },
          );
        }
        return { ...outcome, data: { session, observed, assessments, desired } satisfies EntraData, dependentsMayRun: true };
      },
    },
    aspectCheck('entra.redirect-uri', ['entra.app', 'url.format']),
    {
      id: 'entra.certificate',
      deps: ['config', 'entra.app'],
      async run(rc) {
        const data = entra(rc);
        const outcome = verdictOf(data.assessments, CHECK_ASPECTS['entra.certificate']!);
        const bites = await policyWarning(data);
        if (!bites) return outcome;
        // the certificate still to register will be refused: apply alone cannot fix this
        return outcome.status === 'fail' ? { ...bites, status: 'fail', message: `${outcome.message}; ${bites.message}` } : bites;
      },
    },
    aspectCheck('entra.credentials', ['entra.app']),
    aspectCheck('entra.permissions', ['entra.app']),
    aspectCheck('entra.consent', ['entra.app']),
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
        const { signInAsApplication, signInRemedy } = await import('../certs/sign-in.js');
        try {
          const signedIn = await signInAsApplication(session, appId, stored, rc.signal);
          const daysLeft = Math.floor((stored.info.notAfter.getTime() - options.now()) / 86_400_000);
          return pass(`signed in as application ${appId} with certificate ${thumbprint}`, {
            appId,
            tenant: session.tenant,
            expiresOn: signedIn.expiresOn,
            // the certificate in this machine's store (the key VB365 is given): its own dates
            certificate: { thumbprint, notAfter: stored.info.notAfter.toISOString(), daysLeft },
          });
        } catch (err) {
          if (rc.signal.aborted) throw err;
          const text = err instanceof Error ? err.message : String(err);
          return fail(`signing in as application ${appId} with certificate ${thumbprint} failed: ${firstLine(text)}`, signInRemedy(text), { appId, tenant: session.tenant });
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
  // the run's usage error (a bad variable standing in for an option), not the application's fault
  if (err instanceof UsageError) throw err;
  // a Graph answer: its status, code and message, without our request line (a long truncated $select)
  const graph = err as { status?: unknown; graphCode?: unknown; graphMessage?: unknown };
  const message =
    typeof graph.status === 'number' && typeof graph.graphCode === 'string' && typeof graph.graphMessage === 'string'
      ? `${graph.status} ${graph.graphCode}: ${graph.graphMessage}`
      : err instanceof Error
        ? err.message
        : String(err);
  const remedy = err instanceof EntraPortalError && err.remedy ? checkRemedy(err) : fallbackRemedy;
  return fail(`${what}: ${firstLine(message)}`, remedy);
}

/**
 * An error's remedy as test-portal can follow it: a Graph that stayed busy or lagging past the budget
 * (75) names apply's --propagation-timeout, which test-portal does not take; its budget is --timeout.
 */
export function checkRemedy(err: EntraPortalError): string | undefined {
  if (err.exitCode !== ExitCode.TempFail) return err.remedy;
  return 'Microsoft Graph is busy or replicating slowly right now: run test-portal again later, or give its Entra reads more time with a larger --timeout (they may take twice as long)';
}
