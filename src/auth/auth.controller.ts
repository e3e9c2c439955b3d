import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { FormView } from '../web/form-view.interceptor';
import { layoutLocals } from '../web/layout-locals';
import { TianpingRequest } from '../web/request';
import { Access, AllowDuringPasswordChange, CurrentActor } from './access.decorator';
import { AuthService } from './auth.service';
import { passwordExpired } from './domain/password-policy';
import { HOME_OF } from './domain/roles';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { SESSION_COOKIE, SessionMiddleware } from './session.middleware';

/** Only same-site paths are followed after log-in (no open redirect). */
function safeNext(next: string | undefined): string | null {
  return next && /^\/(?!\/)[^\\\s]*$/.test(next) ? next : null;
}

@ApiExcludeController()
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessionCookie: SessionMiddleware,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('public')
  root(@Req() req: TianpingRequest, @Res() res: Response) {
    res.redirect(303, req.auth ? HOME_OF[req.auth.user.role] : '/login');
  }

  @Get('login')
  @Access('public')
  @Render('auth/login.hbs')
  loginPage(@Req() req: TianpingRequest, @Query('next') next?: string, @Query('notice') notice?: string) {
    return {
      ...layoutLocals(req),
      title: '登录',
      values: { next: safeNext(next) ?? '' },
      notice: notice === 'logged_out' ? zhCN.auth.loggedOut : notice === 'expired' ? zhCN.auth.expiredWhilePosting : req.sessionEnded ? zhCN.errors.sessionExpired : null,
    };
  }

  @Post('login')
  @Access('public')
  @FormView('auth/login.hbs', { title: '登录', keep: ['username', 'next'] })
  async login(@Body() dto: LoginDto, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res() res: Response) {
    const { token, user } = await this.auth.login(dto.username, dto.password, actor, req.get('user-agent') ?? '', dto.totp);
    res.cookie(SESSION_COOKIE, token, this.sessionCookie.cookieOptions());
    const target = user.mustChangePassword ? '/account/password' : (safeNext(dto.next) ?? HOME_OF[user.role]);
    res.redirect(303, target);
  }

  @Post('logout')
  @Access('session.any')
  @AllowDuringPasswordChange()
  async logout(@Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.auth.logout(req.auth!.session.id, actor);
    res.clearCookie(SESSION_COOKIE, this.sessionCookie.cookieOptions());
    res.redirect(303, '/login?notice=logged_out');
  }

  @Get('home')
  @Access('session.any')
  @Render('auth/home.hbs')
  home(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '首页', user: req.auth!.user };
  }

  @Get('account/password')
  @Access('session.any')
  @AllowDuringPasswordChange()
  @Render('auth/password.hbs')
  passwordPage(@Req() req: TianpingRequest, @Query('notice') notice?: string) {
    const user = req.auth!.user;
    return {
      ...layoutLocals(req),
      title: '修改密码',
      forced: user.mustChangePassword || passwordExpired(user.passwordChangedAt, this.clock.now().getTime()),
      notice: notice === 'changed' ? zhCN.auth.passwordChanged : user.mustChangePassword ? zhCN.auth.mustChangePassword
        : passwordExpired(user.passwordChangedAt, this.clock.now().getTime()) ? zhCN.auth.passwordExpired : null,
      values: {},
    };
  }

  @Post('account/password')
  @Access('session.any')
  @AllowDuringPasswordChange()
  @FormView('auth/password.hbs', { title: '修改密码', keep: [] })
  async changePassword(@Body() dto: ChangePasswordDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    if (dto.newPassword !== dto.confirmPassword) {
      throw new DomainError('validation', zhCN.errors.validation, { confirmPassword: zhCN.auth.passwordMismatch });
    }
    await this.auth.changePassword(req.auth!.user, req.auth!.session.id, dto.currentPassword, dto.newPassword, actor);
    res.redirect(303, '/account/password?notice=changed');
  }
}
