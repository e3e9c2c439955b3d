import { Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { ContentStore } from '../common/content-store';
import { DomainError } from '../common/domain-error';
import { MAX_UPLOAD_BYTES } from '../web/upload.middleware';
import { AttachmentType, sniffAttachmentType } from './domain/attachment-type';

/** Case files under data/attachments, content-addressed (see ContentStore). */
@Injectable()
export class AttachmentStore {
  private readonly store: ContentStore;

  constructor(config: AppConfig) {
    this.store = new ContentStore(path.join(config.dataDir, 'attachments'));
  }

  /** Checks and writes the file; returns its type and hash. Durable before the caller commits. */
  async save(buffer: Buffer): Promise<{ mimeType: AttachmentType; sha256: string }> {
    if (buffer.length === 0) throw new DomainError('validation', '请选择要上传的文件', { file: '请选择要上传的文件' });
    if (buffer.length > MAX_UPLOAD_BYTES) throw new DomainError('payload_too_large', '单个附件不能超过 20 MB');
    const mimeType = sniffAttachmentType(buffer);
    if (!mimeType) throw new DomainError('unsupported_media', '附件只能是 PDF、JPEG 或 PNG 文件', { file: '附件只能是 PDF、JPEG 或 PNG 文件' });
    return { mimeType, sha256: await this.store.save(buffer) };
  }

  async read(sha256: string): Promise<Buffer> {
    const content = await this.store.read(sha256);
    if (!content) throw new DomainError('not_found', '附件文件已丢失，请联系管理员');
    return content;
  }
}
