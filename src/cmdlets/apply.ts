/**
 * apply: reconcile Microsoft Entra with the config (DESIGN §4): load → open the Graph session →
 * preflight rights (exit 77 before any write; --what-if needs only read rights, so a drift monitor
 * may run read-only) → observe → plan (pure) → print the plan on stderr → (--what-if stops here) →
 * execute step by step → result. The edit verbs' `--apply` call this too.
 */
import type { Context } from '../context.js';
import { toContext } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { editConfig, loadConfig, resolveConfigPath } from '../config/index.js';
import { AUTH_MODES, type AuthMode } from '../cloud/auth-modes.js';
import type { GraphSession } from '../graph/session.js';
import { loadDesired } from '../reconcile/desired.js';
import { plan as makePlan, inSync as planInSync } from '../reconcile/plan.js';
import { renderPlan } from '../reconcile/render.js';
import { displayPath } from '../util/paths.js';
import type { Plan } from '../reconcile/types.js';
import type { StepResult } from '../reconcile/execute.js';
import type { CertificateInfo } from '../certs/info.js';

export interface ApplyInput {
  /** config file path (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5) */
  config?: string;
  whatIf?: boolean;
  detailedExitcode?: boolean;
  prune?: boolean;
  /** seconds; default 120 */
  propagationTimeout?: number;
  auth?: string;
  /**
   * What-if of an edit that was not written (the edit verbs' `--what-if --apply`): the config's
   * would-be text, and files that would exist (absolute path → bytes, e.g. a new certs/<T>.cer).
   * Nothing is written to show them.
   */
  preview?: { text: string; files?: ReadonlyMap<string, Buffer> };
  /**
   * An open Graph session to use instead of opening one (library use, tests, the bench); the caller
   * closes it. Its config should be the same file's.
   */
  session?: GraphSession;
}

export interface ApplyResult {
  version: 1;
  /** absolute path of the config file */
  config: string;
  tenant: string;
  /** the application's appId (absent when a what-if run would create it) */
  appId?: string;
  /** true when nothing was pending before this run */
  inSync: boolean;
  whatIf: boolean;
  prune: boolean;
  plan: Plan;
  /** per-step results in execution order (all `unchanged` when in sync); empty with --what-if */
  steps: StepResult[];
  /** 0, or 2 with --detailed-exitcode when changes were pending (what-if) or made */
  exitCode: 0 | 2;
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

export async function apply(input: ApplyInput, partialCtx?: Partial<Context>): Promise<ApplyResult> {
  const ctx = toContext(partialCtx);
  checkInput(input);
  const path = resolveConfigPath(ctx, input.config);
  const preview = input.whatIf ? input.preview : undefined;
  const loaded = await loadConfig(path, preview ? { text: preview.text } : {});
  const desired = await loadDesired(loaded.config, loaded.dir, preview?.files?.size ? { readCertificate: previewReader(preview.files) } : {});
  const prune = input.prune === true;
  const whatIf = input.whatIf === true;

  const { openSession } = await import('../session.js');
  const { toPortalError } = await import('../graph/errors.js');
  let session: GraphSession | undefined = input.session;
  try {
    session ??= await openSession(loaded, ctx, {
      ...(input.auth ? { auth: input.auth as AuthMode } : {}),
      ...(input.propagationTimeout ? { propagationTimeout: input.propagationTimeout } : {}),
    });
    const { checkOperatorRights } = await import('../graph/preflight.js');
    const { observe } = await import('../reconcile/observe.js');
    await checkOperatorRights(session, ctx, { need: whatIf ? 'read' : 'apply' });
    const { observed } = await observe(session, desired);
    const thePlan = makePlan(desired, observed, { prune });
    const inSync = planInSync(thePlan);
    ctx.log.info(renderPlan(thePlan, ctx.color).trimEnd());

    const base = { version: 1 as const, config: loaded.path, tenant: session.tenant, inSync, whatIf, prune, plan: thePlan };
    const changed = inSync ? 0 : input.detailedExitcode ? ExitCode.Drift : 0;
    const appId = observed.application?.appId;
    if (whatIf) {
      if (!inSync) ctx.log.info(ctx.color.dim('--what-if: nothing was changed.'));
      return { ...base, ...(appId ? { appId } : {}), steps: [], exitCode: changed as 0 | 2 };
    }
    const { execute, STEPS } = await import('../reconcile/execute.js');
    if (inSync) {
      return { ...base, ...(appId ? { appId } : {}), steps: STEPS.map((step) => ({ step, status: 'unchanged' as const })), exitCode: 0 };
    }

    const outcome = await execute({
      session,
      desired,
      observed,
      options: { prune },
      recordAppId: async (id) => {
        await editConfig(loaded.path, ctx, (doc) => doc.set(['application', 'appId'], id));
        ctx.log.info(`  ${ctx.color.green('✔')} recorded application.appId = ${id} in ${displayPath(loaded.path, ctx.cwd)}`);
      },
      onStep: (r) => {
        if (r.status !== 'unchanged') ctx.log.info(`  ${ctx.color.green('✔')} ${r.step}: ${r.status}`);
        else ctx.log.verbose(`  ${r.step}: unchanged`);
      },
    });
    return { ...base, appId: outcome.appId, steps: outcome.steps, exitCode: changed as 0 | 2 };
  } catch (err) {
    throw toPortalError(err);
  } finally {
    if (session && !input.session) await session.close();
  }
}
