import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { caseNumberOf, toBool, trim } from '../../common/form-transforms';

/** A department's progress or completion report (a file may come with it, field "file"). */
export class TaskReportDto {
  @ApiProperty({ example: '已完成实测，出具复核意见并书面答复信访人。' })
  @Transform(trim) @IsString() @IsNotEmpty({ message: '请填写办理情况' }) @MaxLength(2000, { message: '办理情况不超过2000字' })
  text: string;
}

export class ExtensionRequestDto {
  @ApiProperty({ example: '2027-01-15', description: '申请延至哪一天（含）' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '请选择延期后的办结日期' })
  until: string;

  @ApiProperty({ example: '需等待省厅批复' })
  @Transform(trim) @IsString() @IsNotEmpty({ message: '请说明延期原因' }) @MaxLength(500)
  reason: string;
}

/** The office's answer: an extension approved or refused, a completion confirmed or sent back. */
export class TaskDecisionDto {
  @ApiPropertyOptional({ description: '退回、不同意延期时必填' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(500)
  reason?: string;
}

export class ReturnVisitDto {
  @ApiProperty({ enum: ['satisfied', 'basically_satisfied', 'dissatisfied'] })
  @IsIn(['satisfied', 'basically_satisfied', 'dissatisfied'], { message: '请选择信访人满意度' })
  satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied';

  @ApiProperty({ description: '信访人是否息诉罢访' })
  @Transform(toBool) @IsBoolean({ message: '请选择是否息诉罢访' })
  stoppedPetitioning: boolean;

  @ApiProperty({ enum: ['settled', 'unsettled'] })
  @IsIn(['settled', 'unsettled'], { message: '请选择结案结论' })
  outcome: 'settled' | 'unsettled';

  @ApiProperty({ example: '电话回访，信访人表示满意，承诺不再上访。' })
  @Transform(trim) @IsString() @IsNotEmpty({ message: '请填写回访情况' }) @MaxLength(1000)
  note: string;
}

export class CaseLinkDto {
  @ApiProperty({ example: 'SQ-2027-0003' })
  @Transform(caseNumberOf) @IsString() @IsNotEmpty({ message: '请填写复查/复核案件编号' }) @MaxLength(40)
  caseNumber: string;

  @ApiProperty({ enum: ['review', 'recheck'], description: 'review 复查，recheck 复核' })
  @IsIn(['review', 'recheck'], { message: '请选择复查或复核' })
  kind: 'review' | 'recheck';

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(300)
  note?: string;
}
