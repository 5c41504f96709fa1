/** Implementation of openSession (loaded lazily by session.ts). Work in progress. */
import { OperationError } from '../errors.js';
import type { Context } from '../context.js';
import type { GraphSession, OpenSessionOptions, SessionConfig } from './session.js';

export async function openSessionImpl(_loaded: SessionConfig, _ctx: Context, _options: OpenSessionOptions): Promise<GraphSession> {
  throw new OperationError('openSession: not implemented yet', { code: 'not-implemented' });
}
