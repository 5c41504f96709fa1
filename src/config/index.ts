/** The config file: find, load (JSON5 + schema, errors with line:col), lossless locked atomic edits. */
export type { PortalConfig } from './types.js';
export { DEFAULT_CONFIG_FILE, DEFAULT_REST_API_PORT } from './types.js';
export { loadConfig, resolveConfigPath, displayPath, validateConfigText, validateTree, type LoadedConfig } from './load.js';
export { editConfig, editedText, configChanges, NEW_CONFIG_TEXT, type ConfigChange, type ConfigEditResult, type EditOptions } from './edit.js';
export type { ConfigDocument } from './document.js';
export { unifiedDiff } from './diff.js';
export { isGuid, normalizeAppId, normalizeTenant, checkUniqueName, slugify, checkPort } from './values.js';
