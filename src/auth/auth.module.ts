import { Global, Module } from '@nestjs/common';
import { AuthApiController } from './auth-api.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';
import { SessionMiddleware } from './session.middleware';
import { SessionsService } from './sessions.service';

@Global()
@Module({
  controllers: [AuthController, AuthApiController],
  providers: [AuthService, PasswordHasher, SessionsService, SessionMiddleware],
  exports: [AuthService, PasswordHasher, SessionsService, SessionMiddleware],
})
export class AuthModule {}
