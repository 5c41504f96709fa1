/**
 * Certificates: X.509 facts and thumbprints, self-signed generation, PFX import/export and the
 * store.
 */
export {
  type CertificateInfo,
  certificateInfoFromDer,
  certificateInfoFromBytes,
  readCertificateFile,
  normalizeThumbprint,
  thumbprintOf,
  derToPem,
  daysUntilExpiry,
  MAX_CERTIFICATE_BYTES,
} from './info.js';
export {
  generateSelfSigned,
  type GenerateOptions,
  type CertificateWithKey,
  type KeySize,
  KEY_SIZES,
  DEFAULT_KEY_SIZE,
  DEFAULT_VALIDITY_DAYS,
  DEFAULT_SUBJECT_NAME,
} from './generate.js';
export { readPfx, writePfx, PFX_PROFILES, type PfxContents, type PfxProfile, type WritePfxOptions } from './pfx.js';
export {
  resolveStoreDir,
  loadFromStore,
  saveToStore,
  listStore,
  listStoreEntries,
  modesProtect,
  storeAclNote,
  openStore,
  storeHas,
  entryPaths,
  STORE_PASSWORD_ENV,
  STORE_DIR_ENV,
  type StoredEntry,
  type StoredCertificate,
  type StoreListing,
  type OpenStore,
  type StoreProtection,
} from './store.js';
export { pathFor, certificateFile, vb365Files } from './paths.js';
