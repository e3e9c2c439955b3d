import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Files on disk named by their SHA-256 under one folder of data/ (a file stored twice is kept
 * once, and any change to a stored file is detectable). Written to a temporary name, synced
 * and renamed, so a file is either whole or absent — durable before the caller commits.
 */
export class ContentStore {
  constructor(private readonly dir: string) {}

  save(buffer: Buffer): string {
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    const file = this.pathOf(sha256)!;
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      const fd = fs.openSync(temp, 'w');
      try {
        fs.writeSync(fd, buffer);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, file);
    }
    return sha256;
  }

  /** The stored bytes, or null when the hash is malformed or the file is missing. */
  read(sha256: string): Buffer | null {
    const file = this.pathOf(sha256);
    return file && fs.existsSync(file) ? fs.readFileSync(file) : null;
  }

  private pathOf(sha256: string): string | null {
    return /^[0-9a-f]{64}$/.test(sha256) ? path.join(this.dir, sha256.slice(0, 2), sha256) : null;
  }
}
