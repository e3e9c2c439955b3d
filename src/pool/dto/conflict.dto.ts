import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { emptyToUndefined, idNumberOf, toOptionalInt, trim } from '../../common/form-transforms';
import { IsIdNumber } from './validators';


export class DeclareConflictDto {
  @ApiProperty({ enum: ['employer', 'relative', 'other'], description: 'employer 现/曾任职单位；relative 亲属在该单位任职；other 其他关系' })
  @IsIn(['employer', 'relative', 'other'])
  kind: 'employer' | 'relative' | 'other';

  @ApiPropertyOptional({ description: '相关责任单位（任职、亲属关系时必填）' })
  @Transform(toOptionalInt) @IsOptional() @IsInt() @Min(1)
  departmentId?: number;

  @ApiProperty({ example: '配偶在市住建局工作' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(300)
  description: string;

  @ApiPropertyOptional({ description: '有利害关系的具体人员（如某信访人）姓名' })
  @Transform(emptyToUndefined)
  @IsOptional() @IsString() @MaxLength(30)
  personName?: string;

  @ApiPropertyOptional({ description: '该人员的身份证号：抽选时与信访人比对回避' })
  @Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : idNumberOf({ value })))
  @IsOptional() @IsIdNumber()
  personIdNumber?: string;

  @ApiPropertyOptional({ description: '曾任职的截止年份；仍在职则不填' })
  @Transform(toOptionalInt) @IsOptional() @IsInt() @Min(1950) @Max(2100)
  untilYear?: number;
}
