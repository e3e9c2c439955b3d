import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'staff' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'Tianping-Demo-2026' })
  @IsString() @IsNotEmpty() @MaxLength(256)
  password: string;

  /** Where to go after a page log-in (a local path only). */
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(500)
  next?: string;
}
