/**
 * The one `--json` envelope: every verb's document (and every error's) starts with the same five
 * members, then the verb's result (or `error`). Schemas: schemas/envelope.schema.json and one
 * result schema per verb.
 */
import { packageVersion } from '../version.js';

/** The version of the documents' shape; raised when a member changes meaning or goes away. */
export const SCHEMA_VERSION = 1;

const ENVELOPE_KEYS = ['verb', 'schemaVersion', 'toolVersion', 'exitCode', 'generatedAt'] as const;

export interface Envelope {
  /** the verb that ran, or null when none was recognised (an unknown verb, no verb) */
  verb: string | null;
  schemaVersion: number;
  toolVersion: string;
  /** the process's exit code */
  exitCode: number;
  /** ISO 8601 */
  generatedAt: string;
}

/** The document: the envelope, then the body's members (the envelope's own names win). */
export function envelope(verb: string | null, exitCode: number, nowMs: number, body: object): Envelope & Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => !(ENVELOPE_KEYS as readonly string[]).includes(k)));
  return { verb, schemaVersion: SCHEMA_VERSION, toolVersion: packageVersion(), exitCode, generatedAt: new Date(nowMs).toISOString(), ...rest };
}

export function jsonDocument(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
