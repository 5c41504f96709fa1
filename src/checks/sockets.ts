/**
 * Node's networking modules, loaded when a check first needs one: a test-portal run that stops
 * before the network (no portal URL, a bad config) does not pay for loading them at start-up.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const dns = (): typeof import('node:dns/promises') => load('node:dns/promises') as typeof import('node:dns/promises');
export const net = (): typeof import('node:net') => load('node:net') as typeof import('node:net');
export const tls = (): typeof import('node:tls') => load('node:tls') as typeof import('node:tls');
export const https = (): typeof import('node:https') => load('node:https') as typeof import('node:https');
