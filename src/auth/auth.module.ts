import { Global, Module } from '@nestjs/common';
import { AuthApiController } from './auth-api.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SecondFactorController } from './second-factor.controller';
import { SecondFactorService } from './second-factor.service';
import { PasswordHasher } from './password-hasher';
import { SessionMiddleware } from './session.middleware';
import { SessionsService } from './sessions.service';

@Global()
@Module({
  controllers: [AuthController, AuthApiController, SecondFactorController],
  providers: [AuthService, PasswordHasher, SessionsService, SessionMiddleware, SecondFactorService],
  exports: [AuthService, PasswordHasher, SessionsService, SessionMiddleware],
})
export class AuthModule {}
