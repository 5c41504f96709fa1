/**
 * Every verb, in the order `--help` lists them. Command files import only light modules at
 * load time; each imports its implementation lazily inside `run`.
 */
import type { CommandSpec } from '../src/cli/command.js';
import { newAppCommand } from './new-app.js';
import { setAppCommand } from './set-app.js';
import { installCertCommand } from './install-cert.js';
import { exportCertCommand } from './export-cert.js';
import { exportVb365Command } from './export-vb365.js';
import { rotateCertCommand } from './rotate-cert.js';
import { getCertCommand } from './get-cert.js';
import { setPortalUrlCommand } from './set-portal-url.js';
import { applyCommand } from './apply.js';
import { addCustomerCommand } from './add-customer.js';
import { removeCustomerCommand } from './remove-customer.js';
import { consentUrlCommand } from './consent-url.js';
import { testPortalCommand } from './test-portal.js';
import { emulatorCommand } from './emulator.js';
import { demoCommand } from './demo.js';

export const commands: CommandSpec<any, any>[] = [
  newAppCommand,
  setAppCommand,
  installCertCommand,
  setPortalUrlCommand,
  applyCommand,
  addCustomerCommand,
  removeCustomerCommand,
  consentUrlCommand,
  testPortalCommand,
  exportCertCommand,
  exportVb365Command,
  rotateCertCommand,
  getCertCommand,
  emulatorCommand,
  demoCommand,
];
