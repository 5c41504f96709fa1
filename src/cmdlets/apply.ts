/**
 * apply: reconcile Microsoft Entra with the config: load → open the Graph session → preflight rights
 * (exit 77 before any write; --what-if needs only read rights, so a drift monitor may run
 * read-only) → observe → plan (pure) → print the plan on stderr → (--what-if stops here) →
 * confirm pruning on a terminal → execute the plan's writes → result. The edit verbs' `--apply`
 * call this too. The reconciliation itself is src/reconcile/reconcile.ts.
 */
import type { Context } from '../context.js';
import { toContext } from '../context.js';
import { assertEndpointsTrusted, withTrustedEndpoints } from '../cloud/trust.js';
import { ExitCode, InputError, InterruptedError, OperationError, UsageError, worstExitCode } from '../errors.js';
import { editConfig, loadConfig, resolveConfigPath } from '../config/index.js';
import { AUTH_MODES, type AuthMode } from '../cloud/auth-modes.js';
import type { GraphSession } from '../graph/session.js';
import { loadDesired } from '../reconcile/desired.js';
import { renderPlan } from '../reconcile/render.js';
import { configOption, displayPath } from '../util/paths.js';
import type { Change, Plan, PlannedRun } from '../reconcile/types.js';
import type { StepResult } from '../reconcile/execute.js';
import type { CertificateInfo } from '../certs/info.js';
import type { PortalConfig } from '../config/types.js';
import type { CustomerResult, CustomerRunInput } from './customer-apply.js';

export interface ApplyInput {
  /** config file path (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5) */
  config?: string;
  whatIf?: boolean;
  detailedExitcode?: boolean;
  /** remove what the config does not describe (unmanaged items) instead of keeping them */
  prune?: boolean;
  /** do not ask before pruning on a terminal */
  yes?: boolean;
  /** seconds; default 120 */
  propagationTimeout?: number;
  auth?: string;
  /**
   * What-if of an edit that was not written (the edit verbs' `--what-if --apply`): the config's
   * would-be text, and files that would exist (absolute path → bytes, e.g. a new certs/<T>.cer).
   * Nothing is written to show them.
   */
  preview?: { text: string; files?: ReadonlyMap<string, Buffer> };
  /** hosts of the config's custom endpoints trusted to receive credentials (adds to $ENTRA_PORTAL_TRUSTED_ENDPOINTS) */
  trustEndpoint?: string[];
  /**
   * An open Graph session to use instead of opening one (library use, tests, the bench); the caller
   * closes it. Its config should be the same file's.
   */
  session?: GraphSession;
  /**
   * Certificates (SHA-1) to remove from the application although --prune is not given: the outgoing
   * key of a finished rotation (rotate-cert --finish --apply). Every other unmanaged item is kept.
   */
  retire?: readonly string[];
  /** read-only runs: how long a missing service principal or grant is re-read (ms; default 10 s, capped by the budget) */
  settleMs?: number;
  /** how to open a session to a customer tenant (default src/session.ts openCustomerSession on the provider's session) */
  customerSession?: CustomerRunInput['openSession'];
}

export interface ApplyResult {
  version: 2;
  /** absolute path of the config file */
  config: string;
  tenant: string;
  /** the application's appId (absent when a what-if run would create it) */
  appId?: string;
  /** true when Entra matched the config before this run (nothing pending, nothing unmanaged) */
  inSync: boolean;
  whatIf: boolean;
  prune: boolean;
  /** what differed when the run started */
  plan: Plan;
  /** unmanaged items left in place (no --prune): still drift */
  kept: Change[];
  /** things to know that are not changes (e.g. a certificate expiring soon) */
  warnings: string[];
  /** per-step results in execution order (all `unchanged` when in sync); empty with --what-if */
  steps: StepResult[];
  /** service providers: each customer tenant's result, in the config's order (present when customers are configured) */
  customers?: CustomerResult[];
  /**
   * 0, or 2 with --detailed-exitcode when changes were pending (what-if) or made, or unmanaged items
   * remain; with customers the worst of theirs too (77: one needs consent; 1 or 75: one failed)
   */
  exitCode: number;
}

function checkInput(input: ApplyInput): void {
  const t = input.propagationTimeout;
  if (t !== undefined && (!Number.isInteger(t) || t <= 0)) {
    throw new UsageError(`--propagation-timeout must be a positive whole number of seconds (got ${String(t)})`);
  }
  if (input.auth !== undefined && !AUTH_MODES.includes(input.auth as AuthMode)) {
    throw new UsageError(`--auth must be one of ${AUTH_MODES.join(', ')} (got '${input.auth}')`);
  }
}

/** Certificates from the preview's would-be files, others from disk. */
function previewReader(files: ReadonlyMap<string, Buffer>): (path: string) => Promise<CertificateInfo> {
  return async (path) => {
    const bytes = files.get(path);
    const certs = await import('../certs/index.js');
    return bytes ? certs.certificateInfoFromBytes(bytes, path) : certs.readCertificateFile(path);
  };
}

/** Removing these cuts someone off: ask first on a terminal. */
const ASK_BEFORE_REMOVING = new Set<Change['resource']>(['keyCredential', 'passwordCredential', 'federatedCredential', 'redirectUri', 'owner']);

export async function apply(input: ApplyInput, partialCtx?: Partial<Context>): Promise<ApplyResult> {
  const ctx = withTrustedEndpoints(toContext(partialCtx), input.trustEndpoint);
  checkInput(input);
  const path = resolveConfigPath(ctx, input.config);
  const preview = input.whatIf ? input.preview : undefined;
  const loaded = await loadConfig(path, preview ? { text: preview.text } : {});
  assertEndpointsTrusted(loaded.config, ctx.env); // before anything is sent anywhere
  const desired = await loadDesired(loaded.config, loaded.dir, preview?.files?.size ? { readCertificate: previewReader(preview.files) } : {});
  const prune = input.prune === true;
  const whatIf = input.whatIf === true;

  // a config that cannot work fails before any sign-in or network
  const { requireApplication } = await import('../reconcile/observe.js');
  requireApplication(desired);

  const { openSession } = await import('../session.js');
  const { toPortalError } = await import('../graph/errors.js');
  let session: GraphSession | undefined = input.session;
  /** what this run changed, in order: for the message when it is stopped halfway */
  const done: string[] = [];
  try {
    session ??= await openSession(loaded, ctx, {
      ...(input.auth ? { auth: input.auth as AuthMode } : {}),
      ...(input.propagationTimeout ? { propagationTimeout: input.propagationTimeout } : {}),
    });
    const s = session;
    const { checkOperatorRights, requireRights, RIGHTS } = await import('../graph/preflight.js');
    const { reconcile } = await import('../reconcile/reconcile.js');
    const { SETTLE_MS } = await import('../reconcile/observe.js');
    const operator = await checkOperatorRights(s, ctx, { need: whatIf ? 'read' : 'apply' });
    const outcome = await reconcile({
      session: s,
      desired,
      prune,
      whatIf,
      ...(input.retire?.length ? { retire: input.retire } : {}),
      settleMs: input.settleMs ?? Math.min(SETTLE_MS, s.retry.budgetMs),
      recordAppId: async (id) => {
        await editConfig(loaded.path, ctx, (doc) => doc.set(['application', 'appId'], id));
        done.push(`recorded application.appId ${id} in the config`);
        ctx.log.info(`  ${ctx.color.green('✔')} recorded application.appId = ${id} in ${displayPath(loaded.path, ctx.cwd)}`);
      },
      onPlan: (run, attempt) => {
        if (attempt === 1 || run.writes.length > 0) ctx.log.info(renderPlan(run.plan, ctx.color).trimEnd());
      },
      confirm: async (run) => {
        if (run.writes.some((w) => w.op === 'deleteAppRoleAssignment')) requireRights(operator, [RIGHTS.appRoleAssignmentWrite], 'removing application permissions (--prune)');
        return confirmPrune(run, input, ctx);
      },
      onStep: (r) => {
        if (r.status !== 'unchanged') done.push(`${r.step} ${r.status}`);
        // the appId's own line says where it was recorded
        if (r.step === 'config') return;
        if (r.status !== 'unchanged') ctx.log.info(`  ${ctx.color.green('✔')} ${r.step}: ${r.status}`);
        else ctx.log.verbose(`  ${r.step}: unchanged`);
      },
    });
    if (outcome.declined) {
      throw new OperationError('pruning was not confirmed: nothing was changed', {
        code: 'prune-declined',
        remedy: 'Run entra-portal apply without --prune to keep the unmanaged items (they stay drift), or with --prune --yes to remove them without asking.',
      });
    }
    const first = outcome.first;
    const inSync = first.plan.changes.length === 0;
    const kept = outcome.last.plan.changes.filter((c) => c.action === 'keep');
    const warnings = [...first.warnings];
    if (kept.length > 0) {
      const n = kept.length;
      const spa = kept.some((c) => c.resource === 'redirectUri' && c.field === 'spa.redirectUris');
      warnings.push(
        `${n} item${n === 1 ? '' : 's'} in Entra not described by the config ${whatIf ? 'would be' : n === 1 ? 'was' : 'were'} kept (still drift): remove ${n === 1 ? 'it' : 'them'} with "entra-portal apply --prune"${spa ? '; a redirect URI that belongs can be allowed with "entra-portal set-app --extra-redirect-uri <url>"' : ''}.`,
      );
    }
    for (const w of warnings) ctx.log.warn(w);
    if (whatIf && !inSync) ctx.log.info(ctx.color.dim('--what-if: nothing was changed.'));
    const changed = inSync ? 0 : input.detailedExitcode ? ExitCode.Drift : 0;
    const { ASPECTS } = await import('../reconcile/types.js');
    const steps = whatIf ? [] : inSync ? ASPECTS.map((step) => ({ step, status: 'unchanged' as const })) : outcome.steps;
    const customers = await reconcileCustomers(loaded.config, s, outcome.appId, input, ctx);
    return {
      version: 2,
      config: loaded.path,
      tenant: s.tenant,
      ...(outcome.appId ? { appId: outcome.appId } : {}),
      inSync: inSync && (customers ?? []).every((c) => c.status === 'in-sync'),
      whatIf,
      prune,
      plan: { ...first.plan, changes: [...first.plan.changes, ...(customers ?? []).flatMap((c) => c.plan.changes)] },
      kept: [...kept, ...(customers ?? []).flatMap((c) => c.kept)],
      warnings,
      steps,
      ...(customers ? { customers } : {}),
      exitCode: worstExitCode([changed, ...(customers ?? []).map((c) => c.exitCode)]),
    };
  } catch (err) {
    if (ctx.signal?.aborted) throw stopped(ctx.signal.reason, done, whatIf, err);
    // the Graph layer does not know the config: its set-app command names it here, to run as printed
    if (err instanceof InputError && err.code === 'owner-not-found' && err.remedy) {
      throw new InputError(err.message, { code: err.code, cause: err.cause, remedy: err.remedy.replace('set-app ', `set-app${configOption(path, ctx.cwd)} `) });
    }
    throw toPortalError(err);
  } finally {
    if (session && !input.session) await session.close();
  }
}

/** Service providers: each customer tenant after the application (docs/service-providers.md); undefined without customers. */
async function reconcileCustomers(config: PortalConfig, provider: GraphSession, appId: string | undefined, input: ApplyInput, ctx: Context): Promise<CustomerResult[] | undefined> {
  const customers = config.customers ?? [];
  if (customers.length === 0) return undefined;
  const [{ applyCustomers }, { openCustomerSession }, { SETTLE_MS }] = await Promise.all([import('./customer-apply.js'), import('../session.js'), import('../reconcile/observe.js')]);
  const auth = input.auth as AuthMode | undefined;
  const results = await applyCustomers({
    customers,
    config,
    appId,
    openSession: input.customerSession ?? ((c) => openCustomerSession(provider, c, ctx, auth ? { auth } : {})),
    whatIf: input.whatIf === true,
    prune: input.prune === true,
    detailedExitcode: input.detailedExitcode === true,
    settleMs: input.settleMs ?? Math.min(SETTLE_MS, provider.retry.budgetMs),
    // the embedded emulator's address lives only as long as this run: no link to it
    ...(provider.endpoints.region === 'Emulator' ? {} : { endpoints: provider.endpoints }),
    ctx,
  });
  for (const r of results) {
    if (r.status === 'needs-consent' || r.status === 'failed') ctx.log.warn(`${r.message}${r.remedy ? `\n  ${r.remedy}` : ''}`);
  }
  return results;
}

/**
 * On a terminal, --prune asks before removing a credential, a redirect URI or an owner (unless --yes):
 * the owner removed may be how the operator, or a colleague, edits the application at all.
 */
async function confirmPrune(run: PlannedRun, input: ApplyInput, ctx: Context): Promise<boolean> {
  if (!input.prune || input.yes) return true;
  const risky = run.plan.changes.filter((c) => c.action === 'remove' && c.unmanaged && ASK_BEFORE_REMOVING.has(c.resource));
  if (risky.length === 0) return true;
  // without a terminal, --prune was asked for: proceed (a scheduler cannot answer)
  if (!ctx.stdin.isTTY || !ctx.stderr.isTTY) return true;
  const { askConfirm } = await import('../util/prompt.js');
  return askConfirm(
    `Remove ${risky.length} credential${risky.length === 1 ? '' : 's'} / redirect URI${risky.length === 1 ? '' : 's'} / owner${risky.length === 1 ? '' : 's'} the config does not describe (listed above)?`,
    'the --prune question',
    ctx,
  );
}

/** Stopped by Ctrl-C or SIGTERM: what was done, and that running apply again finishes the job. */
function stopped(reason: unknown, done: readonly string[], whatIf: boolean, cause: unknown): InterruptedError {
  const signal = InterruptedError.from(reason).signal;
  const what = whatIf || done.length === 0 ? 'nothing was changed' : `done so far: ${done.join(', ')}`;
  return InterruptedError.from(reason, `apply stopped (${signal}); ${what}`, {
    cause,
    remedy: whatIf || done.length === 0
      ? 'Run it again when you are ready.'
      : 'Run "entra-portal apply" again: it reads what Entra holds now and finishes the rest (every step is safe to repeat; the application is found again by its appId or uniqueName).',
  });
}
