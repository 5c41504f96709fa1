import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const testPortalCommand = defineCommand({
  command: 'test-portal',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('test-portal is not built yet');
  },
});
