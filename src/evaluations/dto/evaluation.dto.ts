import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { emptyToUndefined, toBool, toInt, toIntList, toOptionalInt, trim } from '../../common/form-transforms';


export class ScheduleMeetingDto {
  @ApiProperty({ example: '2026-12-01T09:30', description: '会议时间（北京时间）' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: '会议时间格式应为 年-月-日T时:分' })
  scheduledAt: string;

  @ApiProperty({ example: '市信访局三楼会议室' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100)
  place: string;

  @ApiPropertyOptional({ default: false }) @IsOptional() @Transform(toBool) @IsBoolean()
  online?: boolean;

  // The page's "random" choice posts an empty value: absent, not a number to check.
  @ApiPropertyOptional({ description: '组长：不填则从评价组中随机产生；指定时须说明原因' }) @Transform(toOptionalInt) @IsOptional() @IsInt() @Min(1)
  chairEvaluatorId?: number;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(200)
  chairReason?: string;

  @ApiPropertyOptional({ enum: ['majority', 'two_thirds'], default: 'majority' }) @IsOptional() @IsIn(['majority', 'two_thirds'])
  voteRule?: 'majority' | 'two_thirds';
}

/** A sheet save: the answers and the version the browser last saw. */
export class SaveSheetDto {
  @ApiProperty({ description: '各题答案，见评分标准' }) @IsObject()
  answers: Record<string, unknown>;

  @ApiProperty({ description: '最后一次读取时的版本号（新表为0）' }) @Transform(toInt) @IsInt() @Min(0)
  version: number;
}

export class AmendSheetDto extends SaveSheetDto {
  @ApiProperty({ example: '补充核对了附件中的测量报告' }) @Transform(trim) @IsString() @MinLength(2) @MaxLength(300)
  reason: string;
}

export class CloseStepDto {
  @ApiPropertyOptional({ type: [Number], description: '未提交评分、记为缺席的成员' })
  @IsOptional() @Transform(toIntList)
  @IsArray() @ArrayMaxSize(9) @IsInt({ each: true })
  absentees?: number[];
}

export class VoteItemDto {
  @ApiProperty() @IsString() @MaxLength(60) itemKey: string;
  @ApiProperty({ enum: ['agree', 'disagree', 'abstain'] }) @IsIn(['agree', 'disagree', 'abstain']) choice: 'agree' | 'disagree' | 'abstain';
  @ApiPropertyOptional({ description: '保留意见' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) dissent?: string;
}

export class CastVotesDto {
  @ApiProperty({ type: [VoteItemDto] }) @IsArray() @ArrayMaxSize(40) @ValidateNested({ each: true }) @Type(() => VoteItemDto)
  votes: VoteItemDto[];
}

export class EditResolutionDto {
  @ApiProperty({ description: '决议各项（结构同草稿）' }) @IsArray() @ArrayMaxSize(40)
  items: Record<string, unknown>[];

  @ApiPropertyOptional({ description: '更正已通过的决议时必填' }) @IsOptional() @Transform(trim) @IsString() @MinLength(2) @MaxLength(300)
  reason?: string;
}
