/**
 * "Is this a PFX at all?" — recognise what users hand to --pfx by mistake (a PEM file, a DER .cer,
 * a truncated download) and say how to make a PFX from it, before forge reports something cryptic.
 */
import { X509Certificate } from 'node:crypto';
import { derHeader } from './der.js';

export interface NotPfx {
  code: 'not-pfx' | 'pfx-corrupt';
  message: string;
  remedy?: string;
}

const CONVERT = 'openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx';

export function describeNotPfx(bytes: Buffer, source: string): NotPfx | undefined {
  if (bytes.length === 0) return { code: 'pfx-corrupt', message: `${source}: the file is empty` };
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (head.trimStart().startsWith('-----BEGIN')) {
    const labels = [...head.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
    const what = labels.length ? labels.join(' + ') : 'PEM';
    const hasKey = labels.some((l) => l.includes('PRIVATE KEY'));
    const hasCert = labels.includes('CERTIFICATE');
    return {
      code: 'not-pfx',
      message: `${source}: this is a PEM file (${what}), not a PFX (PKCS#12)`,
      remedy:
        hasKey && hasCert
          ? `convert it: openssl pkcs12 -export -in ${source} -out cert.pfx`
          : `combine the certificate and its private key into a PFX: ${CONVERT}`,
    };
  }
  if (bytes[0] !== 0x30) {
    return { code: 'not-pfx', message: `${source}: not a PFX (PKCS#12) file: it does not start with a DER SEQUENCE` };
  }
  try {
    new X509Certificate(bytes);
    return {
      code: 'not-pfx',
      message: `${source}: this is a DER certificate (.cer), not a PFX: it holds no private key`,
      remedy: `convert the certificate to PEM (openssl x509 -inform der -in ${source} -out cert.pem), then: ${CONVERT}`,
    };
  } catch {
    // not a certificate: go on
  }
  const outer = derHeader(bytes);
  if (outer && outer[0] + outer[1] > bytes.length) {
    return {
      code: 'pfx-corrupt',
      message: `${source}: the PFX file is truncated (${bytes.length} bytes; its header announces ${outer[0] + outer[1]})`,
      remedy: 'copy or export the file again',
    };
  }
  return undefined;
}
