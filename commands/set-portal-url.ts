import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const setPortalUrlCommand = defineCommand({
  command: 'set-portal-url',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('set-portal-url is not built yet');
  },
});
