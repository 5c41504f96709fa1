/**
 * Every path the tool builds, under Windows' rules (`path.win32`) and POSIX's, on any machine: the
 * config file, files a config names (certificate.file, written with forward slashes and shared
 * through git), the store and its entries, export-vb365's files, the embedded emulator's state,
 * temporaries beside a file, and how paths are shown. No Windows runs here; these pin the rules the
 * code relies on there (docs/windows.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix, win32 } from 'node:path';
import { certificateFile, entryPaths, modesProtect, resolveStoreDir, storeAclNote, vb365Files } from '../../src/certs/index.js';
import { emulatorStatePath } from '../../src/session.js';
import { tempName } from '../../src/util/fs.js';
import { configOption, displayPath, resolveFrom } from '../../src/util/paths.js';
import { SCRIPT_NAME } from '../../src/vb365/enable-script.js';

const T = '9F3A0000000000000000000000000000000000C1';

test('the store: %LOCALAPPDATA%\\entra-portal\\store on Windows, XDG elsewhere; --store and $ENTRA_PORTAL_STORE against the cwd', () => {
  const env = { LOCALAPPDATA: 'C:\\Users\\vbadmin\\AppData\\Local', USERPROFILE: 'C:\\Users\\vbadmin', HOME: '/home/ignored' };
  const cwd = 'D:\\vb365\\config';
  assert.equal(resolveStoreDir({ cwd, env }, undefined, 'win32'), 'C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store');
  assert.equal(resolveStoreDir({ cwd, env: { USERPROFILE: 'C:\\Users\\vbadmin' } }, undefined, 'win32'), 'C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store');
  assert.equal(resolveStoreDir({ cwd, env: { ...env, LOCALAPPDATA: 'relative\\dir' } }, undefined, 'win32'), 'C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store');
  assert.equal(resolveStoreDir({ cwd, env }, 'store', 'win32'), 'D:\\vb365\\config\\store');
  assert.equal(resolveStoreDir({ cwd, env }, '..\\keys', 'win32'), 'D:\\vb365\\keys');
  assert.equal(resolveStoreDir({ cwd, env }, '\\keys', 'win32'), 'D:\\keys', 'root-relative: the cwd\'s drive');
  assert.equal(resolveStoreDir({ cwd, env }, 'E:/keys/store', 'win32'), 'E:\\keys\\store');
  assert.equal(resolveStoreDir({ cwd, env }, '\\\\fileserver\\keys\\store', 'win32'), '\\\\fileserver\\keys\\store');
  assert.equal(resolveStoreDir({ cwd, env: { ...env, ENTRA_PORTAL_STORE: 'S:\\store' } }, undefined, 'win32'), 'S:\\store');
  assert.equal(resolveStoreDir({ cwd: '/srv/vb', env: { HOME: '/home/u', LOCALAPPDATA: 'C:\\x' } }, undefined, 'linux'), '/home/u/.local/share/entra-portal/store');
  assert.equal(resolveStoreDir({ cwd: '/srv/vb', env: { HOME: '/home/u', XDG_DATA_HOME: '/data' } }, undefined, 'linux'), '/data/entra-portal/store');
  assert.deepEqual(entryPaths('C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store', T, win32), {
    pfx: `C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store\\${T}.pfx`,
    cer: `C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store\\${T}.cer`,
  });
});

test('modes mean nothing on Windows: not checked there; a store outside %LOCALAPPDATA% gets the ACL note with icacls', () => {
  assert.equal(modesProtect('win32'), false);
  assert.equal(modesProtect('linux'), true);
  const env = { LOCALAPPDATA: 'C:\\Users\\vbadmin\\AppData\\Local' };
  assert.equal(storeAclNote('C:\\Users\\vbadmin\\AppData\\Local\\entra-portal\\store', env, 'win32'), undefined);
  assert.equal(storeAclNote('c:\\users\\VBADMIN\\appdata\\local\\entra-portal\\store', env, 'win32'), undefined, 'Windows paths are case-insensitive');
  const note = storeAclNote('D:\\keys\\store', env, 'win32');
  assert.match(note ?? '', /not under %LOCALAPPDATA%/);
  assert.match(note ?? '', /icacls "D:\\keys\\store" \/inheritance:r \/grant:r "%USERNAME%:\(OI\)\(CI\)F"/);
  assert.match(storeAclNote('C:\\Users\\vbadmin\\AppData\\LocalLow\\store', env, 'win32') ?? '', /icacls/, 'a sibling folder is not inside');
  assert.equal(storeAclNote('/home/u/.local/share/entra-portal/store', {}, 'linux'), undefined);
});

test('files a config names: written with forward slashes, found from the config\'s folder on either platform', () => {
  assert.deepEqual(certificateFile('D:\\vb365\\config', T, win32), { file: `certs/${T}.cer`, path: `D:\\vb365\\config\\certs\\${T}.cer` });
  assert.deepEqual(certificateFile('/srv/vb365', T, posix), { file: `certs/${T}.cer`, path: `/srv/vb365/certs/${T}.cer` });
  // the config's certificate.file (and the config itself, against the cwd)
  assert.equal(resolveFrom('D:\\vb365\\config', `certs/${T}.cer`, win32), `D:\\vb365\\config\\certs\\${T}.cer`);
  assert.equal(resolveFrom('D:\\vb365\\config', '\\certs\\x.cer', win32), 'D:\\certs\\x.cer', 'root-relative: the config\'s drive, not the process\'s');
  assert.equal(resolveFrom('D:\\vb365\\config', 'E:\\certs\\x.cer', win32), 'E:\\certs\\x.cer');
  assert.equal(resolveFrom('\\\\server\\share\\vb365', 'entra-portal.json5', win32), '\\\\server\\share\\vb365\\entra-portal.json5');
  assert.equal(resolveFrom('C:\\work', 'tenants/contoso.json5', win32), 'C:\\work\\tenants\\contoso.json5');
  assert.equal(resolveFrom('/srv/vb365', 'certs/x.cer', posix), '/srv/vb365/certs/x.cer');
  assert.equal(resolveFrom('/srv/vb365', '/etc/x.cer', posix), '/etc/x.cer');
});

test('export-vb365, the emulator state, temporaries; how paths are shown', () => {
  assert.deepEqual(vb365Files('D:\\handoff\\vb365', T, SCRIPT_NAME, win32), { pfx: `D:\\handoff\\vb365\\${T}.pfx`, script: 'D:\\handoff\\vb365\\Enable-RestorePortal.ps1' });
  assert.equal(emulatorStatePath('D:\\vb365\\config', win32), 'D:\\vb365\\config\\.entra-portal\\emulator-state.json');
  assert.equal(emulatorStatePath('/srv/vb365', posix), '/srv/vb365/.entra-portal/emulator-state.json');
  const tmp = tempName('D:\\vb365\\config\\entra-portal.json5', win32);
  assert.equal(win32.dirname(tmp), 'D:\\vb365\\config', 'beside the file: the rename stays on one volume');
  assert.match(win32.basename(tmp), new RegExp(`^\\.entra-portal\\.json5\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
  assert.match(posix.basename(tempName('/srv/vb365/entra-portal.json5', posix)), /^\.entra-portal\.json5\.\d+\.[0-9a-f]{8}\.tmp$/);
  assert.equal(displayPath('D:\\vb365\\config\\certs\\x.cer', 'D:\\vb365\\config', win32), 'certs\\x.cer');
  assert.equal(displayPath('E:\\other\\x.cer', 'D:\\vb365\\config', win32), 'E:\\other\\x.cer', 'another drive: shown whole');
  assert.equal(displayPath('D:\\vb365\\x.cer', 'D:\\vb365\\config', win32), 'D:\\vb365\\x.cer');
  assert.equal(displayPath('/srv/vb365/certs/x.cer', '/srv/vb365', posix), 'certs/x.cer');
  // a next step names the config: nothing for the default, quoted when it holds a space
  assert.equal(configOption('D:\\vb365\\entra-portal.json5', 'D:\\vb365', win32), '');
  assert.equal(configOption('D:\\vb365\\my servers\\eu.json5', 'D:\\vb365', win32), ' -c "my servers\\eu.json5"');
  assert.equal(configOption('/srv/vb365/eu.json5', '/srv/vb365', posix), ' -c eu.json5');
});
