/**
 * export-vb365: everything the VB365 server needs to use the application this tool registered, in
 * one folder — the certificate with its private key as a PFX (as export-cert writes it) and
 * Enable-RestorePortal.ps1, which configures VB365 with Set-VBORestorePortalSettings and checks the
 * result with Get-VBORestorePortalSettings (src/vb365/enable-script.ts). Refused (65) with the step
 * to take first when the config records no appId (apply has not registered the application), no
 * portal URL, or no certificate, or when the store here lacks the certificate's key.
 */
import { basename, resolve } from 'node:path';
import { vb365Files } from '../certs/paths.js';
import { toContext, type Context } from '../context.js';
import { InputError, UsageError } from '../errors.js';
import { checkOutputFile, pfxFor, requireStored, writeExportFile } from '../certs/export.js';
import { checkPasswordSource, newPassword, type PasswordSource } from '../certs/password.js';
import { openStore, resolveStoreDir } from '../certs/store.js';
import { resolveRegion } from '../cloud/regions.js';
import { validatePortalUrl } from '../url/portal-url.js';
import { configOption, displayPath } from '../util/paths.js';
import { SCRIPT_NAME, SCRIPT_PASSWORD_VARIABLE, VB365_DEFAULT_REST_PORT, VB365_REGIONS, enableScript } from '../vb365/enable-script.js';
import { configuredAppId, configuredCertificate } from './configured.js';
import { expiryWarnings, exportedFacts, profileOf, type ExportedPfx } from './export-cert.js';

export interface ExportVb365Input extends PasswordSource {
  config?: string;
  /** the folder to write into (created when missing) */
  out: string;
  legacy?: boolean;
  /** replace existing files in the folder */
  force?: boolean;
  store?: string;
  whatIf?: boolean;
}

export interface ExportVb365Result {
  whatIf: boolean;
  /** absolute path of the config the values come from */
  config: string;
  applicationId: string;
  /** as VB365 names it (VBOOffice365Region) */
  region: string;
  portalUri: string;
  restApiPort: number;
  thumbprint: string;
  pfx: ExportedPfx;
  /** absolute path of Enable-RestorePortal.ps1 */
  script: string;
  /** the environment variable the script reads the PFX password from (else it asks) */
  passwordVariable: string;
  warnings: string[];
}

/** The region as VB365 names it; custom endpoints have no VB365 region (Worldwide, with a warning). */
function vb365Region(region: string | undefined, custom: boolean, warnings: string[]): (typeof VB365_REGIONS)[number] {
  if (custom) {
    warnings.push('the config uses custom endpoints, which VB365 does not know: the script sets Region Worldwide');
    return 'Worldwide';
  }
  const resolved = resolveRegion(region ?? 'Worldwide');
  if (resolved.name === 'Emulator') {
    warnings.push('the config is of region Emulator, which VB365 does not know: the script sets Region Worldwide, and its application exists only in the local emulator (for a real VB365, register the application in a real tenant)');
  }
  return resolved.vb365 as (typeof VB365_REGIONS)[number];
}

export async function exportVb365(input: ExportVb365Input, ctxIn?: Partial<Context>): Promise<ExportVb365Result> {
  const ctx = toContext(ctxIn);
  if (!input.out) throw new UsageError('export-vb365 needs --out <folder>: where to write the PFX and Enable-RestorePortal.ps1');
  checkPasswordSource(input);
  const { loaded, thumbprint } = await configuredCertificate(ctx, input.config);
  const applicationId = configuredAppId(loaded);
  const c = loaded.config;
  if (!c.portal?.url) {
    throw new InputError(`${loaded.path} has no portal.url: VB365 needs the Restore Portal's web address`, {
      code: 'no-portal-url',
      remedy: 'set it first: entra-portal set-portal-url https://<host>:<port> --apply',
    });
  }
  const portal = validatePortalUrl(c.portal.url, c.portal.restApiPort ?? VB365_DEFAULT_REST_PORT);
  const warnings: string[] = [];
  const region = vb365Region(c.region, c.endpoints !== undefined, warnings);

  const folder = resolve(ctx.cwd, input.out);
  const { pfx: pfxPath, script: scriptPath } = vb365Files(folder, thumbprint, SCRIPT_NAME);
  const force = input.force === true;
  const whatIf = input.whatIf === true;
  // both files are checked before anything is asked or written: a refusal leaves the folder as it is
  const pfxExists = (await checkOutputFile(pfxPath, force, ctx)).exists;
  await checkOutputFile(scriptPath, force, ctx);

  const storeDir = resolveStoreDir(ctx, input.store);
  await openStore(storeDir, ctx);
  const stored = await requireStored(storeDir, thumbprint, ctx, `export-vb365 runs where the private key is: the machine whose store holds ${thumbprint}`);
  warnings.push(...expiryWarnings(stored.info, ctx.clock.now()));
  if (c.certificate?.previous) {
    ctx.log.info(`a rotation is in progress: exporting the new certificate ${thumbprint}; finish it with entra-portal rotate-cert${configOption(loaded.path, ctx.cwd)} --finish --apply once VB365 uses it`);
  }
  for (const w of warnings) ctx.log.warn(w);

  const { packageVersion } = await import('../version.js');
  const script = enableScript({
    applicationId,
    region,
    portalUri: portal.url,
    restApiPort: portal.port,
    thumbprint,
    pfxFileName: basename(pfxPath),
    configName: basename(loaded.path),
    generatedAt: new Date(ctx.clock.now()).toISOString(),
    toolVersion: packageVersion(),
  });
  const profile = profileOf(input.legacy);
  let replaced = pfxExists;
  if (whatIf) {
    ctx.log.info(`what-if: would write ${displayPath(pfxPath, ctx.cwd)} and ${displayPath(scriptPath, ctx.cwd)}; nothing was written`);
  } else {
    const password = await newPassword(input, ctx, displayPath(pfxPath, ctx.cwd));
    const written = await writeExportFile(pfxPath, await pfxFor(stored, password, profile), force, ctx);
    replaced = written.replaced;
    try {
      await writeExportFile(scriptPath, script, force, ctx);
    } catch (err) {
      // one without the other is no hand-off: a PFX this run created goes again
      if (!written.replaced) await import('node:fs/promises').then((fs) => fs.rm(pfxPath, { force: true }));
      throw err;
    }
  }
  return {
    whatIf,
    config: loaded.path,
    applicationId,
    region,
    portalUri: portal.url,
    restApiPort: portal.port,
    thumbprint,
    pfx: exportedFacts(pfxPath, stored.info, profile, replaced),
    script: scriptPath,
    passwordVariable: SCRIPT_PASSWORD_VARIABLE,
    warnings,
  };
}
