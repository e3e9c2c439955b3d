import { IsInt, IsString, getMetadataStorage, validateSync } from 'class-validator';
import { cacheValidationRules } from './validation';

describe('validation rules kept between lookups', () => {
  cacheValidationRules(); // idempotent: importing the module already did it

  class Base {
    @IsInt() count!: number;
  }
  const problems = (value: object) => validateSync(value).map((e) => e.property).sort();

  it('gives the same rules as class-validator, and picks up a class declared after a lookup', () => {
    expect(problems(Object.assign(new Base(), { count: 'x' }))).toEqual(['count']);
    // Declared after Base's rules were looked up (and kept): its own and the inherited rule apply.
    class Derived extends Base {
      @IsString() name!: string;
    }
    expect(problems(Object.assign(new Derived(), { count: 'x', name: 3 }))).toEqual(['count', 'name']);
    expect(problems(Object.assign(new Derived(), { count: 1, name: 'a' }))).toEqual([]);
    expect(problems(Object.assign(new Base(), { count: 1 }))).toEqual([]);
  });

  it('forgets what it kept when a rule is added later', () => {
    class Late {
      size!: unknown;
    }
    expect(problems(Object.assign(new Late(), { size: 'x' }))).toEqual([]);
    IsInt()(Late.prototype, 'size');
    expect(problems(Object.assign(new Late(), { size: 'x' }))).toEqual(['size']);
  });

  it('hands out copies, so a caller changing one changes nothing for the next', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Base, '', false, false);
    expect(first).toHaveLength(1);
    first.length = 0;
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).toHaveLength(1);
    expect(problems(Object.assign(new Base(), { count: 'x' }))).toEqual(['count']);
  });
});
