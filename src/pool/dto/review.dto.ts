import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CATEGORIES, EXPERTISE_AREAS } from '../domain/categories';
import { EVALUATOR_STATUSES, EvaluatorStatus } from '../domain/evaluator-status';
import { trim } from '../../common/form-transforms';
import { Transform } from 'class-transformer';

export class RejectApplicationDto {
  @ApiProperty({ example: '所提供的执业证明与单位不符' })
  @Transform(trim) @IsString() @MinLength(2) @MaxLength(300)
  reason: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: EVALUATOR_STATUSES })
  @IsIn(EVALUATOR_STATUSES as unknown as string[])
  status: EvaluatorStatus;

  @ApiProperty({ example: '本人申请暂停半年' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(300)
  reason: string;
}

export class PoolQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(40) q?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES as unknown as string[]) category?: string;
  @ApiPropertyOptional({ enum: EXPERTISE_AREAS }) @IsOptional() @IsIn(EXPERTISE_AREAS as unknown as string[]) expertise?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(30) district?: string;
  @ApiPropertyOptional({ enum: EVALUATOR_STATUSES }) @IsOptional() @IsIn(EVALUATOR_STATUSES as unknown as string[]) status?: string;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page: number = 1;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(5) @Max(100) pageSize: number = 20;
}

export class ApplicationQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'] })
  @IsOptional() @IsIn(['pending', 'approved', 'rejected']) status?: 'pending' | 'approved' | 'rejected';
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page: number = 1;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(5) @Max(100) pageSize: number = 20;
}

export class LookupDto {
  @ApiProperty({ description: '完整身份证号或手机号码', example: '13937012345' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  number: string;
}
