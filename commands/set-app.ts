import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const setAppCommand = defineCommand({
  command: 'set-app',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('set-app is not built yet');
  },
});
