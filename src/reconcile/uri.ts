/**
 * Canonical forms for comparing redirect URIs as sets: scheme/host case, trailing slash and order
 * never count as drift. Path case does (paths are case-sensitive).
 */
import { normalizeRedirectUri } from '../url/portal-url.js';

export { normalizeRedirectUri };

/** The key two redirect URIs are compared by. */
export const redirectUriKey = (uri: string): string => normalizeRedirectUri(uri);
