import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { TianpingRequest } from '../web/request';
import { Access, AllowDuringPasswordChange, CurrentActor } from './access.decorator';
import { AuthService } from './auth.service';
import { ROLE_LABELS } from './domain/roles';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { SESSION_COOKIE, SessionMiddleware } from './session.middleware';
import { UserAccount } from './user-account.entity';

function publicUser(user: UserAccount) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    roleLabel: ROLE_LABELS[user.role],
    departmentId: user.departmentId,
    evaluatorId: user.evaluatorId,
    mustChangePassword: user.mustChangePassword,
  };
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessionCookie: SessionMiddleware,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Access('public')
  @ApiOperation({ summary: '登录：设置会话 Cookie，返回用户与 CSRF 令牌（之后的写请求放在 X-CSRF-Token 头中）' })
  async login(@Body() dto: LoginDto, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const { token, session, user } = await this.auth.login(dto.username, dto.password, actor, req.get('user-agent') ?? '', dto.totp);
    res.cookie(SESSION_COOKIE, token, this.sessionCookie.cookieOptions());
    return { user: publicUser(user), csrfToken: session.csrfToken };
  }

  @Post('logout')
  @HttpCode(200)
  @Access('session.any')
  @AllowDuringPasswordChange()
  async logout(@Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    await this.auth.logout(req.auth!.session.id, actor);
    res.clearCookie(SESSION_COOKIE, this.sessionCookie.cookieOptions());
    return { ok: true };
  }

  @Get('me')
  @Access('session.any')
  @AllowDuringPasswordChange()
  me(@Req() req: TianpingRequest) {
    return { user: publicUser(req.auth!.user), csrfToken: req.auth!.session.csrfToken };
  }

  @Post('password')
  @HttpCode(200)
  @Access('session.any')
  @AllowDuringPasswordChange()
  async changePassword(@Body() dto: ChangePasswordDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    if (dto.newPassword !== dto.confirmPassword) {
      throw new DomainError('validation', zhCN.errors.validation, { confirmPassword: zhCN.auth.passwordMismatch });
    }
    await this.auth.changePassword(req.auth!.user, req.auth!.session.id, dto.currentPassword, dto.newPassword, actor);
    return { ok: true };
  }
}
