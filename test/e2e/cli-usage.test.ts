import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runMain, withTempDir } from '../helpers/cli.js';

test('no verb is a usage error (64), never the drift code', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain([], { cwd: dir });
    assert.equal(r.code, 64);
    assert.match(r.stderr, /name a verb/);
  });
});

test('unknown verb and unknown option exit 64', async () => {
  await withTempDir(async (dir) => {
    const verb = await runMain(['aply'], { cwd: dir });
    assert.equal(verb.code, 64);
    assert.match(verb.stderr, /Did you mean apply|Unknown argument/);
    const opt = await runMain(['apply', '--bogus'], { cwd: dir });
    assert.equal(opt.code, 64);
    assert.match(opt.stderr, /apply: unknown option --bogus/);
  });
});

test('typos get a "did you mean" naming the verb or option; the typo is reported before the required option it hides', async () => {
  await withTempDir(async (dir) => {
    const verb = await runMain(['new-ap', '--name', 'X'], { cwd: dir });
    assert.equal(verb.code, 64);
    assert.match(verb.stderr, /unknown verb 'new-ap'\. Did you mean new-app\?/);
    const opt = await runMain(['apply', '--what-iff'], { cwd: dir });
    assert.equal(opt.code, 64);
    assert.match(opt.stderr, /apply: unknown option --what-iff \(did you mean --what-if\?\)/);
    assert.doesNotMatch(opt.stderr, /whatIff/);
    const hidden = await runMain(['new-app', '--nme', 'X', '--json'], { cwd: dir });
    assert.equal(hidden.code, 64);
    const doc = JSON.parse(hidden.stdout) as { error: { message: string; remedy: string } };
    assert.equal(doc.error.message, 'new-app: unknown option --nme (did you mean --name?)');
    assert.match(doc.error.remedy, /entra-portal new-app --help/);
    const url = await runMain(['set-portal-url'], { cwd: dir });
    assert.equal(url.code, 64);
    assert.match(url.stderr, /set-portal-url: missing <url>\nhint: For example: entra-portal set-portal-url https:\/\/portal\.abc\.com:4443/);
    const auth = await runMain(['test-portal', '--auth', 'enviroment'], { cwd: dir });
    assert.equal(auth.code, 64);
    assert.match(auth.stderr, /Did you mean environment\?/);
  });
});

test('--json usage error prints one JSON document on stdout', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['frobnicate', '--json'], { cwd: dir });
    assert.equal(r.code, 64);
    const doc = JSON.parse(r.stdout) as { error: { code: string; exitCode: number } };
    assert.equal(doc.error.code, 'usage');
    assert.equal(doc.error.exitCode, 64);
  });
});

test('--help lists every verb and exits 0; --version prints the version', async () => {
  await withTempDir(async (dir) => {
    const help = await runMain(['--help'], { cwd: dir });
    assert.equal(help.code, 0);
    for (const verb of ['new-app', 'set-app', 'install-cert', 'set-portal-url', 'apply', 'test-portal', 'emulator', 'demo']) {
      assert.match(help.stdout, new RegExp(`\n  ${verb}\\b`));
    }
    const version = await runMain(['--version'], { cwd: dir });
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});

test('--no-color is honoured for a usage error too (it is the one case where yargs never parsed it)', async () => {
  await withTempDir(async (dir) => {
    const env = { NO_COLOR: '', FORCE_COLOR: '1' };
    const colored = await runMain(['apply', '--wat-if'], { cwd: dir, env });
    assert.equal(colored.code, 64);
    assert.match(colored.stderr, /\x1b\[/); // the control: colour is on here
    const plain = await runMain(['apply', '--wat-if', '--no-color'], { cwd: dir, env });
    assert.equal(plain.code, 64);
    assert.doesNotMatch(plain.stderr, /\x1b\[/);
    assert.match(plain.stderr, /^error: apply: unknown option --wat-if/);
  });
});

test('verb help: the notes are wrapped at word boundaries, none cut mid-word', async () => {
  await withTempDir(async (dir) => {
    const cert = await runMain(['install-cert', '--help'], { cwd: dir });
    assert.equal(cert.code, 0);
    assert.match(cert.stdout.replace(/\n/g, ' '), /its public part to certs\/<THUMBPRINT>\.cer next to the config/);
    assert.ok(!cert.stdout.split('\n').includes('store'), cert.stdout);
    const tp = await runMain(['test-portal', '--help'], { cwd: dir });
    assert.ok(tp.stdout.split('\n').includes('Exit: 0 nothing failed (warnings allowed) · 2 a check failed · 65 invalid config.'), tp.stdout);
  });
});

test('--what-if on emulator and demo is refused (64) with the reason, instead of running anyway', async () => {
  await withTempDir(async (dir) => {
    for (const verb of ['emulator', 'demo']) {
      const r = await runMain([verb, '--what-if', '--json'], { cwd: dir, timeoutMs: 20_000 });
      assert.equal(r.code, 64, r.stderr);
      const doc = JSON.parse(r.stdout) as { error: { message: string; remedy: string } };
      assert.match(doc.error.message, new RegExp(`^${verb}: --what-if has nothing to preview`));
      assert.ok(doc.error.remedy);
    }
  });
});

test('an empty -c (an unset variable in a script) is a usage error, never a silent fall-back to ./entra-portal.json5', async () => {
  await withTempDir(async (dir) => {
    const { writeFile, readFile } = await import('node:fs/promises');
    const text = "{\n  version: 1,\n  application: { name: 'Other tenant', uniqueName: 'other' },\n}\n";
    await writeFile(`${dir}/entra-portal.json5`, text);
    for (const args of [['set-portal-url', 'https://portal.abc.com:4443', '-c', ''], ['apply', '--config=']]) {
      const r = await runMain(args, { cwd: dir });
      assert.equal(r.code, 64, r.stderr);
      assert.match(r.stderr, /-c\/--config is empty/);
    }
    assert.equal(await readFile(`${dir}/entra-portal.json5`, 'utf8'), text);
  });
});

test('a -c (or $ENTRA_PORTAL_CONFIG) ending with "/" names a folder: a usage error with the file to name, never a config file called like the folder', async () => {
  await withTempDir(async (dir) => {
    const { readdir } = await import('node:fs/promises');
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['new-app', '--name', 'X', '-c', 'servers/'], {}, /new-app: -c servers\/ ends with '\/': it names a folder/],
      [['set-portal-url', 'https://portal.abc.com:4443', '--config=servers/'], {}, /-c servers\/ ends with/],
      [['new-app', '--name', 'X'], { ENTRA_PORTAL_CONFIG: 'servers/' }, /\$ENTRA_PORTAL_CONFIG servers\/ ends with/],
      [['apply', '--what-if', '-c', 'servers/'], {}, /pattern for a fleet: 'servers\/\*\.json5'/],
    ];
    for (const [args, env, message] of cases) {
      const r = await runMain([...args, '--json'], { cwd: dir, env });
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
      assert.match(JSON.parse(r.stdout).error.message + JSON.parse(r.stdout).error.remedy, message);
    }
    assert.deepEqual(await readdir(dir), [], 'no file called servers');
  });
});

test('verb help: each example is one copyable line (yargs\' side-by-side table split them mid-argument); no line over 100 columns', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['set-app', '--help'], { cwd: dir });
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes('  entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --apply'), r.stdout);
    assert.ok(lines.includes("      # pin it and bring it to the Restore Portal's shape in Entra"), r.stdout);
    for (const verb of ['new-app', 'set-app', 'install-cert', 'set-portal-url', 'apply', 'test-portal', 'emulator', 'demo']) {
      const help = await runMain([verb, '--help'], { cwd: dir });
      for (const line of help.stdout.split('\n')) assert.ok([...line].length <= 100, `${verb}: ${line}`);
    }
  });
});

test('"help" and "help <verb>" work as --help does ("help apply" was an unknown verb, "help" yargs\' other layout)', async () => {
  await withTempDir(async (dir) => {
    const top = await runMain(['help'], { cwd: dir });
    assert.equal(top.code, 0);
    assert.equal(top.stdout, (await runMain(['--help'], { cwd: dir })).stdout);
    const verb = await runMain(['help', 'apply'], { cwd: dir });
    assert.equal(verb.code, 0, verb.stderr);
    assert.equal(verb.stdout, (await runMain(['apply', '--help'], { cwd: dir })).stdout);
    const typo = await runMain(['help', 'aply'], { cwd: dir });
    assert.equal(typo.code, 64);
    assert.match(typo.stderr, /unknown verb 'aply'\. Did you mean apply\?/);
  });
});

test('emulator on a port that is taken: names the port and the option, with a way out (not Node\'s bare EADDRINUSE)', async () => {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    await withTempDir(async (dir) => {
      const r = await runMain(['emulator', '--port', String(port), '--json'], { cwd: dir, timeoutMs: 30_000 });
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; remedy: string } };
      assert.equal(doc.error.code, 'port-in-use');
      assert.equal(doc.error.message, `port ${port} on 127.0.0.1 is already in use (--port ${port})`);
      assert.match(doc.error.remedy, /choose another --port \(0 picks a free one\)/);
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a value with spaces and no quotes: the stray words are named, with a hint about quotes', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['new-app', '--name', 'Veeam', 'Restore', 'Portal'], { cwd: dir });
    assert.equal(r.code, 64);
    assert.match(r.stderr, /new-app: unexpected arguments 'Restore', 'Portal'\nhint: Usage: entra-portal new-app --name <name> \[options\]; values with spaces need quotes/);
  });
});
