import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const demoCommand = defineCommand({
  command: 'demo',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('demo is not built yet');
  },
});
