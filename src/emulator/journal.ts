/**
 * The append-only journal beside a state snapshot (`<state>.journal`): what makes a durable commit
 * cost what it changes. The snapshot is the state as of a generation; the journal holds the changes
 * committed since, one JSON line per commit:
 *
 *   {"state":"<stateId>","generation":N}          first line: which snapshot the lines follow
 *   {"ops":[["<tenant id>","<table>","<key>",<record or null>], …]}
 *   {"ops":[["<tenant id>","tenant","",<tenant's own fields>], ["","file","",<pki fields>]]}
 *
 * A commit is one line: appended, then fdatasync'ed, before the change is answered. Replaying the
 * lines over the snapshot gives the state. Crash safety (kill -9 anywhere):
 *   - a torn last line (no newline, or not JSON) was never acknowledged: it is dropped at open;
 *   - a journal whose header names another snapshot (the state file was replaced or reset, or a
 *     compaction stopped between writing the new snapshot and emptying the journal) is stale: its
 *     lines are already in the snapshot, or belong to a state that no longer exists; it is emptied.
 * Compaction (store.ts) writes a new snapshot atomically (generation + 1), then empties the journal
 * and writes the new header.
 * The file is opened without following links (O_NOFOLLOW) and created 0600: it holds secrets.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError, OperationError } from '../errors.js';
import { readRegularFile } from '../util/fs.js';

/** [tenant id, table kind | 'tenant' | 'file', key, record (null: deleted)] */
export type JournalOp = [string, string, string, unknown];

export interface JournalHeader {
  state: string;
  generation: number;
}

export interface JournalContents {
  /** the commits to replay, oldest first */
  ops: JournalOp[][];
  /** 'match': continue it; 'absent' or 'stale' (another snapshot's): start it anew */
  status: 'match' | 'absent' | 'stale';
  /** length of its complete lines; a torn tail after them is cut off before appending */
  validBytes: number;
  torn: boolean;
}

function corrupt(path: string, why: string): InputError {
  return new InputError(`the emulator journal ${path} is corrupt: ${why}`, {
    code: 'emulator-state-corrupt',
    remedy: `move it aside (or delete it, losing the changes since the last snapshot) to start from the snapshot alone: ${path}`,
  });
}

/** Reads the journal's lines that follow the snapshot `header` (none when it is missing or stale). */
export async function readJournal(path: string, header: JournalHeader, maxBytes: number): Promise<JournalContents> {
  let text: string;
  try {
    // the emulator's own file: a link, a FIFO or a device there was put by someone else
    text = (await readRegularFile(path, { maxBytes, what: 'the emulator journal', noFollow: true })).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ops: [], status: 'absent', validBytes: 0, torn: false };
    if (err instanceof InputError) throw err;
    throw new OperationError(`cannot read the emulator journal ${path}: ${(err as Error).message}`, { cause: err });
  }
  const end = text.lastIndexOf('\n') + 1;
  // the text after the last newline is a torn append (never acknowledged)
  const torn = end < text.length;
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  if (lines.length === 0) return { ops: [], status: 'stale', validBytes: 0, torn };
  let first: Partial<JournalHeader>;
  try {
    first = JSON.parse(lines[0]!) as Partial<JournalHeader>;
  } catch {
    // a header is written whole (and synced) before any line follows it: garbage here is not ours
    throw corrupt(path, 'the first line is not a journal header');
  }
  if (first.state !== header.state || first.generation !== header.generation) return { ops: [], status: 'stale', validBytes: 0, torn };
  const ops: JournalOp[][] = [];
  for (let i = 1; i < lines.length; i++) {
    let line: { ops?: unknown };
    try {
      line = JSON.parse(lines[i]!) as { ops?: unknown };
    } catch {
      throw corrupt(path, `line ${i + 1} is not JSON`);
    }
    if (!Array.isArray(line.ops)) throw corrupt(path, `line ${i + 1} has no ops`);
    ops.push(line.ops as JournalOp[]);
  }
  return { ops, status: 'match', validBytes: Buffer.byteLength(text.slice(0, end)), torn };
}

/** The open journal of a state file: appends commits, and is emptied by a compaction. */
export class Journal {
  private fh: FileHandle | undefined;
  /** bytes in the journal (header included) */
  bytes = 0;

  constructor(readonly path: string) {}

  private async handle(): Promise<FileHandle> {
    if (!this.fh) {
      // created lazily: a run that changes nothing creates no file
      this.fh = await open(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
      await this.fh.chmod(0o600);
    }
    return this.fh;
  }

  /** Empties the journal and starts it with `header` (after a compaction, or to drop a stale one). */
  async reset(header: JournalHeader): Promise<void> {
    const fh = await this.handle();
    await fh.truncate(0);
    const text = `${JSON.stringify(header)}\n`;
    await fh.write(text);
    await fh.datasync();
    this.bytes = Buffer.byteLength(text);
  }

  /** Cuts a torn tail off (only bytes no commit was acknowledged for). */
  async truncateTo(bytes: number): Promise<void> {
    const fh = await this.handle();
    await fh.truncate(bytes);
    await fh.datasync();
    this.bytes = bytes;
  }

  /** Appends one commit and waits until it is on disk. */
  async append(ops: JournalOp[]): Promise<void> {
    const fh = await this.handle();
    const line = `${JSON.stringify({ ops })}\n`;
    await fh.write(line);
    await fh.datasync();
    this.bytes += Buffer.byteLength(line);
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}
