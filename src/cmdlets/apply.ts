/**
 * apply: reconcile Microsoft Entra with the config (DESIGN §4).
 * Placeholder with the final signature, so edit verbs can chain `--apply`; the apply issue fills it.
 */
import type { Context } from '../context.js';
import { toContext } from '../context.js';
import { OperationError } from '../errors.js';

export interface ApplyInput {
  /** config file path (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5) */
  config?: string;
  whatIf?: boolean;
  detailedExitcode?: boolean;
  prune?: boolean;
  /** seconds; default 120 */
  propagationTimeout?: number;
  auth?: string;
}

export interface ApplyResult {
  version: 1;
  inSync: boolean;
  [key: string]: unknown;
}

export async function apply(_input: ApplyInput, ctx?: Partial<Context>): Promise<ApplyResult> {
  toContext(ctx);
  throw new OperationError('apply is not built yet');
}
