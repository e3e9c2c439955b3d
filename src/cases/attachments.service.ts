import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { AttachmentType, sniffAttachmentType } from './domain/attachment-type';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/**
 * Case files on disk under data/attachments, named by their SHA-256 (so a file stored twice
 * is kept once, and any change to a stored file is detectable).
 */
@Injectable()
export class AttachmentStore {
  constructor(private readonly config: AppConfig) {}

  /** Checks and writes the file; returns its type and hash. Durable before the caller commits. */
  save(buffer: Buffer): { mimeType: AttachmentType; sha256: string } {
    if (buffer.length === 0) throw new DomainError('validation', '请选择要上传的文件', { file: '请选择要上传的文件' });
    if (buffer.length > MAX_ATTACHMENT_BYTES) throw new DomainError('payload_too_large', '单个附件不能超过 20 MB');
    const mimeType = sniffAttachmentType(buffer);
    if (!mimeType) throw new DomainError('unsupported_media', '附件只能是 PDF、JPEG 或 PNG 文件', { file: '附件只能是 PDF、JPEG 或 PNG 文件' });
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    const file = this.pathOf(sha256);
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
    return { mimeType, sha256 };
  }

  read(sha256: string): Buffer {
    const file = this.pathOf(sha256);
    if (!fs.existsSync(file)) throw new DomainError('not_found', '附件文件已丢失，请联系管理员');
    return fs.readFileSync(file);
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new DomainError('not_found', '找不到该附件');
    return path.join(this.config.dataDir, 'attachments', sha256.slice(0, 2), sha256);
  }
}
