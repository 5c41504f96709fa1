/**
 * rotate-cert: replace the application's certificate without a moment in which VB365's key is not
 * accepted. Four commands (docs/certificates.md, "Rotating the certificate"):
 *
 *   rotate-cert --generate --apply      the new certificate becomes certificate.*, the outgoing one
 *                                       certificate.previous; apply registers the new key and keeps
 *                                       the old one (both are managed: no drift)
 *   export-vb365 … + the script         VB365 switches to the new key
 *   rotate-cert --finish --apply        proves the new key signs in (a real token request), removes
 *                                       certificate.previous, and apply removes the old key
 *
 * --finish --apply removes exactly the outgoing certificate (apply's `retire`), not every unmanaged
 * item as --prune would: finishing a rotation must not also delete, unasked, a secret or redirect URI
 * someone else added — those stay reported as drift for the operator to judge.
 */
import { toContext, type Context } from '../context.js';
import { InputError, OperationError, UsageError } from '../errors.js';
import { editConfig, loadConfig, resolveConfigPath } from '../config/index.js';
import { requireStored } from '../certs/export.js';
import { resolveStoreDir } from '../certs/store.js';
import type { AppSignIn } from '../certs/sign-in.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { PortalConfig } from '../config/types.js';
import type { ConfigDocument } from '../config/document.js';
import { assertEndpointsTrusted, withTrustedEndpoints } from '../cloud/trust.js';
import { displayPath } from '../util/paths.js';
import { configuredAppId } from './configured.js';
import { toVerbResult, type ChainedApplyOptions, type EditVerbResult } from './edit-verb.js';
import { selectCertificate, type InstallCertInput, type InstalledCertificate } from './install-cert.js';

export interface RotateCertInput extends InstallCertInput {
  /** end the rotation: prove the new certificate, then drop certificate.previous */
  finish?: boolean;
}

export interface RotateCertResult extends EditVerbResult {
  verb: 'rotate-cert';
  /** `started`: a new certificate is configured, the old one is previous; `finished`: previous is gone */
  stage: 'started' | 'finished';
  /** the configured (new) certificate */
  certificate: Pick<InstalledCertificate, 'thumbprint' | 'file'> & Partial<InstalledCertificate>;
  /** the outgoing certificate (certificate.previous during the rotation; removed by --finish) */
  previous: { thumbprint: string; file: string };
  /** --finish: the sign-in with the new key that proved it (no token) */
  signIn?: AppSignIn;
}

type Previous = NonNullable<NonNullable<PortalConfig['certificate']>['previous']>;

function previousOf(doc: ConfigDocument): Previous | undefined {
  const p = doc.get(['certificate', 'previous']) as Previous | undefined;
  return p && typeof p.thumbprint === 'string' ? p : undefined;
}

function rotationInProgress(previous: Previous): InputError {
  return new InputError(`a rotation is already in progress: certificate.previous is ${previous.thumbprint}`, {
    code: 'rotation-in-progress',
    remedy: 'finish it first (entra-portal rotate-cert --finish --apply, once VB365 uses the new certificate), then rotate again',
  });
}

function nothingToRotate(file: string): InputError {
  return new InputError(`${file} names no certificate to rotate from (certificate.thumbprint and certificate.file)`, {
    code: 'no-certificate',
    remedy: 'choose the first one with entra-portal install-cert --generate (or --pfx <file>)',
  });
}

export async function rotateCert(input: RotateCertInput, ctxIn?: Partial<Context>): Promise<RotateCertResult> {
  const ctx = toContext(ctxIn);
  if (input.finish) {
    const sources = [input.generate && '--generate', input.pfx !== undefined && '--pfx', input.thumbprint !== undefined && '--thumbprint'].filter(Boolean);
    if (sources.length) throw new UsageError(`--finish takes no new certificate (${sources.join(', ')}): it ends the rotation in progress`);
    return finishRotation(input, ctx);
  }
  if (!input.generate && input.pfx === undefined && input.thumbprint === undefined) {
    throw new UsageError('rotate-cert needs the new certificate: --generate, --pfx <file> or --thumbprint <sha1> — or --finish to end the rotation in progress');
  }
  const path = resolveConfigPath(ctx, input.config);
  let outgoing: Previous | undefined;
  const selected = await selectCertificate(input, ctx, {
    verb: 'rotate-cert',
    check(config) {
      if (config.certificate?.previous) throw rotationInProgress(config.certificate.previous);
      if (!config.certificate?.thumbprint || !config.certificate.file) throw nothingToRotate(displayPath(path, ctx.cwd));
    },
    edit(doc, chosen) {
      const before = previousOf(doc);
      if (before) throw rotationInProgress(before);
      const thumbprint = doc.get(['certificate', 'thumbprint']);
      const file = doc.get(['certificate', 'file']);
      if (typeof thumbprint !== 'string' || typeof file !== 'string') throw nothingToRotate(displayPath(path, ctx.cwd));
      if (thumbprint.toUpperCase() === chosen.thumbprint) {
        throw new InputError(`certificate ${chosen.thumbprint} is already the configured one: a rotation needs another certificate`, {
          code: 'same-certificate',
          remedy: 'rotate to a new one: entra-portal rotate-cert --generate (or --pfx <file>, or --thumbprint of another store entry)',
        });
      }
      outgoing = { thumbprint: thumbprint.toUpperCase(), file };
      doc.set(['certificate', 'thumbprint'], chosen.thumbprint);
      doc.set(['certificate', 'file'], chosen.file);
      doc.set(['certificate', 'previous'], outgoing);
    },
  });
  return { ...selected, verb: 'rotate-cert', stage: 'started', previous: outgoing! };
}

/**
 * --finish: the new key must sign in before the old one goes — otherwise VB365 (still holding the
 * old key, or given a new one Entra does not accept) would be cut off. Then certificate.previous
 * leaves the config and, with --apply, the old key leaves Entra.
 */
async function finishRotation(input: RotateCertInput, ctxIn: Context): Promise<RotateCertResult> {
  const applyOptions: ChainedApplyOptions = typeof input.apply === 'object' ? input.apply : {};
  const ctx = withTrustedEndpoints(ctxIn, applyOptions.trustEndpoint);
  const whatIf = input.whatIf === true;
  const path = resolveConfigPath(ctx, input.config);
  const loaded = await loadConfig(path);
  const c = loaded.config.certificate;
  if (!c?.previous) {
    throw new InputError(`no rotation is in progress: ${displayPath(path, ctx.cwd)} has no certificate.previous`, {
      code: 'no-rotation',
      remedy: 'start one with entra-portal rotate-cert --generate (or --pfx <file>, or --thumbprint <sha1>)',
    });
  }
  if (!c.thumbprint || !c.file) throw nothingToRotate(displayPath(path, ctx.cwd));
  const previous = { thumbprint: c.previous.thumbprint.toUpperCase(), file: c.previous.file };
  const appId = configuredAppId(loaded);
  const storeDir = resolveStoreDir(ctx, input.store);
  const stored = await requireStored(storeDir, c.thumbprint.toUpperCase(), ctx, 'the proof signs in with the new key: run --finish where it is');

  // the proof sends a client assertion signed with the new key: only to endpoints the user trusts
  assertEndpointsTrusted(loaded.config, ctx.env);
  const { openSession } = await import('../session.js');
  const session = await openSession(loaded, ctx, {
    ...(applyOptions.auth ? { auth: applyOptions.auth as AuthMode } : {}),
    ...(applyOptions.propagationTimeout ? { propagationTimeout: applyOptions.propagationTimeout } : {}),
  });
  try {
    const { signInAsApplication, signInRemedy } = await import('../certs/sign-in.js');
    ctx.log.progress(`signing in as application ${appId} with the new certificate ${stored.info.thumbprint}…`);
    let signIn: AppSignIn;
    try {
      signIn = await signInAsApplication(session, appId, stored, ctx.signal);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      throw new OperationError(`the new certificate ${stored.info.thumbprint} does not sign in as application ${appId} yet: ${text.split('\n')[0]}`, {
        code: 'sign-in-failed',
        cause: err,
        remedy: `${signInRemedy(text)}. Nothing was changed: the old certificate ${previous.thumbprint} stays registered.`,
      });
    } finally {
      ctx.log.done();
    }
    ctx.log.info(`  ${ctx.color.green('✔')} signed in as application ${appId} with the new certificate ${stored.info.thumbprint}`);

    const edit = await editConfig(
      path,
      ctx,
      (doc) => {
        // only the rotation this run proved: a concurrent change of the config is not overwritten
        const now = previousOf(doc);
        if (now && now.thumbprint.toUpperCase() === previous.thumbprint) doc.delete(['certificate', 'previous']);
      },
      { whatIf },
    );
    const warnings: string[] = [];
    if (!input.apply && edit.changed) {
      warnings.push(
        `the old certificate ${previous.thumbprint} is still registered in Entra and is now unmanaged (drift): entra-portal apply --prune removes it (with every other unmanaged item); rotate-cert --finish --apply removes just it`,
      );
    }
    for (const w of warnings) ctx.log.warn(w);
    const result: RotateCertResult = {
      ...toVerbResult('rotate-cert', edit, warnings),
      verb: 'rotate-cert',
      stage: 'finished',
      certificate: {
        thumbprint: stored.info.thumbprint,
        file: c.file,
        subject: stored.info.subject,
        notBefore: stored.info.notBefore.toISOString(),
        notAfter: stored.info.notAfter.toISOString(),
        store: storeDir,
        source: 'store',
      },
      previous,
      signIn,
    };
    if (input.apply) {
      const { apply } = await import('./apply.js');
      const preview = whatIf ? (await import('../config/edit.js')).editedText(edit) : undefined;
      try {
        result.apply = await apply(
          { ...applyOptions, config: path, whatIf, retire: [previous.thumbprint], session, ...(preview !== undefined ? { preview: { text: preview } } : {}) },
          ctx,
        );
      } catch (err) {
        if (!whatIf && edit.changed) {
          ctx.log.warn(
            `certificate.previous was removed from ${displayPath(path, ctx.cwd)}, but removing the old key ${previous.thumbprint} from Entra failed: it is now unmanaged (drift). Remove it with entra-portal apply --prune (which removes every unmanaged item), or in the Entra admin center.`,
          );
        }
        throw err;
      }
    }
    return result;
  } finally {
    await session.close();
  }
}
