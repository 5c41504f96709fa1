import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const applyCommand = defineCommand({
  command: 'apply',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('apply is not built yet');
  },
});
