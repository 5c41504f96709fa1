/**
 * install-cert: put the application's certificate in the store and select it in the config.
 * Three sources, as in the VB365 "Select Certificate" wizard (docs/vb365.md, "Certificate"):
 * --generate, --pfx <file>, --thumbprint <sha1> (already in the store).
 *
 * Effects, in order, each idempotent: the store entry (<store>/<T>.pfx + .cer), the public
 * certificate next to the config (certs/<T>.cer, DER — what Windows exports as .cer), then the
 * config's certificate.thumbprint and certificate.file (one locked, atomic edit). If the config
 * edit fails, a .cer this run created is removed again; a new store entry is kept (it is harmless
 * and makes a retry cheap). --what-if writes nothing anywhere.
 */
import { rm, rmdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { toContext, type Context } from '../context.js';
import { editConfig, loadConfig, resolveConfigPath, type ConfigDocument, type PortalConfig } from '../config/index.js';
import {
  DEFAULT_SUBJECT_NAME,
  MAX_CERTIFICATE_BYTES,
  daysUntilExpiry,
  openStore,
  resolveStoreDir,
  saveToStore,
  storeHas,
  type CertificateInfo,
} from '../certs/index.js';
import { makeDirectory, readRegularFile, writeFileAtomic } from '../util/fs.js';
import { certificateFile } from '../certs/paths.js';
import { checkSourceOptions, obtainCertificate, type CertificateSource, type SourceInput } from '../certs/sources.js';
import { InputError } from '../errors.js';
import { DEFAULT_WARN_DAYS } from '../reconcile/aspects/certificates.js';
import { displayPath } from '../util/paths.js';
import { chainApply, toVerbResult, type EditVerbInput, type EditVerbResult } from './edit-verb.js';

export interface InstallCertInput extends SourceInput, EditVerbInput {
  /** the store folder (default: $ENTRA_PORTAL_STORE, $XDG_DATA_HOME/entra-portal/store, ~/.local/share/entra-portal/store) */
  store?: string;
}

export interface InstalledCertificate {
  thumbprint: string;
  thumbprintSha256: string;
  subject: string;
  issuer: string;
  /** ISO 8601 */
  notBefore: string;
  notAfter: string;
  /** the public certificate, relative to the config file (forward slashes) */
  file: string;
  /** the store folder */
  store: string;
  source: CertificateSource;
}

export interface InstallCertResult extends EditVerbResult {
  verb: 'install-cert';
  certificate: InstalledCertificate;
}


function checkValidity(info: CertificateInfo, now: number, source: string): string[] {
  const day = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  if (info.notBefore.getTime() > now) {
    throw new InputError(`${source}: the certificate is not valid yet: valid from ${day(info.notBefore)} to ${day(info.notAfter)}`, {
      code: 'cert-not-yet-valid',
      remedy: 'check the system clock, or use a certificate that is valid now',
    });
  }
  if (info.notAfter.getTime() <= now) {
    throw new InputError(`${source}: the certificate expired on ${day(info.notAfter)} (valid from ${day(info.notBefore)})`, {
      code: 'cert-expired',
      remedy: 'renew it, or make a new one: entra-portal install-cert --generate',
    });
  }
  const days = daysUntilExpiry(info, now);
  return days < DEFAULT_WARN_DAYS
    ? [`certificate ${info.thumbprint} expires in ${days} day${days === 1 ? '' : 's'} (${day(info.notAfter)}): renew it soon`]
    : [];
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readRegularFile(path, { maxBytes: MAX_CERTIFICATE_BYTES, what: 'the certificate file' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function escapeDnValue(name: string): string {
  return name.replace(/([,+\\"<>;=])/g, '\\$1');
}

export async function installCert(input: InstallCertInput, ctxIn?: Partial<Context>): Promise<InstallCertResult> {
  const selected = await selectCertificate(input, toContext(ctxIn), {
    verb: 'install-cert',
    edit(doc, chosen) {
      doc.set(['certificate', 'thumbprint'], chosen.thumbprint);
      doc.set(['certificate', 'file'], chosen.file);
    },
  });
  return { ...selected, verb: 'install-cert' };
}

/** How a verb records the certificate it selected (install-cert: as the one; rotate-cert: as the new one). */
export interface CertificateSelection {
  verb: string;
  /** refuse (InputError) before anything is written; the config as loaded */
  check?(config: PortalConfig): void;
  /** the config edit, under the config's lock (re-check there what `check` checked: the file may have changed) */
  edit(doc: ConfigDocument, chosen: { thumbprint: string; file: string }): void;
}

/**
 * Obtain a certificate from a source, put it in the store and its public part beside the config,
 * then edit the config as `how` says (and `--apply`). Shared by install-cert and rotate-cert.
 */
export async function selectCertificate(
  input: InstallCertInput,
  ctx: Context,
  how: CertificateSelection,
): Promise<EditVerbResult & { certificate: InstalledCertificate }> {
  const whatIf = input.whatIf === true;
  checkSourceOptions(input); // usage errors (64) first: a wrong command line is reported before a missing config
  const configPath = resolveConfigPath(ctx, input.config);
  const loaded = await loadConfig(configPath); // missing or invalid config: stop before touching the store
  how.check?.(loaded.config);
  const storeDir = resolveStoreDir(ctx, input.store);
  if (whatIf) await openStore(storeDir, ctx); // read-only: a locked store or a wrong password shows up now
  const name = loaded.config.application?.name?.trim() || DEFAULT_SUBJECT_NAME;

  const got = await obtainCertificate(input, ctx, {
    storeDir,
    defaultSubject: `CN=${escapeDnValue(name)}`,
    ...(input.pfx !== undefined ? { pfxPath: resolve(ctx.cwd, input.pfx) } : {}),
  });
  const { info } = got;
  const warnings = checkValidity(info, ctx.clock.now(), input.pfx ?? info.thumbprint);
  for (const w of warnings) ctx.log.warn(w);

  const { file: relFile, path: cerPath } = certificateFile(loaded.dir, info.thumbprint);
  const der = Buffer.from(info.derBase64, 'base64');
  const existingCer = await readIfExists(cerPath);
  const cerNeedsWrite = !existingCer || !existingCer.equals(der);
  let storeWrite = got.source !== 'store' && !(await storeHas(storeDir, info.thumbprint));
  let cerCreated = false;
  let certsDirCreated = false;

  if (!whatIf) {
    if (got.source !== 'store') {
      const stored = await saveToStore(storeDir, { info, keyPem: got.keyPem, chainDer: got.chainDer, friendlyName: info.subject }, ctx);
      storeWrite = stored.created;
      if (stored.created) ctx.log.info(`added ${info.thumbprint} to the certificate store ${storeDir}`);
      else ctx.log.verbose(`already in the store: ${stored.pfxPath}`);
    }
    if (cerNeedsWrite) {
      certsDirCreated = (await makeDirectory(dirname(cerPath))) !== undefined;
      await writeFileAtomic(cerPath, der, 0o644);
      cerCreated = !existingCer;
      ctx.log.info(`wrote ${displayPath(cerPath, ctx.cwd)}`);
    }
  }

  let edit;
  try {
    edit = await editConfig(configPath, ctx, (doc) => how.edit(doc, { thumbprint: info.thumbprint, file: relFile }), { whatIf });
  } catch (err) {
    if (cerCreated) await rm(cerPath, { force: true });
    if (certsDirCreated) await rmdir(dirname(cerPath)).catch(() => undefined);
    throw err;
  }

  const result = {
    ...toVerbResult(how.verb, edit, warnings),
    certificate: {
      thumbprint: info.thumbprint,
      thumbprintSha256: info.thumbprintSha256,
      subject: info.subject,
      issuer: info.issuer,
      notBefore: info.notBefore.toISOString(),
      notAfter: info.notAfter.toISOString(),
      file: relFile,
      store: storeDir,
      source: got.source,
    },
  };
  // the store entry and the .cer are changes too, though not in the config file
  result.changed = edit.changed || storeWrite || cerNeedsWrite;
  if (whatIf) {
    if (storeWrite) ctx.log.info(`what-if: would add ${info.thumbprint} to the store ${storeDir}`);
    if (cerNeedsWrite) ctx.log.info(`what-if: would write ${displayPath(cerPath, ctx.cwd)}`);
  }

  // under --what-if the edit and the .cer exist only in memory: apply is shown them there
  if (input.apply) await chainApply(result, edit, ctx, input.apply, whatIf && cerNeedsWrite ? new Map([[cerPath, der]]) : undefined);
  return result;
}
