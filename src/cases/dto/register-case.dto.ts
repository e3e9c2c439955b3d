import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { EXPERTISE_AREAS } from '../../pool/domain/categories';
import { caseNumberOf, digitsOnly, emptyToUndefined, idNumberOf, toInt, toIntList, trim } from '../../common/form-transforms';
import { IsIdNumber, IsMobile } from '../../pool/dto/validators';

/** Form rows left blank are dropped; a half-filled row is kept and reported. */
const dropBlankRows = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.filter((row) => row && typeof row === 'object' && Object.values(row).some((v) => v !== '' && v !== undefined)) : value;

export class PetitionRecordDto {
  @ApiProperty({ example: '2025-03-12' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 年-月-日' })
  date: string;

  @ApiProperty({ enum: ['county', 'city', 'province', 'beijing'] })
  @IsIn(['county', 'city', 'province', 'beijing'])
  level: 'county' | 'city' | 'province' | 'beijing';

  @ApiProperty({ enum: ['visit', 'letter', 'online', 'phone'] })
  @IsIn(['visit', 'letter', 'online', 'phone'])
  channel: 'visit' | 'letter' | 'online' | 'phone';
}

/** Registration of a case (信访案件登记), from the form or the API. */
export class RegisterCaseDto {
  @ApiProperty({ example: 'SQ-2026-0001' })
  @Transform(caseNumberOf) @IsString() @Matches(/^[A-Za-z0-9\u4e00-\u9fff〔〕（）()\-_]{3,40}$/, { message: '案件编号为3至40个字，可含字母、数字、汉字和 -_()〔〕' })
  caseNumber: string;

  @ApiProperty({ example: '某小区拆迁安置补偿争议' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100)
  title: string;

  @ApiProperty({ example: '要求按2019年标准重新核定安置面积' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000)
  demandSummary: string;

  @ApiProperty({ enum: EXPERTISE_AREAS })
  @IsIn(EXPERTISE_AREAS as unknown as string[])
  category: string;

  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  petitionerName: string;

  @ApiProperty() @Transform(idNumberOf) @IsIdNumber()
  petitionerIdNumber: string;

  @ApiProperty() @Transform(digitsOnly) @IsMobile()
  petitionerPhone: string;

  @ApiProperty({ example: '梁园区' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  petitionerDistrict: string;

  @ApiProperty({ example: '平原街道' }) @Transform(trim) @IsString() @MaxLength(30)
  petitionerTownship: string = '';

  @ApiProperty({ type: [Number], description: '责任单位（至少一个）' })
  @Transform(toIntList) @IsArray() @ArrayNotEmpty() @ArrayMaxSize(10) @IsInt({ each: true }) @Min(1, { each: true })
  departmentIds: number[];

  @ApiProperty({ type: [PetitionRecordDto] })
  @Transform(dropBlankRows) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => PetitionRecordDto)
  history: PetitionRecordDto[] = [];

  @ApiProperty({ example: '经复查，维持原处理意见' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000)
  handlingResult: string;

  @ApiProperty({ example: '2025-11-02' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 年-月-日' })
  handlingDate: string;

  @ApiProperty({ enum: ['satisfied', 'basically_satisfied', 'dissatisfied'] })
  @IsIn(['satisfied', 'basically_satisfied', 'dissatisfied'])
  satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied';

  @ApiPropertyOptional({ description: '信访代理人姓名' }) @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(30)
  agentName?: string;

  @ApiPropertyOptional({ enum: ['cadre', 'lawyer', 'volunteer'] }) @Transform(emptyToUndefined) @IsOptional() @IsIn(['cadre', 'lawyer', 'volunteer'])
  agentKind?: 'cadre' | 'lawyer' | 'volunteer';

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @Transform(digitsOnly) @IsMobile()
  agentPhone?: string;

  @ApiPropertyOptional({ description: '不符合评价条件仍登记时，必须记录原因' })
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(500)
  ineligibleReason?: string;
}

export class CaseQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(40) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(['registered', 'panel_drawn', 'panel_confirmed', 'evaluating', 'resolved', 'follow_up', 'closed']) status?: string;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page: number = 1;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(5) @Max(100) pageSize: number = 20;
}

export class ExcludeEvaluatorDto {
  @ApiProperty() @Transform(toInt) @IsInt() @Min(1)
  evaluatorId: number;

  @ApiProperty({ example: '与信访人系同村' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200)
  reason: string;
}
