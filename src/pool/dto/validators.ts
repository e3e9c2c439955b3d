import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { fill, zhCN } from '../../common/i18n/zh-CN';
import { checkIdNumber } from '../domain/id-number';

/**
 * Custom constraints are named "tp…"; their message is already Chinese and is shown as is
 * (see common/validation.ts).
 */
function idNumberProblem(value: unknown, object: Record<string, unknown>): string | null {
  if (typeof value !== 'string') return zhCN.idNumber.format;
  const check = checkIdNumber(value);
  if (!check.ok) return zhCN.idNumber[check.reason];
  if (typeof object.birthYear === 'number' && object.birthYear !== check.birthYear) return zhCN.idNumber.birthYearMismatch;
  if ((object.gender === 'male' || object.gender === 'female') && object.gender !== check.gender) return zhCN.idNumber.genderMismatch;
  return null;
}

/** A valid ID number (check digit, birth date) that agrees with the record's birth year and gender. */
export function IsIdNumber(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'tpIdNumber',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => idNumberProblem(value, args.object as Record<string, unknown>) === null,
        defaultMessage: (args: ValidationArguments) => idNumberProblem(args.value, args.object as Record<string, unknown>) ?? '',
      },
    });
}

/** A mainland mobile number: 11 digits starting 13–19. */
export function IsMobile(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'tpMobile',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^1[3-9]\d{9}$/.test(value),
        defaultMessage: () => '手机号码应为11位，以13–19开头',
      },
    });
}

/** The latest birth year of an adult (18 this year), read when a form is checked, not when the service started. */
const latestAdultBirthYear = () => new Date().getFullYear() - 18;

/** A birth year of someone at least 18 years old this year. */
export function IsAdultBirthYear(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'tpAdultBirthYear',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'number' && value <= latestAdultBirthYear(),
        defaultMessage: () => fill(zhCN.constraints.adultBirthYear, { year: latestAdultBirthYear() }),
      },
    });
}
