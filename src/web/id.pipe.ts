import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';

/** An address whose id is no id: nothing to show, not even the form it was posted from. */
export class NoSuchId extends DomainError {
  constructor() {
    super('not_found', zhCN.errors.notFound);
  }
}

/** Route ids: a positive integer, or the record simply does not exist (404, not 500). */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,15}$/.test(value)) throw new NoSuchId();
    return Number(value);
  }
}
