import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Files on disk named by their SHA-256 under one folder of data/ (a file stored twice is kept
 * once, and any change to a stored file is detectable). Written to a temporary name, synced
 * and renamed, so a file is either whole or absent — durable before the caller commits.
 */
export class ContentStore {
  constructor(private readonly dir: string) {}

  /** Writes (and fsyncs) on libuv's thread pool: the event loop keeps serving meanwhile. */
  async save(buffer: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    const file = this.pathOf(sha256)!;
    if (!fs.existsSync(file)) {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const handle = await fs.promises.open(temp, 'w');
      try {
        await handle.writeFile(buffer);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, file);
    }
    return sha256;
  }

  /** The stored bytes, or null when the hash is malformed or the file is missing. */
  async read(sha256: string): Promise<Buffer | null> {
    const file = this.pathOf(sha256);
    return file ? fs.promises.readFile(file).catch(() => null) : null;
  }

  private pathOf(sha256: string): string | null {
    return /^[0-9a-f]{64}$/.test(sha256) ? path.join(this.dir, sha256.slice(0, 2), sha256) : null;
  }
}

/**
 * Writes a whole file durably: to a temporary name, synced, renamed, and the folder synced, so
 * after a power cut the file is either complete or absent. For the audit archive and heads.
 */
export function writeFileDurably(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
