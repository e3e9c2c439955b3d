import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';

/** Route ids: a positive integer, or the record simply does not exist (404, not 500). */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,15}$/.test(value)) throw new DomainError('not_found', zhCN.errors.notFound);
    return Number(value);
  }
}
