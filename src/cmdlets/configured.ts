/**
 * What the export and rotation verbs need from the config, with the refusal (65) and its remedy
 * when it is not there yet.
 */
import type { Context } from '../context.js';
import { InputError } from '../errors.js';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../config/index.js';

export interface ConfiguredCertificate {
  loaded: LoadedConfig;
  thumbprint: string;
  /** certificate.file as written (relative to the config) */
  file?: string;
}

/** The config's certificate.thumbprint, or 65 saying how to choose one. */
export async function configuredCertificate(ctx: Pick<Context, 'cwd' | 'env'>, config?: string): Promise<ConfiguredCertificate> {
  const loaded = await loadConfig(resolveConfigPath(ctx, config));
  const thumbprint = loaded.config.certificate?.thumbprint;
  if (!thumbprint) {
    throw new InputError(`${loaded.path} names no certificate (certificate.thumbprint)`, {
      code: 'no-certificate',
      remedy: 'choose one first: entra-portal install-cert --generate (or --pfx <file>, or --thumbprint <sha1>), then entra-portal apply',
    });
  }
  return { loaded, thumbprint: thumbprint.toUpperCase(), ...(loaded.config.certificate?.file ? { file: loaded.config.certificate.file } : {}) };
}

/** The config's application.appId, or 65: apply records it after registering the application. */
export function configuredAppId(loaded: LoadedConfig): string {
  const appId = loaded.config.application?.appId;
  if (!appId) {
    throw new InputError(`${loaded.path} records no application.appId yet: the application is not registered in Entra`, {
      code: 'no-app-id',
      remedy: 'run entra-portal apply first (it registers the application and records application.appId), or pin an existing one: entra-portal set-app --app-id <guid>',
    });
  }
  return appId.toLowerCase();
}
