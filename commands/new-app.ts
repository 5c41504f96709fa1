import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const newAppCommand = defineCommand({
  command: 'new-app',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('new-app is not built yet');
  },
});
