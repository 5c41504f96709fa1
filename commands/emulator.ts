import { defineCommand } from '../src/command.js';
import { OperationError } from '../src/errors.js';

// Placeholder: replaced by the issue that builds this verb.
export const emulatorCommand = defineCommand({
  command: 'emulator',
  describe: '(not built yet)',
  async run() {
    throw new OperationError('emulator is not built yet');
  },
});
