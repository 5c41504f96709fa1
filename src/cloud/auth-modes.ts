/**
 * The ways the operator can sign in (`--auth`, `ENTRA_PORTAL_AUTH`). A module of its own so the CLI
 * can list them without loading the credential code (cloud/credentials.ts builds them).
 */
export type AuthMode = 'auto' | 'device-code' | 'browser' | 'azure-cli' | 'environment' | 'workload-identity' | 'managed-identity';
export const AUTH_MODES: readonly AuthMode[] = ['auto', 'device-code', 'browser', 'azure-cli', 'environment', 'workload-identity', 'managed-identity'];
