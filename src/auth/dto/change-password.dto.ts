import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ minLength: 12 }) @IsString() @IsNotEmpty() @MaxLength(256)
  newPassword: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(256)
  confirmPassword: string;
}
