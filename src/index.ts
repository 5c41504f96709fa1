/**
 * The public module API: the cmdlets as async functions that return the same result objects
 * that `--json` prints, without the envelope (docs/cli.md).
 */
export { createContext, type Context } from './context.js';
export * from './errors.js';
export { resolveRegion, REGIONS, type RegionInfo, type RegionName, type Endpoints } from './cloud/regions.js';
export type { PortalConfig, CustomerConfig } from './config/types.js';
export { loadConfig, editConfig, resolveConfigPath, type LoadedConfig, type ConfigDocument, type ConfigChange, type ConfigEditResult } from './config/index.js';
export { validatePortalUrl, normalizeRedirectUri, type PortalUrl } from './url/portal-url.js';
export { newApp, type NewAppInput, type NewAppResult } from './cmdlets/new-app.js';
export { setApp, type SetAppInput, type SetAppResult } from './cmdlets/set-app.js';
export { setPortalUrl, type SetPortalUrlInput, type SetPortalUrlResult } from './cmdlets/set-portal-url.js';
export type { EditVerbResult } from './cmdlets/edit-verb.js';
export { addCustomer, removeCustomer, type CustomerEditInput, type CustomerEditResult } from './cmdlets/customers.js';
export { consentUrl, type ConsentUrlInput, type ConsentUrlResult } from './cmdlets/consent-url.js';
export { adminConsentUrl, type AdminConsentTarget } from './cloud/admin-consent.js';
export { startEmulator, type EmulatorHandle, type EmulatorOptions, type EmulatorTenant } from './emulator/index.js';
export { testPortal, type TestPortalInput, type TestPortalResult } from './cmdlets/test-portal.js';
export type { CheckId, CheckResult, CheckStatus } from './checks/types.js';
export { apply, type ApplyInput, type ApplyResult } from './cmdlets/apply.js';
export { plan, inSync } from './reconcile/plan.js';
export type { Plan, Change, DesiredState, Observed } from './reconcile/types.js';
export type { StepResult, StepName, StepStatus } from './reconcile/execute.js';
export { installCert, type InstallCertInput, type InstallCertResult, type InstalledCertificate } from './cmdlets/install-cert.js';
export { exportCert, type ExportCertInput, type ExportCertResult, type ExportedPfx } from './cmdlets/export-cert.js';
export { exportVb365, type ExportVb365Input, type ExportVb365Result } from './cmdlets/export-vb365.js';
export { rotateCert, type RotateCertInput, type RotateCertResult } from './cmdlets/rotate-cert.js';
export { getCert, type GetCertInput, type GetCertResult, type StoreCertificate } from './cmdlets/get-cert.js';
export {
  readCertificateFile,
  certificateInfoFromDer,
  normalizeThumbprint,
  generateSelfSigned,
  readPfx,
  writePfx,
  resolveStoreDir,
  loadFromStore,
  saveToStore,
  listStore,
  type CertificateInfo,
  type CertificateWithKey,
  type PfxContents,
} from './certs/index.js';
