import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { DomainError, FieldErrors } from './domain-error';
import { fill, zhCN } from './i18n/zh-CN';

/**
 * class-validator looks up a class's rules on every validation by filtering all the rules it
 * holds and testing every registered class for inheritance (`instanceof`): with this app's
 * hundred-odd DTOs that was 2.7% of the autosave's CPU, twice per request (Nest's pipe asks
 * again for its binary-value check). The rules only change while classes are being declared,
 * so each answer is kept until a rule is added. Callers get a copy: none may change ours.
 */
export function cacheValidationRules(storage = getMetadataStorage()): void {
  type Lookup = typeof storage.getTargetValidationMetadatas;
  if ((storage as { rulesCached?: true }).rulesCached) return;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  const cache = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  storage.getTargetValidationMetadatas = ((target, schema, always, strictGroups, groups) => {
    let forTarget = cache.get(target);
    if (!forTarget) cache.set(target, (forTarget = new Map()));
    const options = JSON.stringify([schema ?? null, always, strictGroups, groups ?? null]);
    let rules = forTarget.get(options);
    if (!rules) forTarget.set(options, (rules = lookup(target, schema, always, strictGroups, groups)));
    return [...rules];
  }) as Lookup;
  storage.addValidationMetadata = (metadata) => {
    cache.clear();
    add(metadata);
  };
  (storage as { rulesCached?: true }).rulesCached = true;
}
cacheValidationRules();

/** Turns class-validator's findings into one Chinese message per field (nested paths dotted). */
export function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const field = prefix + error.property;
    if (error.constraints) out[field] = firstMessage(error);
    if (error.children?.length) Object.assign(out, fieldErrorsOf(error.children, `${field}.`));
  }
  return prefix ? out : inFormOrder(out);
}

/** Lists problems in the order the fields appear on forms (the catalogue's order), not the validator's. */
function inFormOrder(errors: FieldErrors): FieldErrors {
  const order = Object.keys(zhCN.fields);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The global pipe's checks for a value that did not arrive as a handler's body (an import
 * row, a page form reshaped before it reaches the service): the instance and its problems.
 */
export function checkAs<T extends object>(type: new () => T, plain: unknown, forbidUnknown = true): { value: T; fields: FieldErrors } {
  const value = plainToInstance(type, plain) as T;
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: forbidUnknown, forbidUnknownValues: true });
  return { value, fields: { ...nulFields(plain), ...fieldErrorsOf(errors) } };
}

/**
 * Fields whose text holds a NUL character: never meant by a person, and PostgreSQL cannot store
 * it in text (SQLite can), so both refuse it alike, field by field, before anything is written.
 */
export function nulFields(value: unknown, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out[prefix || 'body'] = fill(zhCN.constraints.nulCharacter, { label: zhCN.fields[prefix as keyof typeof zhCN.fields] ?? (prefix || '内容') });
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) Object.assign(out, nulFields(child, prefix ? `${prefix}.${key}` : key));
  }
  return out;
}

/** checkAs, refusing with the same 422 and field messages as the pipe. */
export function validatedAs<T extends object>(type: new () => T, plain: unknown): T {
  const { value, fields } = checkAs(type, plain);
  if (Object.keys(fields).length) throw new DomainError('validation', zhCN.errors.validation, fields);
  return value;
}

/** Which finding to tell the user first when a field breaks several rules. */
const PRIORITY = ['whitelistValidation', 'isNotEmpty', 'arrayNotEmpty', 'equals', 'isString', 'isInt', 'isArray', 'isBoolean', 'isIn', 'matches'];

/** Rules whose own message can stand for "this is needed" (a length or format rule's cannot). */
const ASKS_FOR_A_VALUE = ['isNotEmpty', 'isDefined', 'arrayNotEmpty', 'equals', 'isIn', 'isEnum', 'isBoolean'];

function firstMessage(error: ValidationError): string {
  const constraints = error.constraints!;
  const label = labelOf(error);
  const missing = error.value === undefined || error.value === null || error.value === '' || (Array.isArray(error.value) && error.value.length === 0);
  // An absent value breaks every rule at once; say simply that it is needed, in the form's own
  // words where a rule has them ("请填写办理情况"), else with the field's label.
  if (missing && !('whitelistValidation' in constraints)) {
    const own = ASKS_FOR_A_VALUE.map((c) => constraints[c]).find((raw) => raw !== undefined && isOwnMessage(raw));
    if (own) return own;
    if ('equals' in constraints) return fill(zhCN.constraints.equals, { label });
    if ('isArray' in constraints || 'arrayNotEmpty' in constraints) return fill(zhCN.constraints.arrayNotEmpty, { label });
    if ('isIn' in constraints) return fill(zhCN.constraints.required_choice, { label });
    return fill(zhCN.constraints.isNotEmpty, { label });
  }
  const name = PRIORITY.find((c) => c in constraints) ?? Object.keys(constraints).find((c) => c.startsWith('tp')) ?? Object.keys(constraints)[0];
  return messageFor(name, labelOf(error), constraints[name], error.contexts?.[name]);
}

/**
 * A message a decorator was given in Chinese, as opposed to class-validator's English default,
 * which starts with the property's name ("each value in expertise must be one of: 民政救助, …"
 * holds Chinese only because the allowed values do).
 */
function isOwnMessage(raw: string): boolean {
  return /[\u4e00-\u9fff]/.test(raw) && !/^(each value in )?[A-Za-z_$][\w$.]* /.test(raw);
}

function labelOf(error: ValidationError): string {
  const form = (error.target as object | undefined)?.constructor?.name;
  return (form && zhCN.fieldsOf[form]?.[error.property]) ?? zhCN.fields[error.property] ?? error.property;
}

function messageFor(constraint: string, label: string, raw: string, context: unknown): string {
  // Custom validators carry their own Chinese message in the context.
  if (context && typeof context === 'object' && 'message' in context) return String((context as { message: string }).message);
  if (constraint === 'whitelistValidation') return zhCN.errors.unknownField;
  // Our own validators (named tp…) and decorators given a Chinese message already say it best.
  if (constraint.startsWith('tp') || isOwnMessage(raw)) return raw;
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
      // Values are kept on the error only to tell "missing" from "wrong"; responses never echo them.
      validationError: { target: true, value: true },
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
    // A path segment with a NUL names nothing that exists.
    if (metadata.type === 'param' && typeof value === 'string' && value.includes('\u0000')) throw new DomainError('not_found', zhCN.errors.notFound);
    if (metadata.type === 'body' || metadata.type === 'query') {
      const nul = nulFields(value);
      if (Object.keys(nul).length) throw new DomainError('validation', zhCN.errors.validation, nul);
    }
    return super.transform(value, metadata);
  }
}
