import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';
import { CATEGORIES, Category, EXPERTISE_AREAS, parseCategory } from '../domain/categories';
import { digitsOnly, idNumberOf, toYear, trim } from '../../common/form-transforms';
import { IsAdultBirthYear, IsIdNumber, IsMobile } from './validators';

const toGender = ({ value }: { value: unknown }) => {
  const v = typeof value === 'string' ? value.trim() : value;
  return v === '男' ? 'male' : v === '女' ? 'female' : v;
};
const toCategory = ({ value }: { value: unknown }) => (typeof value === 'string' ? (parseCategory(value) ?? value.trim()) : value);
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean) : value;

/**
 * The personal and professional details of a pool member, shared by the public
 * application form, the JSON API and each row of a bulk import, so all three apply the
 * same rules. Property order matters: birthYear and gender are read by the ID check.
 */
export class EvaluatorFieldsDto {
  @ApiProperty({ example: '王建国' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  name: string;

  @ApiProperty({ enum: ['male', 'female'] })
  @Transform(toGender) @IsIn(['male', 'female'])
  gender: 'male' | 'female';

  @ApiProperty({ example: 1962 })
  // As people write it: "1957" or "1957年", in full-width digits too.
  @Transform(toYear) @IsInt({ message: '出生年份请填写4位数字，例如 1960' }) @Min(1930) @IsAdultBirthYear()
  birthYear: number;

  @ApiProperty({ example: '13937012345' })
  @Transform(digitsOnly) @IsMobile()
  phone: string;

  @ApiProperty({ example: '41140219620315123X' })
  @Transform(idNumberOf) @IsIdNumber()
  idNumber: string;

  @ApiProperty({ example: '河南某律师事务所' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(60)
  employer: string;

  @ApiProperty({ example: '律师' })
  @Transform(trim) @IsString() @MaxLength(40)
  title: string = '';

  @ApiProperty({ enum: CATEGORIES })
  @Transform(toCategory) @IsIn(CATEGORIES as unknown as string[])
  category: Category;

  @ApiProperty({ type: [String], enum: EXPERTISE_AREAS })
  @Transform(toList) @IsArray() @ArrayNotEmpty() @ArrayMaxSize(6) @IsIn(EXPERTISE_AREAS as unknown as string[], { each: true })
  expertise: string[];

  @ApiProperty({ example: '梁园区' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  district: string;

  @ApiProperty({ example: '平原街道' })
  @Transform(trim) @IsString() @MaxLength(30)
  township: string = '';

  @ApiProperty({ example: '从事行政法律师工作二十年' })
  @Transform(trim) @IsString() @MaxLength(500)
  bio: string = '';
}
