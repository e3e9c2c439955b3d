import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { toBool, toOptionalInt, trim } from '../../common/form-transforms';

const STAFF_ROLES = ['admin', 'staff', 'liaison', 'auditor', 'security'] as const;

export class CreateAccountDto {
  @ApiProperty({ example: 'zhangwei' })
  @Transform(trim) @IsString() @Matches(/^(?![pP][jJ]\d+$)[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/, { message: '用户名为3–32位字母、数字或 _ . -，以字母开头；“pj+数字”留给评价员' })
  username: string;

  @ApiProperty({ example: '张伟' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(30)
  displayName: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES as unknown as string[])
  role: (typeof STAFF_ROLES)[number];

  @ApiPropertyOptional({ description: '联络员所属责任单位' })
  @Transform(toOptionalInt) @IsOptional() @IsInt() @Min(1)
  departmentId?: number;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES as unknown as string[])
  role: (typeof STAFF_ROLES)[number];

  @ApiPropertyOptional()
  @Transform(toOptionalInt) @IsOptional() @IsInt() @Min(1)
  departmentId?: number;
}

export class SetActiveDto {
  @ApiProperty()
  @Transform(toBool)
  @IsBoolean()
  active: boolean;
}

export class AccountQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(40) q?: string;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page: number = 1;
  @ApiPropertyOptional() @Type(() => Number) @IsInt() @Min(5) @Max(100) pageSize: number = 30;
}
