/**
 * demo: the whole job, start to finish, against the embedded Entra emulator, in a temporary folder.
 * Narrated on stderr, step by step, with the command line a user would type for each step; the
 * result (steps and their outcome) is the return value.
 *
 * It calls the same cmdlets the CLI runs. One Graph session (the embedded emulator, with its state in
 * `<folder>/.entra-portal/`) serves every apply and test-portal step, and also plays "another
 * administrator" who changes the application behind the config's back.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { fsFailure, makeDirectory } from '../util/fs.js';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from '../context.js';
import { toContext } from '../context.js';
import { InputError, LockedError, OperationError, TransientError, UsageError } from '../errors.js';

export interface DemoInput {
  /** keep the folder afterwards (default: removed) */
  keep?: boolean;
  /** run in this folder instead of a new temporary one (it is never removed) */
  dir?: string;
}

export interface DemoStep {
  step: string;
  /** the equivalent command line */
  command: string;
  /** the exit code the CLI would give for this step */
  exitCode: number;
  expectedExitCode: number;
  ok: boolean;
  summary: string;
}

export interface DemoResult {
  passed: boolean;
  folder: string;
  kept: boolean;
  appId?: string;
  portalUrl: string;
  steps: DemoStep[];
}

const APP_NAME = 'Veeam Restore Portal (demo)';
const TENANT = 'contoso.onmicrosoft.com';

/** A free loopback port for the REST API stand-in (the portal's port). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof addr !== 'object' || !addr) throw new OperationError('could not find a free port for the REST API stand-in');
  return addr.port;
}

/**
 * `--dir`: the demo writes a config, certs/, a store with private keys and emulator state there, so
 * only a new or empty folder will do (never someone's project folder, or /etc).
 */
async function emptyFolder(dir: string): Promise<string> {
  try {
    await makeDirectory(dir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const remedy = 'Give a new or empty folder, e.g. --dir ./entra-portal-demo, or leave out --dir to use a temporary one.';
    // a file where the folder (or one of its parents) should be: the command line names the wrong thing
    if (e.code === 'ENOTDIR') throw new InputError(`--dir ${dir}: ${fsFailure(err)}`, { code: 'demo-dir-not-a-folder', remedy });
    throw new OperationError(`--dir ${dir}: ${fsFailure(err)}`, { cause: err, remedy });
  }
  const entries = await readdir(dir);
  if (entries.length > 0) {
    throw new InputError(`--dir ${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}): the demo writes entra-portal.json5, certs/, store/ and .entra-portal/ there`, {
      code: 'demo-dir-not-empty',
      remedy: 'Give a new or empty folder, e.g. --dir ./entra-portal-demo, or leave out --dir to use a temporary one.',
    });
  }
  return dir;
}

export async function demo(input: DemoInput = {}, partialCtx?: Partial<Context>): Promise<DemoResult> {
  const ctx = toContext(partialCtx);
  const { color, log } = ctx;
  if (input.dir !== undefined && !input.dir.trim()) {
    throw new UsageError('--dir is empty: give a new or empty folder, or leave out --dir to use a temporary one');
  }
  const folder = input.dir !== undefined ? await emptyFolder(resolve(ctx.cwd, input.dir)) : await mkdtemp(join(tmpdir(), 'entra-portal-demo-'));
  const keep = input.keep === true || input.dir !== undefined;
  // the folder holds a private key: when the run is stopped (Ctrl-C, SIGTERM) it goes at once,
  // before anything else gets a chance to end the process
  // (a listener must not throw: a file the stopping run writes meanwhile is retried, then let go)
  const removeNow = () => {
    try {
      rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      // the finally block below removes it again once the run has stopped writing
    }
  };
  if (!keep) ctx.signal?.addEventListener('abort', removeNow, { once: true });
  const config = join(folder, 'entra-portal.json5');
  const store = join(folder, 'store');
  // Steps run with the demo folder as their working directory, quietly: the demo narrates.
  const stepCtx: Context = { ...ctx, cwd: folder, env: { ...ctx.env, ENTRA_PORTAL_STORE: store } };
  const steps: DemoStep[] = [];
  let stepNo = 0;
  let commandLine = '';

  /** Narrate a step with the command line a user would type for it (recorded with the step). */
  const title = (text: string, command: string) => {
    stepNo += 1;
    commandLine = command;
    log.info(`\n${color.bold(`Step ${stepNo}. ${text}`)}\n${color.dim(`  $ ${command}`)}`);
  };
  const record = (step: string, exitCode: number, expectedExitCode: number, summary: string) => {
    const ok = exitCode === expectedExitCode;
    steps.push({ step, command: commandLine, exitCode, expectedExitCode, ok, summary });
    log.info(`  ${ok ? color.green('✔') : color.red('✖')} ${summary}${ok ? '' : color.red(` (exit ${exitCode}, expected ${expectedExitCode})`)}`);
    if (!ok) throw new OperationError(`demo step '${step}' did not behave as expected: ${summary}`);
  };

  log.info(`${color.bold('entra-portal demo')} — the Restore Portal's Entra application, end to end, against the embedded Entra emulator.`);
  log.info(`Folder: ${folder}${keep ? '' : ' (removed at the end; --keep to keep it)'}`);

  const [{ newApp }, { installCert }, { setPortalUrl }, { apply }, { testPortal, testPortalExitCode }, { loadConfig }, { openSession, EMULATOR_PKI_ENV }] =
    await Promise.all([
      import('./new-app.js'),
      import('./install-cert.js'),
      import('./set-portal-url.js'),
      import('./apply.js'),
      import('./test-portal.js'),
      import('../config/index.js'),
      import('../session.js'),
    ]);

  const port = await freePort();
  const portalUrl = `https://127.0.0.1:${port}`;
  let appId: string | undefined;
  let session: Awaited<ReturnType<typeof openSession>> | undefined;
  let restoreApi: { stop(): Promise<void> } | undefined;
  let passed = false;
  try {
    title('Describe the application to register', `entra-portal new-app --name '${APP_NAME}' --region Emulator --tenant ${TENANT}`);
    const created = await newApp({ name: APP_NAME, region: 'Emulator', tenant: TENANT }, stepCtx);
    record('new-app', 0, 0, `${created.created ? 'created' : 'updated'} entra-portal.json5 (uniqueName '${String(created.changes.find((c) => c.path === 'application.uniqueName')?.after ?? '')}')`);

    title('Generate the certificate the application signs in with', 'entra-portal install-cert --generate');
    const cert = await installCert({ generate: true, store }, stepCtx);
    record('install-cert', 0, 0, `self-signed ${cert.certificate.subject}, thumbprint ${cert.certificate.thumbprint}, valid until ${String(cert.certificate.notAfter).slice(0, 10)}; private key in the store (0600)`);

    title('Set the Restore Portal web address', `entra-portal set-portal-url ${portalUrl} --rest-api-port ${port}`);
    log.info(color.dim('  (a loopback address draws a warning: restore operators must reach the real address from their browsers)'));
    await setPortalUrl({ url: portalUrl, restApiPort: port }, { ...stepCtx, log: { ...log, warn: () => {} } });
    record('set-portal-url', 0, 0, `portal.url = ${portalUrl}, portal.restApiPort = ${port}`);

    const loaded = await loadConfig(config);
    session = await openSession(loaded, stepCtx);
    log.info(color.dim(`\n  embedded Entra emulator at ${session.endpoints.graph}, tenant ${session.tenant}`));
    const runApply = (extra: { whatIf?: boolean; detailedExitcode?: boolean; prune?: boolean; yes?: boolean }) =>
      apply({ config, session: session!, ...extra }, stepCtx);

    title('Register the application in Entra: apply the config', 'entra-portal apply');
    const first = await runApply({});
    appId = first.appId;
    record('apply', first.exitCode, 0, `applied ${first.plan.changes.length} changes; appId ${appId} recorded in the config`);

    title('Check for drift (what a cron job runs)', 'entra-portal apply --what-if --detailed-exitcode');
    const check = await runApply({ whatIf: true, detailedExitcode: true });
    record('drift-check', check.exitCode, 0, check.inSync ? 'in sync: exit 0' : `${check.plan.changes.length} changes pending`);

    title(
      'Someone changes the application behind our back',
      '(Graph) PATCH /applications/{id}: remove the portal redirect URI and the certificate; POST …/addPassword: add a client secret',
    );
    const { getApplicationByAppId, patchApplication } = await import('../graph/api.js');
    const { graphCall } = await import('../graph/request.js');
    const app = await getApplicationByAppId(session, appId!);
    if (!app) throw new OperationError(`the application ${appId} is missing right after apply`);
    await patchApplication(session, app.id, {
      spa: { redirectUris: (app.spa?.redirectUris ?? []).filter((u) => u.toLowerCase() !== portalUrl) },
      keyCredentials: [],
    });
    // what an intruder leaves behind: a secret to sign in as the application
    await graphCall(session, { method: 'POST', path: `/applications/${encodeURIComponent(app.id)}/addPassword`, body: { passwordCredential: { displayName: 'not ours' } } });
    record('tamper', 0, 0, 'redirect URI and certificate removed, a client secret added in Entra');

    title('The scheduled drift check notices', 'entra-portal apply --what-if --detailed-exitcode');
    const drift = await runApply({ whatIf: true, detailedExitcode: true });
    record('drift-detected', drift.exitCode, 2, `drift found: ${drift.plan.changes.length} differences (one an unmanaged client secret), exit 2`);

    title('Repair it, removing what the config does not describe', 'entra-portal apply --prune --yes');
    const repair = await runApply({ prune: true, yes: true });
    record('repair', repair.exitCode, 0, `applied ${repair.plan.changes.length} changes`);
    commandLine = 'entra-portal apply --what-if --detailed-exitcode';
    log.info(color.dim(`  $ ${commandLine}`));
    const after = await runApply({ whatIf: true, detailedExitcode: true });
    record('in-sync', after.exitCode, 0, 'in sync again: exit 0');

    title('Prove the portal works', 'entra-portal test-portal');
    log.info(color.dim(`  (a stand-in for the VB365 REST API answers GET /v8/RestorePortalSettings on ${portalUrl})`));
    const { startEmulator } = await import('../emulator/index.js');
    const authority = `${session.endpoints.login}/${session.tenant}`;
    // its TLS keys: the same pre-generated PKI as the embedded emulator's, when one is given
    const pki = stepCtx.env[EMULATOR_PKI_ENV];
    const stand = await startEmulator({
      ...(pki ? { pki } : {}),
      restoreApi: { port, settings: () => ({ applicationId: appId!, msalAuthorityUri: authority, restorePortalUri: portalUrl, isEnabled: true }) },
    });
    restoreApi = stand;
    const openSame = async () => ({ ...session!, close: async () => {} });
    const tested = await testPortal({ config, store, ca: stand.caPem, openSession: openSame }, { ...stepCtx });
    const { renderChecklist } = await import('../checks/render.js');
    log.info(
      renderChecklist(tested.checks, color)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    record('test-portal', testPortalExitCode(tested), 0, tested.passed ? 'every check passed (warnings allowed)' : 'a check failed');
    passed = true;
    log.info(`\n${color.green.bold('Demo complete.')} ${keep ? `The folder is kept: ${folder}` : ''}`);
    // the narrated commands need the demo's own store there (its key is not in the user's store)
    if (keep) log.info(`To run the commands above yourself: cd ${folder} and export ENTRA_PORTAL_STORE=${store} (the demo's certificate store).`);
    return { passed, folder, kept: keep, ...(appId ? { appId } : {}), portalUrl, steps };
  } catch (err) {
    // a Graph that stayed busy past the budget: the steps' remedy names apply's --propagation-timeout,
    // which demo does not take (a lock another run holds, also 75, keeps its own)
    if (err instanceof TransientError && !(err instanceof LockedError)) {
      throw new TransientError(err.message, {
        code: err.code,
        cause: err,
        remedy: `The embedded emulator stayed busy past the retry budget: run the demo again${ctx.env.ENTRA_PORTAL_EMULATOR_FAULTS ? ' without the faults $ENTRA_PORTAL_EMULATOR_FAULTS injects' : ' later'}.`,
      });
    }
    throw err;
  } finally {
    ctx.signal?.removeEventListener('abort', removeNow);
    await restoreApi?.stop();
    await session?.close();
    if (!keep) await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }
}
