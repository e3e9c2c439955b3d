import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { TianpingRequest } from './request';

/** The largest upload of any kind (case files); imports check their own, smaller limit. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * Parses a multipart upload (field "file") before the guard runs, so the CSRF token in the
 * form body can be checked like any other form's. Kept in memory: files are small and
 * checked by content, never trusted by name.
 */
@Injectable()
export class UploadMiddleware implements NestMiddleware {
  private readonly parse = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } }).single('file');

  use(req: Request, res: Response, next: NextFunction): void {
    // Only signed-in users' files are read at all; the guard then checks their permission.
    if (!req.is('multipart/form-data') || !(req as TianpingRequest).auth) return next();
    this.parse(req, res, (error: unknown) => {
      if (!error) return next();
      const code = (error as { code?: string }).code;
      next(code === 'LIMIT_FILE_SIZE' ? new DomainError('payload_too_large', zhCN.errors.payloadTooLarge) : new DomainError('validation', zhCN.import.noFile));
    });
  }
}
