import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldErrors } from './domain-error';
import { fill, zhCN } from './i18n/zh-CN';

/** Turns class-validator's findings into one Chinese message per field (nested paths dotted). */
export function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const field = prefix + error.property;
    if (error.constraints) {
      const [name, raw] = Object.entries(error.constraints)[0];
      out[field] = messageFor(name, error.property, raw, error.contexts?.[name]);
    }
    if (error.children?.length) Object.assign(out, fieldErrorsOf(error.children, `${field}.`));
  }
  return out;
}

function messageFor(constraint: string, property: string, raw: string, context: unknown): string {
  // Custom validators carry their own Chinese message in the context.
  if (context && typeof context === 'object' && 'message' in context) return String((context as { message: string }).message);
  if (constraint === 'whitelistValidation') return zhCN.errors.unknownField;
  // Our own validators (named tp…) already speak Chinese.
  if (constraint.startsWith('tp')) return raw;
  const label = zhCN.fields[property] ?? property;
  const template = (zhCN.constraints as Record<string, string>)[constraint] ?? zhCN.constraints.default;
  // class-validator's English message carries the numeric bound; pull it out for {0}.
  const bound = raw.match(/(-?\d+(?:\.\d+)?)/)?.[1] ?? '';
  return fill(template, { label, 0: bound });
}

/**
 * The global pipe: whitelist, refuse unknown fields and unknown objects, transform types.
 * Empty query parameters (a filter form submitted with blank fields) count as absent.
 */
@Injectable()
export class TianpingValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new DomainError('validation', zhCN.errors.validation, fieldErrorsOf(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && value && typeof value === 'object') {
      value = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== ''));
    }
    if (metadata.type === 'body' && (value === undefined || value === null) && metadata.metatype && metadata.metatype !== Object) {
      value = {};
    }
    return super.transform(value, metadata);
  }
}
