/**
 * The desired state from the config (docs/managed-surface.md). `desiredState` is pure;
 * `loadDesired` also reads the configured certificate's public part (certificate.file, relative to
 * the config). The config is the whole truth: what it does not list is not wanted.
 */
import { resolveFrom } from '../util/paths.js';
import type { PortalConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { AUDIENCE_MULTI, AUDIENCE_SINGLE } from '../model/portal.js';
import type { DesiredCertificate, DesiredState } from './types.js';
import { normalizeRedirectUri, redirectUriKey } from './uri.js';

/** What `desiredState` needs of a certificate (a subset of src/certs CertificateInfo). */
export interface CertificateFacts {
  thumbprint: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  derBase64: string;
}

export function desiredCertificate(info: CertificateFacts, role: DesiredCertificate['role'] = 'current'): DesiredCertificate {
  return {
    role,
    thumbprint: info.thumbprint.toUpperCase(),
    subject: info.subject,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    derBase64: info.derBase64,
  };
}

/**
 * Pure: config (+ the certificates already read: the configured one and, during a rotation, the
 * outgoing one) → desired state. Nothing is left unmanaged.
 */
export function desiredState(config: PortalConfig, certificate?: CertificateFacts, previous?: CertificateFacts): DesiredState {
  const app = config.application ?? {};
  const desired: DesiredState = {
    signInAudience: app.multiTenant === true ? AUDIENCE_MULTI : AUDIENCE_SINGLE,
    audienceDefaulted: app.multiTenant === undefined,
    redirectUris: [],
    certificates: [],
  };
  if (app.name !== undefined) desired.displayName = app.name;
  if (app.uniqueName !== undefined) desired.uniqueName = app.uniqueName;
  if (app.appId !== undefined) desired.appId = app.appId.toLowerCase();
  if (app.owners !== undefined) desired.owners = [...new Set(app.owners.map((o) => o.toLowerCase()))];

  const seen = new Set<string>();
  for (const u of [...(config.portal?.url !== undefined ? [config.portal.url] : []), ...(app.extraRedirectUris ?? [])]) {
    const key = redirectUriKey(u);
    if (seen.has(key)) continue;
    seen.add(key);
    desired.redirectUris.push(normalizeRedirectUri(u));
  }
  if (certificate) {
    const wanted = config.certificate?.thumbprint?.toUpperCase();
    if (wanted && wanted !== certificate.thumbprint.toUpperCase()) {
      throw new InputError(
        `certificate.file holds the certificate ${certificate.thumbprint.toUpperCase()}, but certificate.thumbprint says ${wanted}`,
        { problems: [{ path: 'certificate.thumbprint', message: `does not match certificate.file (${certificate.thumbprint.toUpperCase()})` }],
          remedy: 'Select the certificate again with "entra-portal install-cert --thumbprint <sha1>".' },
      );
    }
    desired.certificates.push(desiredCertificate(certificate, 'current'));
  }
  if (previous) {
    const wanted = config.certificate?.previous?.thumbprint?.toUpperCase();
    const got = previous.thumbprint.toUpperCase();
    if (wanted && wanted !== got) {
      throw new InputError(`certificate.previous.file holds the certificate ${got}, but certificate.previous.thumbprint says ${wanted}`, {
        problems: [{ path: 'certificate.previous.thumbprint', message: `does not match certificate.previous.file (${got})` }],
      });
    }
    // the same certificate twice (a hand edit) is managed once
    if (!desired.certificates.some((c) => c.thumbprint === got)) desired.certificates.push(desiredCertificate(previous, 'previous'));
  }
  return desired;
}

export interface LoadDesiredOptions {
  /** reads a public certificate file; default: src/certs readCertificateFile */
  readCertificate?: (path: string) => Promise<CertificateFacts>;
}

/**
 * Read the configured certificate (if any) — and, while a rotation is in progress, the outgoing one
 * (certificate.previous), so both stay registered and neither is drift — then build the desired state.
 */
export async function loadDesired(config: PortalConfig, configDir: string, options: LoadDesiredOptions = {}): Promise<DesiredState> {
  const c = config.certificate;
  let certificate: CertificateFacts | undefined;
  if (c?.file !== undefined) {
    certificate = await readConfigured(c.file, 'certificate.file', c.thumbprint, configDir, options);
  } else if (c?.thumbprint !== undefined) {
    throw new InputError('certificate.thumbprint is set but certificate.file is not: apply needs the public certificate to register it', {
      problems: [{ path: 'certificate.file', message: 'required when certificate.thumbprint is set' }],
      remedy: 'Run "entra-portal install-cert --thumbprint <sha1>" to select it again (it writes certificate.file).',
    });
  }
  const previous = c?.previous ? await readConfigured(c.previous.file, 'certificate.previous.file', c.previous.thumbprint, configDir, options) : undefined;
  return desiredState(config, certificate, previous);
}

/** One configured public certificate, with a remedy when the file is missing. */
async function readConfigured(file: string, field: string, thumbprint: string | undefined, configDir: string, options: LoadDesiredOptions): Promise<CertificateFacts> {
  const path = resolveFrom(configDir, file);
  const read = options.readCertificate ?? (await defaultReader());
  try {
    return await read(path);
  } catch (err) {
    const missing = (err as { cause?: { code?: unknown } }).cause?.code === 'ENOENT';
    if (err instanceof InputError && missing && !err.remedy) {
      // certs/<T>.cer is meant to be committed beside the config: say how to get it back
      throw new InputError(`${field}: ${err.message}`, {
        code: err.code,
        cause: err,
        remedy: field === 'certificate.previous.file'
          ? 'Restore it from version control (certs/ is committed beside the config), or end the rotation: entra-portal rotate-cert --finish'
          : thumbprint
          ? `Restore it from version control, or run "entra-portal install-cert --thumbprint ${thumbprint}" on a machine whose store holds the certificate (it writes the file again).`
          : 'Restore it from version control, or select the certificate again with "entra-portal install-cert".',
      });
    }
    if (err instanceof InputError) throw err;
    throw new InputError(`${field}: cannot read ${path}: ${(err as Error).message}`, {
      problems: [{ path: field, message: `cannot read ${path}` }],
      cause: err,
    });
  }
}

async function defaultReader(): Promise<(path: string) => Promise<CertificateFacts>> {
  const certs = await import('../certs/index.js');
  return certs.readCertificateFile;
}
