import { defineCommand } from '../src/cli/command.js';
import { UsageError } from '../src/errors.js';
import type { DemoResult } from '../src/cmdlets/demo.js';

interface DemoArgs {
  keep: boolean;
  dir?: string;
}

export const demoCommand = defineCommand<DemoArgs, DemoResult>({
  name: 'demo',
  describe: 'The whole flow end to end against the embedded Entra emulator, in a temporary folder',
  options: [
    { name: 'keep', kind: 'boolean', describe: 'keep the temporary folder' },
    { name: 'dir', kind: 'string', value: 'dir', describe: 'run in this new or empty folder instead (created if missing; kept afterwards)' },
  ],
  examples: [
    ['entra-portal demo', 'register, drift-check, tamper, detect, repair and test, narrated on stderr'],
    ['entra-portal demo --keep', 'keep the folder (config, certificate, emulator state) to look at afterwards'],
    ['entra-portal demo --json', 'the steps and their exit codes as JSON'],
  ],
  notes: ['The temporary folder holds a private key: it is removed at the end, and on Ctrl-C or SIGTERM.'],
  async run(args, ctx) {
    if (args.whatIf) {
      throw new UsageError('demo: --what-if has nothing to preview: the demo changes none of your files and no real tenant', {
        remedy: 'Run "entra-portal demo": it works in a temporary folder against the embedded Entra emulator.',
      });
    }
    const { demo } = await import('../src/cmdlets/demo.js');
    return demo({ keep: args.keep, ...(args.dir !== undefined ? { dir: args.dir } : {}) }, ctx);
  },
  render(result) {
    const lines = result.steps.map((s) => `${s.ok ? '✔' : '✖'} ${s.step.padEnd(15)} exit ${s.exitCode}  ${s.summary}`);
    return `${lines.join('\n')}\n${result.passed ? 'Demo passed' : 'Demo failed'}${result.appId ? ` (appId ${result.appId})` : ''}.`;
  },
  exitCode: (result) => (result.passed ? 0 : 1),
});
