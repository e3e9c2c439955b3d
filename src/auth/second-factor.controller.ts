import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsString, Matches } from 'class-validator';
import { Actor } from '../common/actor';
import { FormView } from '../web/form-view.interceptor';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { TianpingRequest } from '../web/request';
import { Access, CurrentActor } from './access.decorator';
import { SecondFactorService } from './second-factor.service';

export class TotpCodeDto {
  @IsString() @Matches(/^\d{6}$/, { message: '请输入6位数字动态验证码' })
  code: string;
}

const NOTICES = { enabled: '双重验证已开启。以后登录时，输入密码后还需输入手机验证器上的动态验证码。', disabled: '双重验证已关闭。' };

/** Pages and API for switching the second factor on and off (administrators, auditors, security). */
@ApiTags('auth')
@Controller()
export class SecondFactorController {
  constructor(private readonly factor: SecondFactorService) {}

  @Get('account/two-factor')
  @Access('mfa.own')
  @Render('auth/two-factor.hbs')
  async page(@Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.pageModel(req)), notice: noticeFrom(NOTICES, notice) };
  }

  /** The page, with a set-up under way shown again (its QR code and key) until it is confirmed. */
  async pageModel(req: TianpingRequest) {
    const user = req.auth!.user;
    return { ...layoutLocals(req), title: '双重验证', ...(await this.factor.status(user.id)), setup: await this.factor.pendingSetup(user.id, user.username) };
  }

  @Post('account/two-factor/setup')
  @Access('mfa.own')
  @Render('auth/two-factor.hbs')
  async setupPage(@Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    const setup = await this.factor.setup(req.auth!.user.id, actor);
    return { ...layoutLocals(req), title: '双重验证', ...(await this.factor.status(req.auth!.user.id)), setup };
  }

  @Post('account/two-factor/enable')
  @Access('mfa.own')
  @FormView('auth/two-factor.hbs', { title: '双重验证', model: 'pageModel', keep: [] })
  async enablePage(@Body() dto: TotpCodeDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.factor.enable(req.auth!.user.id, dto.code, actor);
    res.redirect(303, '/account/two-factor?notice=enabled');
  }

  @Post('account/two-factor/disable')
  @Access('mfa.own')
  @FormView('auth/two-factor.hbs', { title: '双重验证', model: 'pageModel', keep: [] })
  async disablePage(@Body() dto: TotpCodeDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.factor.disable(req.auth!.user.id, dto.code, actor);
    res.redirect(303, '/account/two-factor?notice=disabled');
  }

  @Post('api/auth/two-factor/setup')
  @Access('mfa.own')
  @ApiOperation({ summary: '生成双重验证密钥（otpauth 链接与二维码），用手机验证器扫描后用 enable 开启' })
  setup(@Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    return this.factor.setup(req.auth!.user.id, actor);
  }

  @Post('api/auth/two-factor/enable')
  @Access('mfa.own')
  async enable(@Body() dto: TotpCodeDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    await this.factor.enable(req.auth!.user.id, dto.code, actor);
    return this.factor.status(req.auth!.user.id);
  }

  @Post('api/auth/two-factor/disable')
  @Access('mfa.own')
  async disable(@Body() dto: TotpCodeDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    await this.factor.disable(req.auth!.user.id, dto.code, actor);
    return this.factor.status(req.auth!.user.id);
  }
}
