import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'staff' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'Tianping-Demo-2026' })
  @IsString() @IsNotEmpty() @MaxLength(256)
  password: string;

  /** The 6-digit code from the authenticator app, for accounts with the second factor on. */
  @ApiPropertyOptional({ example: '123456' })
  @IsOptional() @IsString() @MaxLength(12)
  totp?: string;

  /** Where to go after a page log-in (a local path only). */
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(500)
  next?: string;
}
