import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { WITNESS_PATTERN } from '../domain/commitment';
import { toBool, toInt, trim } from '../../common/form-transforms';


export class QuotaDto {
  @ApiProperty() @Transform(toInt) @IsInt() @Min(0) @Max(9) min: number;
  @ApiProperty() @Transform(toInt) @IsInt() @Min(0) @Max(9) max: number;
}

/** Per-category quotas; categories left out get min 0 and the default maximum. */
export class QuotasDto {
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) party_cadre?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) scholar?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) lawyer?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) volunteer?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) deputy?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) counsellor?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) veteran?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) elder?: QuotaDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => QuotaDto) senior_petitioner?: QuotaDto;
}

/** The office's choices for one draw; anything left out takes the default (docs/draw-algorithm.md §2). */
export class CommitDrawDto {
  @ApiPropertyOptional({ description: '评价组人数：3至9的奇数', default: 5 }) @IsOptional() @Transform(toInt) @IsInt() @IsIn([3, 5, 7, 9])
  panelSize?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(5)
  alternates?: number;
  @ApiPropertyOptional({ type: QuotasDto }) @IsOptional() @ValidateNested() @Type(() => QuotasDto)
  quotas?: QuotasDto;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(9)
  defaultMax?: number;
  @ApiPropertyOptional({ default: 2, description: '专业匹配者的权重倍数，1 为不优先' }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(5)
  expertiseWeight?: number;
  @ApiPropertyOptional({ default: false }) @IsOptional() @Transform(toBool) @IsBoolean()
  preferServedLess?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @Transform(toBool) @IsBoolean()
  avoidSameTownship?: boolean;
  @ApiPropertyOptional({ default: 6 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(50)
  yearlyCap?: number;
}

export class WitnessDto {
  @ApiProperty({ example: '刘监督' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  witnessName: string;

  @ApiProperty({ example: '纪检监督员' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  witnessRole: string;

  @ApiProperty({ description: '当场掷骰子的点数，或已公布的彩票开奖号码', example: '3 6 1 4 2 5' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  @Matches(WITNESS_PATTERN, { message: '只能输入数字、字母、汉字、空格和 , . : / + # - 等符号' })
  witnessInput: string;
}

export class RespondDto {
  @ApiProperty({ enum: ['accept', 'decline', 'conflict'] }) @IsIn(['accept', 'decline', 'conflict'])
  answer: 'accept' | 'decline' | 'conflict';

  @ApiPropertyOptional({ description: '接受时须勾选回避声明' }) @IsOptional() @Transform(toBool) @IsBoolean()
  declaration?: boolean;

  @ApiPropertyOptional({ description: '谢绝或申报回避的原因' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(300)
  reason?: string;
}

export class CancelDrawDto {
  @ApiProperty({ example: '评价会议延期，见证人无法到场' }) @Transform(trim) @IsString() @MinLength(2) @MaxLength(300)
  reason: string;
}
