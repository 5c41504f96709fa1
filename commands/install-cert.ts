import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const installCertCommand = defineCommand({
  command: 'install-cert',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('install-cert is not built yet');
  },
});
