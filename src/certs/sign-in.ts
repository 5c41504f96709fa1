/**
 * A real client-credentials sign-in as the application with a certificate's private key: what
 * VB365 itself does, so the one proof that Entra accepts the key (test-portal's entra.sign-in;
 * rotate-cert --finish before it retires the outgoing key). @azure/identity's
 * ClientCertificateCredential signs a client assertion (PS256, x5t#S256) with the key; the token
 * endpoint checks it against the application's registered keyCredentials.
 */
import type { GraphSession } from '../graph/session.js';
import type { CertificateInfo } from './info.js';

export interface AppSignIn {
  appId: string;
  tenant: string;
  thumbprint: string;
  /** when the token expires (ISO 8601); the token itself is dropped */
  expiresOn: string;
}

/** Throws @azure/identity's error as is (the caller words it: `signInRemedy`). */
export async function signInAsApplication(
  session: Pick<GraphSession, 'tenant' | 'endpoints' | 'ca' | 'credentialOptions'>,
  appId: string,
  stored: { keyPem: string; info: Pick<CertificateInfo, 'certPem' | 'thumbprint'> },
  signal?: AbortSignal,
): Promise<AppSignIn> {
  const { ClientCertificateCredential } = await import('@azure/identity');
  const credential = new ClientCertificateCredential(
    session.tenant,
    appId,
    // PEM only, the key then the leaf
    { certificate: `${stored.keyPem}\n${stored.info.certPem}` },
    { ...session.credentialOptions(), ...(session.ca ? { tlsOptions: { ca: session.ca } } : {}) },
  );
  const token = await credential.getToken(session.endpoints.scope, signal ? { abortSignal: signal } : {});
  return { appId, tenant: session.tenant, thumbprint: stored.info.thumbprint, expiresOn: new Date(token.expiresOnTimestamp).toISOString() };
}

/** What to do when the sign-in failed, from Entra's AADSTS code in the message. */
export function signInRemedy(message: string): string {
  if (/AADSTS700027/.test(message)) return 'Entra does not accept this key: run entra-portal apply to register the certificate (allow a minute for Entra to replicate it), and check that the store holds the same certificate';
  if (/AADSTS7000229|AADSTS700016/.test(message)) return 'The application has no service principal in this tenant: run entra-portal apply';
  return 'Check the certificate in the store and the application registration (entra-portal apply)';
}
