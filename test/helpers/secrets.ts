/**
 * "The password appears nowhere": every output stream and every file under a folder, searched for
 * the secret in the encodings a leak would take (UTF-8, UTF-16LE/BE as PKCS#12 and Windows use,
 * base64 and hex of the UTF-8 bytes).
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

function encodings(secret: string): Buffer[] {
  const utf8 = Buffer.from(secret, 'utf8');
  const le = Buffer.from(secret, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [utf8, le, be, Buffer.from(utf8.toString('base64')), Buffer.from(utf8.toString('hex')), Buffer.from(utf8.toString('hex').toUpperCase())];
}

/** Every regular file under `dir` (links not followed). */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Fails naming the stream or file where `secret` shows up. */
export async function assertNoSecret(secret: string, streams: Record<string, string>, dirs: string[]): Promise<void> {
  const needles = encodings(secret);
  for (const [name, text] of Object.entries(streams)) {
    const bytes = Buffer.from(text, 'utf8');
    assert.ok(!needles.some((n) => bytes.includes(n)), `the secret appears in ${name}`);
  }
  for (const dir of dirs) {
    for (const file of await filesUnder(dir)) {
      const bytes = await readFile(file);
      assert.ok(!needles.some((n) => bytes.includes(n)), `the secret appears in ${file}`);
    }
  }
}
